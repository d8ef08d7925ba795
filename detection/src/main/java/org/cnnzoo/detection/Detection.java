package org.cnnzoo.detection;

/** A box a detector proposes: where, which class, how sure. */
public record Detection(Box box, int classIndex, double score) {
    public Detection {
        if (classIndex < 0) {
            throw new IllegalArgumentException("a class index is from 0 up, got " + classIndex);
        }
    }
}
