package org.cnnzoo.cli;

import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.transfer.Backbone;
import org.cnnzoo.transfer.InputSpec;
import org.cnnzoo.transfer.RunSettings;
import org.cnnzoo.transfer.TransferPlan;
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
     * The job these options describe: the loaded network as a backbone, the data's parts, the normalisation (the
     * user's, else the one the base records), batch size, seed, cache, the command line and a progress display;
     * head training and fine-tuning at their defaults, for the command to set.
     *
     * @param testRequired whether the data must yield test images (search: optional)
     */
    TransferPlan plan(CommandSpec spec, boolean testRequired, double validationShare) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        ModelOptions.Base base = model.load(run.seed, err);
        Backbone backbone = base.backbone();
        if (backbone.features() != null) {
            err.println("features of " + backbone.name() + ": up to " + backbone.features() + (backbone.dropped().isEmpty()
                    ? "" : " (its own classifier layers " + String.join(", ", backbone.dropped())
                    + " are replaced by the new head)"));
        }
        DataPlan.Parts parts = data.split(run.seed, err, testRequired, validationShare);
        InputSpec input = new InputSpec(base.input(), run.normalization(base.normalization(),
                base.normalizationFrom(), err));
        RunSettings settings = RunSettings.in(run.cache()).withSeed(run.seed).withBatchSize(run.batch)
                .withCommand("cnnzoo " + String.join(" ", spec.commandLine().getParseResult().originalArgs()))
                .withProgress(new ConsoleProgress(err));
        return TransferPlan.of(backbone, input, parts, settings);
    }
}
