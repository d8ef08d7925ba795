package org.cnnzoo.datasets;

/** The published training or test part of a dataset. */
public enum Part {
    TRAIN("train"),
    TEST("t10k");

    private final String idxPrefix;

    Part(String idxPrefix) {
        this.idxPrefix = idxPrefix;
    }

    /** The idx file names of this part, e.g. train-images-idx3-ubyte. */
    public String imagesFile() {
        return idxPrefix + "-images-idx3-ubyte";
    }

    public String labelsFile() {
        return idxPrefix + "-labels-idx1-ubyte";
    }
}
