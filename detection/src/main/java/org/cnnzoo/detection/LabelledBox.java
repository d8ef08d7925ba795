package org.cnnzoo.detection;

/** A ground-truth object: its box (in fractions of the image) and its class. */
public record LabelledBox(Box box, int classIndex) {
    public LabelledBox {
        if (classIndex < 0) {
            throw new IllegalArgumentException("a class index is from 0 up, got " + classIndex);
        }
    }
}
