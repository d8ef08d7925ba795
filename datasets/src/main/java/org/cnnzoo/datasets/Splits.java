package org.cnnzoo.datasets;

import org.cnnzoo.common.Hashing;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Stratified train / validation / test splits: every class is divided in the same ratios. */
public final class Splits {

    /** The three parts; validation or test may be empty when their ratio is 0. */
    public record Split(ImageSource train, ImageSource validation, ImageSource test) {
    }

    private Splits() {
    }

    /**
     * Splits each class in the ratios train : validation : test (they must add up to 1), shuffling with the seed.
     * Each class contributes round(n * ratio) images to validation and test, the rest to train.
     *
     * @throws IllegalArgumentException for impossible ratios, or when a non-empty part would miss a class (too few
     *                                  images of it for these ratios), naming the class
     */
    public static Split stratified(ImageSource source, double train, double validation, double test, long seed) {
        if (train <= 0 || validation < 0 || test < 0 || Math.abs(train + validation + test - 1) > 1e-6) {
            throw new IllegalArgumentException("split ratios must be train > 0, validation >= 0, test >= 0 adding up to 1;"
                    + " got " + train + ", " + validation + ", " + test);
        }
        List<List<Integer>> byClass = byClass(source);
        List<Integer> trainIdx = new ArrayList<>();
        List<Integer> valIdx = new ArrayList<>();
        List<Integer> testIdx = new ArrayList<>();
        Random random = new Random(seed);
        for (int c = 0; c < byClass.size(); c++) {
            List<Integer> members = byClass.get(c);
            java.util.Collections.shuffle(members, random);
            int n = members.size();
            int nVal = (int) Math.round(n * validation);
            int nTest = (int) Math.round(n * test);
            String name = source.classes().get(c);
            requirePresent(name, n, "validation", validation, nVal);
            requirePresent(name, n, "test", test, nTest);
            if (n - nVal - nTest < 1) {
                throw new IllegalArgumentException("class '" + name + "' has " + n + " image(s): too few to keep one for"
                        + " training with these ratios; add images or lower the validation/test ratios");
            }
            valIdx.addAll(members.subList(0, nVal));
            testIdx.addAll(members.subList(nVal, nVal + nTest));
            trainIdx.addAll(members.subList(nVal + nTest, n));
        }
        return new Split(source.subset(sorted(trainIdx)), source.subset(sorted(valIdx)), source.subset(sorted(testIdx)));
    }

