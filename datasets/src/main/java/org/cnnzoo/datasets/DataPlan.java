package org.cnnzoo.datasets;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which images a job trains on, validates on and is tested on, decided in one place for every command and for
 * Java users, in this order:
 * <ol>
 * <li>The test images are fixed first, before any subset: {@code test} when given; else the data's published
 * test part (embedded, Fashion-MNIST, MNIST, CIFAR-10); else, for an image folder, the images
 * {@link Splits#holdOut} keeps back at the test ratio (chosen by a hash of each file's path in the folder, so
 * they are the same for every seed, subset and command). No training or validation image is ever drawn from
 * them.</li>
 * <li>{@code classes} keeps only those classes, relabelled in that order, in every part.</li>
 * <li>{@code perClass} takes that many labelled images of each class from what is left (training plus
 * validation), with the seed.</li>
 * <li>What is left is split into training and validation in proportion to the ratios, stratified, with the
 * seed.</li>
 * <li>No test image may also be a training or validation image (compared by {@link ImageSource#identity}, so the
 * same file reached through another path or a link counts): such a plan is refused.</li>
 * </ol>
 *
 * @param data      the training source ({@link DataSources} names)
 * @param test      a separate test source, or null
 * @param classes   only these classes, in this order; null: all
 * @param perClass  only this many labelled (training + validation) images per class; null: all
 * @param ratios    the split; null: {@link #defaults}
 * @param seed      draws the per-class sample and the validation images
 * @param offline   never download
 */
public record DataPlan(String data, String test, List<String> classes, Integer perClass, Ratios ratios, long seed,
                       boolean offline) {

    /** The share of a folder held out for testing when nothing else says. */
    public static final double HELD_OUT = 0.1;

    /** Fractions of the data for training, validation and testing; they add up to 1. */
    public record Ratios(double train, double validation, double test) {
        public Ratios {
            if (!(train > 0) || !(validation >= 0) || !(test >= 0) || Math.abs(train + validation + test - 1) > 1e-6) {
                throw new IllegalArgumentException("split ratios must be train > 0, validation >= 0, test >= 0 adding up"
                        + " to 1, such as 0.8,0.1,0.1; got " + format(train) + "," + format(validation) + "," + format(test));
            }
        }

        /** "TRAIN,VAL" or "TRAIN,VAL,TEST", e.g. 0.8,0.1,0.1. */
        public static Ratios parse(String text) {
            String[] parts = text.split(",", -1);
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
                if (!Double.isFinite(r[i])) {
                    throw new IllegalArgumentException("--split takes finite numbers such as 0.8,0.1,0.1; got '" + text + "'");
                }
            }
            return new Ratios(r[0], r[1], r[2]);
        }

        /** The validation share of what is not held out for testing. */
        double validationShare() {
            return validation / (train + validation);
        }

        @Override
        public String toString() {
            return format(train) + "," + format(validation) + "," + format(test);
        }

        private static String format(double v) {
            return String.format(Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "");
        }
    }

    /** Training, validation and test images; validation and test may be null. */
    public record Parts(ImageSource train, ImageSource validation, ImageSource test, String testOrigin) {
    }

    /**
     * The split when none is given: with test images from elsewhere (a test source or a published test part) 8 to 1
     * (transfer) or 4 to 1 (search) between training and validation; from a folder alone the same after holding out
     * {@value #HELD_OUT}.
     *
     * @param validationShare validation's share of the images that are not test images
     */
    public static Ratios defaults(boolean testFromData, double validationShare) {
        double test = testFromData ? HELD_OUT : 0;
        return new Ratios((1 - test) * (1 - validationShare), (1 - test) * validationShare, test);
    }

    /**
     * Opens the sources and divides them as the class comment says.
     *
     * @param testRequired    fail when there are no test images; when false, a published test part is not read
     *                        unless {@code test} names it (images held out of a folder are still never trained on)
     * @param validationShare the default validation share of the non-test images (see {@link #defaults})
     * @param notes           receives what was decided, for the user (the test images' origin, warnings)
     */
    public Parts open(boolean testRequired, double validationShare, Consumer<String> notes) throws IOException {
        ImageSource all = DataSources.open(data, Part.TRAIN, offline);
        if (all instanceof ImageFolder f && f.warning() != null) {
            notes.accept("warning: " + f.warning());
        }
        boolean folder = all.folder();
        if (classes != null && classes.size() < 2) {
            throw new IllegalArgumentException("--classes names " + classes.size() + " class(es): a classifier needs at"
                    + " least two");
        }
        if (classes != null && classes.size() != new java.util.HashSet<>(classes).size()) {
            throw new IllegalArgumentException("--classes names a class twice: " + classes);
        }
        if (perClass != null && perClass < 2) {
            throw new IllegalArgumentException("--per-class must be at least 2 (training and validation), got " + perClass);
        }
        Ratios r = ratios != null ? ratios : defaults(folder && test == null, validationShare);
        ImageSource testImages;
        String origin;
        if (test != null || !folder) {
            if (r.test() > 0) {
                throw new IllegalArgumentException("--split " + r + " holds out test images from --data, but the test"
                        + " images come from " + (test != null ? "--test " + test : "the published test part of " + data)
                        + ": give --split TRAIN,VAL");
            }
            testImages = test != null ? DataSources.open(test, Part.TEST, offline)
                    : testRequired ? DataSources.open(data, Part.TEST, offline) : null;
            origin = test != null ? test : data + " (its published test part)";
        } else {
            Splits.Split held = Splits.holdOut(all, r.test());
            all = held.train();
            testImages = held.test().size() > 0 ? held.test() : null;
            origin = String.format(Locale.ROOT, "%s: %s of each class held out, chosen by file path, the same for every"
                    + " seed and subset", data, Ratios.format(r.test()));
        }
        if (classes != null) {
            all = Splits.classes(all, classes);
            testImages = testImages == null ? null : Splits.classes(testImages, classes);
        }
        if (perClass != null) {
            all = Splits.perClass(all, perClass, seed);
        }
        Splits.Split parts = Splits.stratified(all, 1 - r.validationShare(), r.validationShare(), 0, seed);
        if (testRequired && testImages == null) {
            throw new IllegalArgumentException("no test images: give --test SOURCE or a --split with a test ratio");
        }
        if (testImages != null && !testImages.classes().equals(parts.train().classes())) {
            throw new IllegalArgumentException("the test data's classes " + testImages.classes() + " differ from the"
                    + " training data's " + parts.train().classes());
        }
        if (testImages != null) {
            requireDisjoint(testImages, parts.train(), parts.validation());
        }
        return new Parts(parts.train(), parts.validation().size() > 0 ? parts.validation() : null, testImages,
                testImages == null ? null : origin);
    }

    /**
     * A whole source divided as {@link #open} divides an image folder without subsets: held out by file path, the
     * rest split with the seed (what {@code cnnzoo dataset --split} shows).
     */
    public static Splits.Split divide(ImageSource source, Ratios r, long seed) {
        Splits.Split held = Splits.holdOut(source, r.test());
        Splits.Split rest = Splits.stratified(held.train(), 1 - r.validationShare(), r.validationShare(), 0, seed);
        return new Splits.Split(rest.train(), rest.validation(), held.test());
    }

    /** @throws IllegalArgumentException when a test image is also a training or validation image, naming one */
    static void requireDisjoint(ImageSource test, ImageSource... others) {
        Set<String> seen = new HashSet<>();
        for (ImageSource s : others) {
            for (int i = 0; i < s.size(); i++) {
                seen.add(s.identity(i));
            }
        }
        int shared = 0;
        String example = null;
        for (int i = 0; i < test.size(); i++) {
            if (seen.contains(test.identity(i))) {
                shared++;
                example = example == null ? test.describe(i) : example;
            }
        }
        if (shared > 0) {
            throw new IllegalArgumentException(shared + " test image(s) are also training or validation images (e.g. "
                    + example + "): give test data that shares no image with --data, or leave --test out to hold"
                    + " images out of --data");
        }
    }
}
