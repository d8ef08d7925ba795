package org.cnnzoo.cli;

import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.transfer.TransferJob;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;

/** The network, the data and the shared settings of the commands that train: transfer and search. */
final class JobOptions {

    @Mixin
    ModelOptions model;

    @Mixin
    DataOptions data;

    @Mixin
    RunOptions run;

    /**
     * Loads the network and splits the data into {@code job}, with normalisation, batch size, seed, cache, the
     * command line and a console progress display.
     *
     * @return the test images (null when not {@code testRequired} and none were given)
     */
    DataPlan.Parts fill(TransferJob.Options job, CommandSpec spec, boolean testRequired, double validationShare)
            throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ModelOptions.Base base = model.load(run.seed, err);
        job.base = base.graph();
        job.stages = base.stages();
        job.baseName = base.name();
        job.input = new int[]{base.input().height(), base.input().width(), base.input().channels()};
        job.randomBase = base.random();
        DataPlan.Parts parts = data.split(run.seed, err, testRequired, validationShare);
        job.train = parts.train();
        job.validation = parts.validation();
        job.test = parts.test();
        job.normalization = run.normalization(base.normalization(), base.normalizationFrom(), err);
        job.batchSize = run.batch;
        job.seed = run.seed;
        job.cache = run.cache();
        job.command = "cnnzoo " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        job.progress = new ConsoleProgress(err);
        return parts;
    }
}