    /**
     * Holds out {@code ratio} of every class for testing, by rank of a hash of each image's {@link ImageSource#key}:
     * which images are held out depends neither on a seed nor on which other classes or images are chosen, so
     * every command and every run on the same data holds out the same images, and an image added to a class moves
     * at most one other across the line. Each class holds out round(n * ratio) images, at least one when the ratio
     * is above 0.
     *
     * @return the rest as {@code train}, the held-out images as {@code test}, and an empty validation part
     * @throws IllegalArgumentException for a ratio outside [0, 1), or a class too small to keep an image on each side
     */
    public static Split holdOut(ImageSource source, double ratio) {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("the held-out test ratio must be in [0, 1), got " + ratio);
        }
        List<Integer> keep = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        List<List<Integer>> byClass = byClass(source);
        for (int c = 0; c < byClass.size(); c++) {
            List<Integer> members = byClass.get(c);
            List<String> ranks = new ArrayList<>(members.size());
            java.util.Map<String, Integer> byRank = new java.util.HashMap<>();
            for (int i : members) {
                String rank = Hashing.sha256("held-out\n" + source.key(i)) + "\n" + source.key(i);
                ranks.add(rank);
                byRank.put(rank, i);
            }
            java.util.Collections.sort(ranks);
            int n = members.size();
            int nTest = ratio == 0 ? 0 : Math.max(1, (int) Math.round(n * ratio));
            if (n - nTest < 1 && n > 0) {
                throw new IllegalArgumentException("class '" + source.classes().get(c) + "' has " + n + " image(s): too"
                        + " few to hold out " + ratio + " for testing and keep one for training; add images or give test"
                        + " data with --test");
            }
            for (int r = 0; r < n; r++) {
                (r < nTest ? held : keep).add(byRank.get(ranks.get(r)));
            }
        }
        return new Split(source.subset(sorted(keep)), source.subset(new int[0]), source.subset(sorted(held)));
    }

    /**
     * Only the named classes, relabelled 0..k-1 in the order given (e.g. Fashion-MNIST's last five classes as a
     * five-class problem).
     */
    public static ImageSource classes(ImageSource source, List<String> keep) {
        int[] newLabel = new int[source.classes().size()];
        java.util.Arrays.fill(newLabel, -1);
        for (int k = 0; k < keep.size(); k++) {
            int old = source.classes().indexOf(keep.get(k));
            if (old < 0) {
                throw new IllegalArgumentException("no class '" + keep.get(k) + "'; classes: " + source.classes());
            }
            newLabel[old] = k;
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            if (newLabel[source.label(i)] >= 0) {
                indices.add(i);
            }
        }
        return new Relabelled(source.subset(sorted(indices)), newLabel, List.copyOf(keep));
    }

    /** {@code n} images of each class, chosen at random with the seed (all of a class if it has fewer). */
    public static ImageSource perClass(ImageSource source, int n, long seed) {
        Random random = new Random(Seeds.mix(seed, n));
        List<List<Integer>> byClass = byClass(source);
        List<Integer> chosen = new ArrayList<>();
        for (List<Integer> members : byClass) {
            java.util.Collections.shuffle(members, random);
            chosen.addAll(members.subList(0, Math.min(n, members.size())));
        }
        return source.subset(sorted(chosen));
    }

    /** A source whose labels are mapped through a table. */
    private record Relabelled(ImageSource inner, int[] newLabel, List<String> classes) implements ImageSource {
        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public int label(int index) {
            return newLabel[inner.label(index)];
        }

        @Override
        public org.bytedeco.opencv.opencv_core.Mat decode(int index, int channels) throws java.io.IOException {
            return inner.decode(index, channels);
        }

        @Override
        public org.bytedeco.opencv.opencv_core.Mat decode(int index, int channels, int minSide) throws java.io.IOException {
            return inner.decode(index, channels, minSide);
        }

        @Override
        public String describe(int index) {
            return inner.describe(index);
        }

        @Override
        public String key(int index) {
            return inner.key(index);
        }

        @Override
        public String identity(int index) {
            return inner.identity(index);
        }

        /** Where the image is, as before relabelling: Spark's executors read a class subset by it. */
        @Override
        public String location(int index) {
            return inner.location(index);
        }

        @Override
        public String fingerprint() {
            return Hashing.sha256(inner.fingerprint() + classes + java.util.Arrays.toString(newLabel));
        }
    }

    private static void requirePresent(String name, int n, String part, double ratio, int count) {
        if (ratio > 0 && count == 0) {
            throw new IllegalArgumentException("the " + part + " set would have no image of class '" + name + "' ("
                    + n + " image(s) x " + ratio + " rounds to 0); add images of it or raise the " + part + " ratio");
        }
    }

    /** Positions of each class's images, in order. */
    private static List<List<Integer>> byClass(ImageSource source) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < source.classes().size(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < source.size(); i++) {
            byClass.get(source.label(i)).add(i);
        }
        return byClass;
    }

    private static int[] sorted(List<Integer> indices) {
        return indices.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * Up to {@code count} images spread over the classes, for a look at the data: each class's first image in class
     * order, then each class's second, and so on.
     */
    public static List<Integer> roundRobin(ImageSource source, int count) {
        int classes = source.classes().size();
        List<List<Integer>> byClass = new java.util.ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new java.util.ArrayList<>());
        }
        for (int i = 0; i < source.size(); i++) {
            byClass.get(source.label(i)).add(i);
        }
        List<Integer> picked = new java.util.ArrayList<>();
        int wanted = Math.min(count, source.size());
        for (int k = 0; picked.size() < wanted; k++) {
            List<Integer> members = byClass.get(k % classes);
            int rank = k / classes;
            if (rank < members.size()) {
                picked.add(members.get(rank));
            }
        }
        return picked;
    }
}
