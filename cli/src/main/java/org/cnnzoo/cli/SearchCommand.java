package org.cnnzoo.cli;

import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.transfer.Head;
import org.cnnzoo.transfer.TransferPlan;
import org.cnnzoo.transfer.Metrics;
import org.cnnzoo.transfer.search.Outcome;
import org.cnnzoo.transfer.search.Parameter;
import org.cnnzoo.transfer.search.Search;
import org.cnnzoo.transfer.search.SearchKind;
import org.cnnzoo.transfer.search.SearchSpace;
import org.cnnzoo.transfer.search.ValidationScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cnnzoo search}: hyperparameters of a head or of fine-tuning, searched with Arbiter. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search head or fine-tuning hyperparameters with Arbiter (random or grid), scored on validation"
                + " data. Head candidates train on cached features, so dozens take seconds to minutes. Writes"
                + " search.json (every candidate, kept up to date: --resume continues a killed search), best/ (a run"
                + " folder for 'cnnzoo predict'), candidates.csv and scores.png.")
final class SearchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions inputs;

    @Option(names = "--what", paramLabel = "head|finetune", description = "What to tune (default head).")
    String what = "head";

    @Option(names = "--space", paramLabel = "FILE|SPEC", description = "Search space over the defaults: a .json file or"
            + " a spec such as lr=1e-4..1e-1:log,hidden=0|256,updater=adam (see --parameters).")
    String space;

    @Option(names = "--parameters", description = "List the parameters of --what with their ranges and the default space, then stop.")
    boolean parameters;

    @Option(names = "--strategy", paramLabel = "random|grid", description = "How candidates are drawn (default random).")
    String strategy = "random";

    @Option(names = "--grid-points", converter = Values.Positive.class, paramLabel = "N", description = "Points per continuous range in a grid search (default 3).")
    int gridPoints = 3;

    @Option(names = "--trials", converter = Values.Positive.class, paramLabel = "N", description = "Most candidates (default 20 random, or the whole grid).")
    Integer trials;

    @Option(names = "--minutes", paramLabel = "M", description = "Start no candidate after M minutes.")
    Double minutes;

    @Option(names = "--metric", paramLabel = "accuracy|loss", description = "Validation measure that ranks candidates (default accuracy).")
    String metric = "accuracy";

    @Option(names = "--head", description = "Fine-tuning search: the head every candidate starts from (default linear).")
    String head = "linear";

    @Option(names = "--lr", converter = Values.LearningRate.class, description = "Fine-tuning search: learning rate of that head (default 1e-3).")
    double learningRate = 1e-3;

    @Option(names = "--epochs", converter = Values.Positive.class, description = "Fine-tuning search: most epochs of that head (default 30).")
    int epochs = 30;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the search's results.")
    Path out;

    @Option(names = "--resume", description = "Continue the search recorded in --out (same settings).")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SearchKind kind = SearchKind.parse(what);
        if (parameters) {
            for (Parameter p : kind.parameters()) {
                stdout.println("  " + p.describe());
            }
            stdout.println("default space: " + kind.defaults());
            return 0;
        }
        TransferPlan job = inputs.plan(spec, false, 0.2);
        SearchSpace chosen = SearchSpace.parse(kind, space);
        // the test images only measure the best candidate once; they are not part of any candidate's job
        Search.Options o = Search.Options.of(job
                        .withData(new DataPlan.Parts(job.data().train(), job.data().validation(), null, null))
                        .withHead(job.head().withHead(Head.parse(head)).withLearningRate(learningRate).withEpochs(epochs)),
                        out)
                .withKind(kind).withSpace(chosen).withStrategy(Search.Strategy.parse(strategy), gridPoints)
                .withBudget(trials, minutes).withMetric(ValidationScore.Metric.parse(metric))
                .withTest(job.data().test()).withResume(resume);
        err.println("space: " + chosen.spec());
        Search.Result r = Search.run(o);
        o.job().run().progress().finish();
        stdout.println(r.table());
        long failed = r.candidates().stream().filter(c -> !c.ok()).count();
        stdout.printf(Locale.ROOT, "%d candidate(s) in %.1f s%s%n", r.candidates().size(), r.seconds(),
                failed > 0 ? ", " + failed + " failed" : "");
        if (r.best().isPresent()) {
            Outcome b = r.best().get();
            stdout.printf(Locale.ROOT, "best: #%d, validation accuracy %.4f, loss %.4f: %s%n", b.index(),
                    b.validationAccuracy(), b.validationLoss(), b.values());
            stdout.printf("best run: %s (cnnzoo predict --model %s IMAGE...)%n", r.bestRun(), r.bestRun());
        } else {
            stdout.println("no candidate finished");
        }
        if (r.test() != null) {
            Metrics m = r.test();
            stdout.printf(Locale.ROOT, "best on the test data (not used to choose): %d images, accuracy %.4f%n",
                    m.examples(), m.accuracy());
        }
        stdout.printf("wrote %s (search.json, candidates.csv, scores.png)%n", out);
        return 0;
    }
}
