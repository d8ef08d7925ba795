package org.cnnzoo.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 in its binary format: {@code data_batch_1.bin} .. {@code data_batch_5.bin} (training) and
 * {@code test_batch.bin}, each a run of 3,073-byte records: one label byte, then 1,024 red, 1,024 green and 1,024
 * blue bytes of a 32x32 image. Class names come from {@code batches.meta.txt} when present.
 */
public final class Cifar10 {
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    static final int SIDE = 32;
    static final int RECORD = 1 + 3 * SIDE * SIDE;

    private Cifar10() {
    }

    public static ImageArrays load(Path dir, Part part) throws IOException {
        List<Path> files = new ArrayList<>();
        if (part == Part.TRAIN) {
            for (int i = 1; i <= 5; i++) {
                files.add(dir.resolve("data_batch_" + i + ".bin"));
            }
        } else {
            files.add(dir.resolve("test_batch.bin"));
        }
        List<byte[]> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> classes = classes(dir);
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString(), null,
                        "CIFAR-10 " + part.name().toLowerCase() + " needs " + file.getFileName() + " in " + dir);
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0 || bytes.length % RECORD != 0) {
                throw new IOException(file + " is not a CIFAR-10 binary batch: " + bytes.length
                        + " bytes is not a whole number of " + RECORD + "-byte records");
            }
            for (int offset = 0; offset < bytes.length; offset += RECORD) {
                int label = bytes[offset] & 0xFF;
                if (label >= classes.size()) {
                    throw new IOException(file + ": record " + offset / RECORD + " has label " + label);
                }
                labels.add(label);
                pixels.add(interleave(bytes, offset + 1));
            }
        }
        return new ImageArrays("cifar-10 " + part.name().toLowerCase(), pixels.toArray(byte[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray(), SIDE, SIDE, 3, classes);
    }

    /** Planar R, G, B to interleaved RGB. */
    private static byte[] interleave(byte[] bytes, int start) {
        int plane = SIDE * SIDE;
        byte[] rgb = new byte[3 * plane];
        for (int p = 0; p < plane; p++) {
            rgb[3 * p] = bytes[start + p];
            rgb[3 * p + 1] = bytes[start + plane + p];
            rgb[3 * p + 2] = bytes[start + 2 * plane + p];
        }
        return rgb;
    }

    private static List<String> classes(Path dir) throws IOException {
        Path meta = dir.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) {
            return CLASSES;
        }
        List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        return names.isEmpty() ? CLASSES : names;
    }
}
