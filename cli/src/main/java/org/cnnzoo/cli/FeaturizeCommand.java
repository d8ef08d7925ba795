package org.cnnzoo.cli;

import org.cnnzoo.transfer.Engine;
import org.cnnzoo.transfer.FineTuning;
import org.cnnzoo.transfer.TransferJob;
import org.cnnzoo.transfer.TransferPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code cnnzoo featurize}: the feature cache a transfer run trains on, computed ahead (on a cluster, say). */
@Command(name = "featurize", mixinStandardHelpOptions = true,
        description = "Compute the frozen network's features of the training and validation images into the feature"
                + " cache, exactly the entries 'cnnzoo transfer' with the same options reads (it then skips the"
                + " work). With --spark the images are decoded and run through the network on Spark's executors;"
                + " an interrupted run resumes where it stopped.")
final class FeaturizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JobOptions inputs;

    @Mixin
    FreezeOptions freeze;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TransferPlan plan = inputs.plan(spec, false, 1.0 / 9);
        FineTuning fineTuning = freeze.fineTuning(plan, 0, FineTuning.DEFAULT.epochs());
        TransferJob.Featurized f;
        try (Engine engine = spark.start(err)) {
            TransferPlan o = plan.withFinetune(fineTuning).withRun(plan.run().withEngine(engine));
            f = TransferJob.featurize(o);
            o.run().progress().finish();
        }
        out.printf("features at %s: %d training shard(s)%s in %s%n", f.cut(), f.train().size(),
                f.validation() == null ? "" : ", " + f.validation().size() + " validation shard(s)",
                f.train().get(0).getParent());
        return 0;
    }
}
