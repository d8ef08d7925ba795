package org.cnnzoo.datasets;

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
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < source.classes().size(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < source.size(); i++) {
            byClass.get(source.label(i)).add(i);
        }
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

    private static void requirePresent(String name, int n, String part, double ratio, int count) {
        if (ratio > 0 && count == 0) {
            throw new IllegalArgumentException("the " + part + " set would have no image of class '" + name + "' ("
                    + n + " image(s) x " + ratio + " rounds to 0); add images of it or raise the " + part + " ratio");
        }
    }

    private static int[] sorted(List<Integer> indices) {
        return indices.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
