package org.cnnzoo.cli;

import org.cnnzoo.datasets.DataSources;
import org.cnnzoo.datasets.ImageFolder;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.datasets.Splits;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/** The images a command trains and is measured on: {@code --data}, {@code --test}, {@code --split}, subsets. */
final class DataOptions {

    @Option(names = "--data", required = true, paramLabel = "SOURCE", description = "Training data: " + DataSources.HELP + ".")
    String data;

    @Option(names = "--test", paramLabel = "SOURCE", description = "Test data (transfer: default the source's published test part or a split of --data;"
            + " search: measures only the best candidate, after the search).")
    String test;

    @Option(names = "--split", paramLabel = "TRAIN,VAL[,TEST]", description = "Ratios of a stratified split of --data (transfer: default 0.8,0.1,0.1, or 0.9,0.1 with test"
            + " data; search: 0.8,0.2).")
    String split;

    @Option(names = "--classes", paramLabel = "A,B,..", split = ",",
            description = "Only these classes, in this order (e.g. --classes sandal,shirt,sneaker,bag,ankle_boot).")
    List<String> classes;

    @Option(names = "--per-class", paramLabel = "N", description = "Only N training images of each class, drawn with the seed.")
    Integer perClass;

    @Option(names = "--offline", description = "Never download data.")
    boolean offline;

    /** Training, validation and test images; test may be null when not {@code testRequired}. */
    record Parts(ImageSource train, ImageSource validation, ImageSource test) {
    }

    /**
     * Splits {@code --data} (after {@code --classes} and {@code --per-class}). The test images are {@code --test},
     * or with {@code testRequired} the source's published test part or a split's test ratio.
     */
    Parts split(long seed, PrintWriter err, boolean testRequired) throws IOException {
        ImageSource all = DataSources.open(data, Part.TRAIN, offline);
        if (all instanceof ImageFolder f && f.warning() != null) {
            err.println("warning: " + f.warning());
        }
        all = subset(all);
        if (perClass != null) {
            if (perClass < 2) {
                throw new IllegalArgumentException("--per-class must be at least 2 (training and validation), got " + perClass);
            }
            all = Splits.perClass(all, perClass, seed);
        }
        ImageSource testSource = null;
        if (test != null) {
            testSource = subset(DataSources.open(test, Part.TEST, offline));
        } else if (testRequired && !(all instanceof ImageFolder)) {
            testSource = subset(DataSources.open(data, Part.TEST, offline));
        }
        double[] r = split != null ? ratios(split)
                : testSource == null && testRequired ? new double[]{0.8, 0.1, 0.1}
                : testRequired ? new double[]{0.9, 0.1, 0} : new double[]{0.8, 0.2, 0};
        Splits.Split parts = Splits.stratified(all, r[0], r[1], r[2], seed);
        ImageSource testImages = testSource != null ? testSource : parts.test().size() > 0 ? parts.test() : null;
        if (testRequired && testImages == null) {
            throw new IllegalArgumentException("no test images: give --test SOURCE or a --split with a test ratio");
        }
        if (testImages != null && !testImages.classes().equals(parts.train().classes())) {
            throw new IllegalArgumentException("the test data's classes " + testImages.classes() + " differ from the"
                    + " training data's " + parts.train().classes());
        }
        return new Parts(parts.train(), parts.validation().size() > 0 ? parts.validation() : null, testImages);
    }

    private ImageSource subset(ImageSource source) {
        return classes == null ? source : Splits.classes(source, classes);
    }

    /** "TRAIN,VAL,TEST" or "TRAIN,VAL" (no test part). */
    static double[] ratios(String text) {
        String[] parts = text.split(",");
        if (parts.length != 2 && parts.length != 3) {
            throw new IllegalArgumentException("--split takes ratios train,validation[,test] such as 0.8,0.1,0.1;"
                    + " got '" + text + "'");
        }
        double[] r = new double[3];
        for (int i = 0; i < parts.length; i++) {
            try {
                r[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--split takes numbers such as 0.8,0.1,0.1; got '" + text + "'");
            }
        }
        return Arrays.copyOf(r, 3);
    }
}
