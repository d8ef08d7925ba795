package org.cnnzoo.detection.data;

import org.cnnzoo.detection.LabelledBox;
import org.cnnzoo.detection.RgbImage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One picture of a detection dataset and its labelled boxes, in the picture's pixels. The picture is either a file,
 * decoded when asked for, or held in memory (the embedded set).
 *
 * @param id      a name unique in its dataset (a file name, a COCO id)
 * @param file    the picture's file, or null when {@code pixels} holds it
 * @param pixels  the picture, or null when it is read from {@code file}
 * @param objects the boxes, already checked against the picture and the class list
 */
public record DetectionSample(String id, Path file, RgbImage pixels, List<LabelledBox> objects) {
    public DetectionSample {
        if ((file == null) == (pixels == null)) {
            throw new IllegalArgumentException(id + ": a sample is a file or pixels in memory, exactly one");
        }
        objects = List.copyOf(objects);
    }

    /** @throws IOException naming the file when it cannot be read as a picture */
    public RgbImage image() throws IOException {
        return pixels != null ? pixels : RgbImage.read(file);
    }
}
