package org.cnnzoo.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.datasets.ImageDecoder;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.UnreadableImageException;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Images named by where any machine of a cluster can read them: absolute file paths (a file system every machine
 * mounts) or Hadoop file system URIs ({@code hdfs://}, {@code file:}, ...). Executors decode them with the same
 * checked decoder as this JVM, so a batch made there equals the batch made here.
 */
public final class ListedImages implements ImageSource, Serializable {
    private static final long serialVersionUID = 1L;
    /** Larger files are refused before any allocation: no photo a network is fed needs more. */
    public static final long MAX_BYTES = 256L << 20;

    private final String[] locations;
    private final int[] labels;
    private final List<String> classes;
    private final String fingerprint;

    public ListedImages(String[] locations, int[] labels, List<String> classes, String fingerprint) {
        if (locations.length != labels.length) {
            throw new IllegalArgumentException(locations.length + " locations but " + labels.length + " labels");
        }
        this.locations = locations.clone();
        this.labels = labels.clone();
        this.classes = List.copyOf(classes);
        this.fingerprint = fingerprint;
    }

    /**
     * The images of a source that reads them from files, by location.
     *
     * @throws IllegalArgumentException naming the first image held in memory, which executors cannot read
     */
    public static ListedImages of(ImageSource source) {
        String[] locations = new String[source.size()];
        int[] labels = new int[source.size()];
        for (int i = 0; i < locations.length; i++) {
            locations[i] = source.location(i);
            if (locations[i] == null) {
                throw new IllegalArgumentException("Spark reads images from files, but " + source.describe(i)
                        + " is held in memory: give an image folder (a path every machine sees, or an hdfs:// URI)");
            }
            labels[i] = source.label(i);
        }
        return new ListedImages(locations, labels, source.classes(), source.fingerprint());
    }

    @Override
    public int size() {
        return locations.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public Mat decode(int index, int channels) throws IOException {
        return decode(index, channels, 0);
    }

    @Override
    public Mat decode(int index, int channels, int minSide) throws IOException {
        String location = locations[index];
        if (location.startsWith("/")) {
            return ImageDecoder.read(Path.of(location), channels, minSide);
        }
        return ImageDecoder.read(Path.of(URI.create(location).getPath()), read(location), channels, minSide);
    }

    /** A file's bytes through Hadoop's file system for its URI, its size checked before anything is allocated. */
    static byte[] read(String location) throws IOException {
        URI uri = URI.create(location);
        FileSystem fs = FileSystem.get(uri, new Configuration());
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(uri);
        FileStatus status = fs.getFileStatus(path);
        if (status.getLen() > MAX_BYTES) {
            throw new UnreadableImageException(Path.of(uri.getPath()), "larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        byte[] bytes = new byte[(int) status.getLen()];
        try (FSDataInputStream in = fs.open(path)) {
            in.readFully(0, bytes);
        }
        return bytes;
    }

    @Override
    public String describe(int index) {
        return locations[index];
    }

    @Override
    public String location(int index) {
        return locations[index];
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }
}
