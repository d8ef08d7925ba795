package org.cnnzoo.faces.metric;

import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.datasets.ImageSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Training images laid out for instance discrimination: in a seeded shuffled order, each image twice in a row, so
 * that an augmenting iterator draws two views of it into the same batch. The label of a pair is its place in the
 * batch ({@code (i / 2) mod (batch / 2)}): distinct within a batch, which is all a metric loss formed within the
 * batch reads, and unchanged when an image fails to decode (the iterator's batches cover fixed ranges of positions).
 */
final class ViewPairs implements ImageSource {
    private final ImageSource images;
    private final int pairsPerBatch;
    private final List<String> classes;

    private ViewPairs(ImageSource images, int pairsPerBatch) {
        this.images = images;
        this.pairsPerBatch = pairsPerBatch;
        List<String> names = new ArrayList<>(pairsPerBatch);
        for (int k = 0; k < pairsPerBatch; k++) {
            names.add("pair " + k);
        }
        this.classes = List.copyOf(names);
    }

    /** @param batch the iterator's batch size: even, so that no pair is split between batches */
    static ViewPairs of(ImageSource train, int batch, long seed) {
        if (batch < 2 || batch % 2 != 0) {
            throw new IllegalArgumentException("pairs of views need an even batch size, got " + batch);
        }
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] twice = new int[2 * order.length];
        for (int i = 0; i < order.length; i++) {
            twice[2 * i] = order[i];
            twice[2 * i + 1] = order[i];
        }
        return new ViewPairs(train.subset(twice), batch / 2);
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int label(int index) {
        return (index / 2) % pairsPerBatch;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public Mat decode(int index, int channels) throws IOException {
        return images.decode(index, channels);
    }

    @Override
    public Mat decode(int index, int channels, int minSide) throws IOException {
        return images.decode(index, channels, minSide);
    }

    @Override
    public String describe(int index) {
        return images.describe(index);
    }

    @Override
    public String key(int index) {
        return images.key(index);
    }

    @Override
    public String identity(int index) {
        return images.identity(index);
    }

    @Override
    public String location(int index) {
        return images.location(index);
    }

    @Override
    public String fingerprint() {
        return images.fingerprint() + " in view pairs of " + pairsPerBatch;
    }
}
