package org.cnnzoo.detection.yolo;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.detection.Anchor;
import org.cnnzoo.detection.YoloGrid;
import org.cnnzoo.zoo.InputShape;

import java.util.List;

/**
 * What a trained YOLO detector needs besides its weights, kept in its run folder: where its backbone came from and
 * where it was cut, the input and normalisation, the anchors (in grid cells), the class names, the grid, and the
 * vertex whose output is the raw volume.
 */
public record DetectorSpec(String backbone, String features, InputShape input, Normalization normalization,
                           List<Anchor> anchors, List<String> classes, int rows, int columns, String head) {
    public DetectorSpec {
        anchors = List.copyOf(anchors);
        classes = List.copyOf(classes);
    }

    public YoloGrid grid() {
        return new YoloGrid(rows, columns, anchors, classes.size());
    }

    public DetectorInput detectorInput() {
        return new DetectorInput(input, normalization);
    }
}
