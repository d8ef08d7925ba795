package org.cnnzoo.detection.data;

import org.cnnzoo.datasets.Part;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a detection dataset by the name users give on the command line: {@code embedded} (the composed
 * Fashion-MNIST canvases), {@code voc:DIR[:SPLIT]}, {@code coco:FILE.json[:IMAGES_DIR]} (pictures beside the file
 * by default), {@code yolo:DIR}.
 */
public final class DetectionData {
    private DetectionData() {
    }

    /**
     * @param part    for {@code embedded}: the training or the test canvases; ignored by the file formats, whose
     *                split is part of the name
     * @param classes the class list to index by (a test set's must be its training set's), or null to take the
     *                dataset's own
     */
    public static DetectionSet open(String spec, Part part, List<String> classes) throws IOException {
        if (spec.equals("embedded")) {
            return EmbeddedDetection.load(part);
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("unknown detection data '" + spec + "'; give embedded, voc:DIR[:SPLIT],"
                    + " coco:FILE.json[:IMAGES_DIR] or yolo:DIR");
        }
        String format = spec.substring(0, colon);
        String[] rest = spec.substring(colon + 1).split(":", 2);
        Path first = Path.of(rest[0]);
        return switch (format) {
            case "voc" -> VocDataset.read(first, rest.length > 1 ? rest[1] : null, classes);
            case "coco" -> CocoDataset.read(first, rest.length > 1 ? Path.of(rest[1])
                    : first.toAbsolutePath().getParent(), classes);
            case "yolo" -> YoloDataset.read(first, classes);
            default -> throw new IllegalArgumentException("unknown detection format '" + format + "' in '" + spec
                    + "'; give voc:, coco: or yolo:");
        };
    }
}
