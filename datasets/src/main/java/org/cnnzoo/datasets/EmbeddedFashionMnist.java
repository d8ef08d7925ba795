package org.cnnzoo.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small real subset of Fashion-MNIST (MIT licence) shipped inside the jar, so that the demo and the tests run
 * on any machine without a download: 3,000 training and 1,000 test images.
 *
 * <p>How it is cut, reproducibly ({@link #cut}): from the official training file, the first 300 images of each
 * class in file order; from the official test file, the first 100 of each class; each kept in file order. The
 * original indices are {@link #indices}, and a test re-cuts it from Debian's copy and compares.
 */
public final class EmbeddedFashionMnist {
    public static final int TRAIN_PER_CLASS = 300;
    public static final int TEST_PER_CLASS = 100;
    private static final String RESOURCE = "/org/cnnzoo/datasets/fashion-mnist-subset/";

    private EmbeddedFashionMnist() {
    }

    public static ImageArrays load(Part part) throws IOException {
        Idx.Images images = Idx.readImages(resource(part.imagesFile()), "embedded " + part.imagesFile());
        Idx.Labels labels = Idx.readLabels(resource(part.labelsFile()), "embedded " + part.labelsFile());
        return new ImageArrays("fashion-mnist subset " + part.name().toLowerCase(), images.pixels(), labels.labels(),
                images.rows(), images.cols(), 1, FashionMnist.CLASSES);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = EmbeddedFashionMnist.class.getResourceAsStream(RESOURCE + name + ".gz");
        if (in == null) {
            throw new IOException("the embedded Fashion-MNIST subset is missing from the class path (" + RESOURCE + ")");
        }
        return in;
    }

    /** Positions in the official file of the images kept: the first {@code perClass} of each class. */
    public static int[] indices(int[] labels, int perClass) {
        int[] taken = new int[FashionMnist.CLASSES.size()];
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                kept.add(i);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Cuts the subset from a full Fashion-MNIST folder (checked by content) into {@code out}, as .gz idx files. */
    public static void cut(Path fashionMnist, Path out) throws IOException {
        Files.createDirectories(out);
        for (Part part : Part.values()) {
            ImageArrays full = FashionMnist.load(fashionMnist, part);
            int[] labels = new int[full.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = full.label(i);
            }
            int[] keep = indices(labels, part == Part.TRAIN ? TRAIN_PER_CLASS : TEST_PER_CLASS);
            byte[][] pixels = new byte[keep.length][];
            int[] keptLabels = new int[keep.length];
            for (int k = 0; k < keep.length; k++) {
                pixels[k] = full.pixels(keep[k]);
                keptLabels[k] = labels[keep[k]];
            }
            Idx.writeImages(out.resolve(part.imagesFile() + ".gz"), pixels, full.height(), full.width());
            Idx.writeLabels(out.resolve(part.labelsFile() + ".gz"), keptLabels);
        }
    }

    /** {@code java ... EmbeddedFashionMnist FASHION_MNIST_DIR OUT_DIR}: re-cuts the embedded subset. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedFashionMnist FASHION_MNIST_DIR OUT_DIR");
            System.exit(2);
        }
        cut(Path.of(args[0]), Path.of(args[1]));
    }
}
