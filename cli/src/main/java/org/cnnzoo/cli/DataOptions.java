package org.cnnzoo.cli;

import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.datasets.DataSources;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** The images a command trains and is measured on: {@code --data}, {@code --test}, {@code --split}, subsets. */
final class DataOptions {

    @Option(names = "--data", required = true, paramLabel = "SOURCE", description = "Training data: " + DataSources.HELP + ".")
    String data;

    @Option(names = "--test", paramLabel = "SOURCE", description = "Test data (default: the source's published test part,"
            + " or for a folder 10%% of each class held out by file path, never trained on by any command; search"
            + " measures only the best candidate on it).")
    String test;

    @Option(names = "--split", paramLabel = "TRAIN,VAL[,TEST]", description = "Ratios of --data (transfer: default 0.8,0.1,0.1"
            + " for a folder, else 0.9,0.1; search: 0.72,0.18,0.1 for a folder, else 0.8,0.2). The test part is held"
            + " out before --classes and --per-class, so they never change it.")
    String split;

    @Option(names = "--classes", paramLabel = "A,B,..", split = ",",
            description = "Only these classes, in this order (e.g. --classes Sandal,Shirt,Sneaker for embedded).")
    List<String> classes;

    @Option(names = "--per-class", paramLabel = "N", description = "Only N labelled (training + validation) images of each"
            + " class, drawn with the seed; test images are unaffected.")
    Integer perClass;

    @Option(names = "--offline", description = "Never download data.")
    boolean offline;

    /** The plan these options describe. */
    DataPlan plan(long seed) {
        return new DataPlan(data, test, classes, perClass, split == null ? null : DataPlan.Ratios.parse(split), seed, offline);
    }

    /**
     * The training, validation and test images (see {@link DataPlan}); prints where the test images come from.
     *
     * @param validationShare validation's default share of the images that are not test images
     */
    DataPlan.Parts split(long seed, PrintWriter err, boolean testRequired, double validationShare) throws IOException {
        DataPlan.Parts parts = plan(seed).open(testRequired, validationShare, err::println);
        if (parts.test() != null) {
            err.printf("test: %,d images from %s%n", parts.test().size(), parts.testOrigin());
        }
        return parts;
    }
}
