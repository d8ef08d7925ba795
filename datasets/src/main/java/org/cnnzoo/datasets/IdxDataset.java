package org.cnnzoo.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading an MNIST-style folder: the idx files of a part, plain or .gz, into {@link ImageArrays}. */
final class IdxDataset {
    private IdxDataset() {
    }

    /** The file of that name in the folder, plain or with .gz, or null. */
    static Path find(Path dir, String name) {
        for (String candidate : new String[]{name + ".gz", name}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static Path require(Path dir, String name, String dataset) throws IOException {
        Path p = find(dir, name);
        if (p == null) {
            throw new java.nio.file.NoSuchFileException(dir.resolve(name + ".gz").toString(), null,
                    dataset + " needs " + name + "(.gz) in " + dir);
        }
        return p;
    }

    /**
     * Reads a part; when expected MD5s are given (images, labels), the decompressed content must match them.
     */
    static ImageArrays load(String dataset, Path dir, Part part, List<String> classes, String[] md5) throws IOException {
        Path imagesFile = require(dir, part.imagesFile(), dataset);
        Path labelsFile = require(dir, part.labelsFile(), dataset);
        Idx.Images images = Idx.readImages(imagesFile);
        Idx.Labels labels = Idx.readLabels(labelsFile);
        if (md5 != null) {
            verify(imagesFile, images.md5(), md5[0]);
            verify(labelsFile, labels.md5(), md5[1]);
        }
        if (images.count() != labels.labels().length) {
            throw new IOException(dataset + " in " + dir + ": " + images.count() + " images but "
                    + labels.labels().length + " labels");
        }
        return new ImageArrays(dataset + " " + part.name().toLowerCase(), images.pixels(), labels.labels(),
                images.rows(), images.cols(), 1, classes);
    }

    static void verify(Path file, String actual, String expected) throws IOException {
        if (!actual.equals(expected)) {
            throw new IOException(file + " does not hold the expected data: MD5 of its content is " + actual
                    + ", expected " + expected + "; delete it and fetch it again");
        }
    }
}
