package org.cnnzoo.datasets;

import org.cnnzoo.common.Hashing;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** Some images of a parent source, by position (a split, a sample). */
final class Subset implements ImageSource {
    private final ImageSource parent;
    private final int[] indices;

    Subset(ImageSource parent, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= parent.size()) {
                throw new IllegalArgumentException("index " + i + " is outside 0.." + (parent.size() - 1));
            }
        }
        this.parent = parent;
        this.indices = indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int label(int index) {
        return parent.label(indices[index]);
    }

    @Override
    public List<String> classes() {
        return parent.classes();
    }

    @Override
    public Mat decode(int index, int channels) throws IOException {
        return parent.decode(indices[index], channels);
    }

    @Override
    public Mat decode(int index, int channels, int minSide) throws IOException {
        return parent.decode(indices[index], channels, minSide);
    }

    @Override
    public String describe(int index) {
        return parent.describe(indices[index]);
    }

    @Override
    public String key(int index) {
        return parent.key(indices[index]);
    }

    @Override
    public String location(int index) {
        return parent.location(indices[index]);
    }

    @Override
    public String identity(int index) {
        return parent.identity(indices[index]);
    }

    @Override
    public String fingerprint() {
        return Hashing.sha256(parent.fingerprint() + Arrays.toString(indices));
    }
}
