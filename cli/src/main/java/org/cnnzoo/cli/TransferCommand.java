package org.cnnzoo.cli;

import org.cnnzoo.transfer.Engine;
import org.cnnzoo.transfer.FineTuning;
import org.cnnzoo.transfer.Head;
import org.cnnzoo.transfer.HeadTraining;
import org.cnnzoo.transfer.Metrics;
import org.cnnzoo.transfer.Trainer;
import org.cnnzoo.transfer.TransferJob;
import org.cnnzoo.transfer.TransferPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code cnnzoo transfer}: a network adapted to the user's classes. */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "Adapt a network to new classes: freeze, cache features, train a new head, optionally fine-tune;"
                + " writes a run folder with the model, metrics, curves and confusion matrix.")
final class TransferCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions inputs;

    @Mixin
    SparkOptions spark;

    @Mixin
    FreezeOptions freeze;

    @Option(names = "--head", description = "linear or mlp:HIDDEN[:DROPOUT] (default linear).")
    String head = "linear";

    @Option(names = "--epochs", converter = Values.Positive.class, description = "Maximum epochs of head (or full) training (default 30).")
    int epochs = 30;

    @Option(names = "--patience", converter = Values.NonNegative.class, description = "Early stopping: epochs without validation improvement (default 5).")
    int patience = 5;

    @Option(names = "--finetune-blocks", converter = Values.NonNegative.class, paramLabel = "K", description = "Then fine-tune the last K blocks (default 0: none).")
    int finetuneBlocks;

    @Option(names = "--finetune-epochs", converter = Values.Positive.class, description = "Fine-tuning epochs (default 10).")
    int finetuneEpochs = 10;

    @Option(names = "--lr", converter = Values.LearningRate.class, description = "Learning rate of the head (default 1e-3); fine-tuning uses a tenth.")
    double learningRate = 1e-3;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run folder to write (refused if it holds"
            + " files, unless --overwrite).")
    Path out;

    @Option(names = "--overwrite", description = "Replace the run at --out, once the new one is complete.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        org.cnnzoo.transfer.Runs.checkOutput(this.out, overwrite);    // before loading or featurizing anything
        TransferPlan plan = inputs.plan(spec, true, 1.0 / 9);
        FineTuning fineTuning = freeze.fineTuning(plan, finetuneBlocks, finetuneEpochs);
        TransferJob.Result r;
        try (Engine engine = spark.start(err)) {
            TransferPlan o = plan
                    .withHead(new HeadTraining(Head.parse(head), epochs, patience, learningRate))
                    .withFinetune(fineTuning)
                    .withRun(plan.run().withOut(this.out, overwrite).withEngine(engine));
            r = TransferJob.run(o);
            o.run().progress().finish();
        }
        out.printf("regime: %s%n", r.info().regime());
        for (Trainer.History h : r.history()) {
            out.printf("%s: %d epoch(s), kept epoch %d, %.1f s%n", h.phase(), h.epochs().size(), h.bestEpoch(), h.seconds());
        }
        Metrics m = r.metrics();
        if (r.info().finetuned() != null) {
            out.println("fine-tuning: " + r.info().finetuned());
        }
        out.printf("test: %d images, accuracy %.4f%s%n", m.examples(), m.accuracy(),
                m.topK() > 0 ? String.format(", top-%d %.4f", m.topK(), m.topKAccuracy()) : "");
        out.printf("wrote %s (model.zip, run.json, metrics.json, curves.png, confusion.png)%n", this.out);
        return 0;
    }
}
