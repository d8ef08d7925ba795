package org.cnnzoo.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST handwritten digits from a folder of its idx files (plain or .gz). The format is checked (magic numbers,
 * sizes, no truncation); the content is not, as MNIST's published checksums are of its .gz files.
 */
public final class Mnist {
    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private Mnist() {
    }

    public static ImageArrays load(Path dir, Part part) throws IOException {
        return IdxDataset.load("mnist", dir, part, CLASSES, null);
    }
}
