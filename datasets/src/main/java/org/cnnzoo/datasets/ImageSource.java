package org.cnnzoo.datasets;

import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.util.List;

/**
 * A labelled collection of images, decoded one at a time and safe to decode from several threads at once: an image
 * folder, an in-memory set such as Fashion-MNIST, or a subset of either.
 */
public interface ImageSource {

    int size();

    /** The class index of image i, into {@link #classes()}. */
    int label(int index);

    /** Class names in label order. */
    List<String> classes();

    /** Image i as an 8-bit matrix with 1 (grey) or 3 (RGB) channels. */
    Mat decode(int index, int channels) throws IOException;

    /**
     * Image i, possibly decoded smaller when that is cheaper, but with its shorter side at least {@code minSide}
     * (or its full size if smaller). The default decodes at full size.
     */
    default Mat decode(int index, int channels, int minSide) throws IOException {
        return decode(index, channels);
    }

    /** Where image i comes from, for messages (a path, or the set name and index). */
    String describe(int index);

    /**
     * A name for image i that does not depend on where the data lies or on any subset taken of it (a path inside
     * an image folder, or the set, part and index): held-out images are chosen from it, so they stay the same for
     * every command, seed and subset.
     */
    default String key(int index) {
        return describe(index);
    }

    /**
     * What image i is, for telling whether two sources share it: the file's real path for files (links and
     * {@code ..} resolved), else the set, part and index.
     */
    default String identity(int index) {
        return describe(index);
    }

    /**
     * Whether this is a folder of files with one sub-folder per class: test images are then held out of it by
     * path, where other sources have a published test part.
     */
    default boolean folder() {
        return false;
    }

    /**
     * Where another machine can read image i: a file's absolute path or a Hadoop file system URI; null for images
     * held in memory (a cluster then cannot decode them itself).
     */
    default String location(int index) {
        return null;
    }

    /**
     * A content hash of the images' identities, sizes and labels: equal fingerprints mean the same data, so caches
     * can key on it.
     */
    String fingerprint();

    /** The images at the given positions of this source. */
    default ImageSource subset(int[] indices) {
        return new Subset(this, indices);
    }
}
