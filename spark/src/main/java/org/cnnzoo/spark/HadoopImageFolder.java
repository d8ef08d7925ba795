package org.cnnzoo.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.common.Hashing;
import org.cnnzoo.datasets.DataSources;
import org.cnnzoo.datasets.ImageDecoder;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.UnreadableImageException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An image folder on any file system Hadoop reads ({@code hdfs://}, {@code file://}, {@code s3a://} with its
 * connector on the class path): one sub-folder per class, listed, checked and fingerprinted as a local
 * {@link org.cnnzoo.datasets.ImageFolder} is, so the same images give the same fingerprint, held-out split and
 * feature cache entries wherever they lie.
 */
public final class HadoopImageFolder implements ImageSource {
    private final URI root;
    private final String[] relative;
    /** The images by location, which is how they are read and sent to executors. */
    private final ListedImages images;

    private HadoopImageFolder(URI root, List<String> classes, List<String[]> entries, List<Integer> labels, List<Long> sizes) {
        this.root = root;
        this.relative = entries.stream().map(e -> e[1]).toArray(String[]::new);
        int[] label = labels.stream().mapToInt(Integer::intValue).toArray();
        MessageDigest digest = Hashing.digest("SHA-256");
        for (int i = 0; i < relative.length; i++) {
            String line = relative[i] + "\t" + sizes.get(i) + "\t" + classes.get(label[i]) + "\n";
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        }
        this.images = new ListedImages(entries.stream().map(e -> e[0]).toArray(String[]::new), label, classes,
                Hashing.hex(digest.digest()));
    }

    /**
     * Lists a folder by URI.
     *
     * @throws IllegalArgumentException when it is not a folder, has fewer than two classes, or a class has no usable
     *                                  image; the message names it
     */
    public static HadoopImageFolder scan(URI root) throws IOException {
        FileSystem fs = FileSystem.get(root, new Configuration());
        org.apache.hadoop.fs.Path top = new org.apache.hadoop.fs.Path(root);
        if (!fs.exists(top) || !fs.getFileStatus(top).isDirectory()) {
            throw new IllegalArgumentException(root + " is not a folder: give a folder with one sub-folder per class");
        }
        FileStatus[] dirs = fs.listStatus(top, p -> !p.getName().startsWith("."));
        Arrays.sort(dirs, Comparator.comparing(d -> d.getPath().getName()));
        List<String> classes = new ArrayList<>();
        List<String[]> entries = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        String base = fs.getFileStatus(top).getPath().toUri().getPath();
        for (FileStatus dir : dirs) {
            if (!dir.isDirectory()) {
                continue;
            }
            int label = classes.size();
            classes.add(dir.getPath().getName());
            List<LocatedFileStatus> files = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir.getPath(), true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                String below = relative(base, f.getPath());
                if (f.isFile() && Arrays.stream(below.split("/")).noneMatch(part -> part.startsWith("."))) {
                    files.add(f);
                }
            }
            files.sort(Comparator.comparing(f -> relative(base, f.getPath())));
            int usable = 0;
            for (LocatedFileStatus f : files) {
                if (usable(fs, f)) {
                    entries.add(new String[]{f.getPath().toUri().toString(), relative(base, f.getPath())});
                    labels.add(label);
                    sizes.add(f.getLen());
                    usable++;
                }
            }
            if (usable == 0) {
                empty.add(dir.getPath().toString());
            }
        }
        if (classes.size() < 2) {
            throw new IllegalArgumentException(root + " has " + classes.size() + " class folder(s); a classifier needs"
                    + " at least two: put each class's images in a sub-folder of its own");
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("class folder(s) without a usable image: " + String.join(", ", empty)
                    + "; add images or remove the folder");
        }
        return new HadoopImageFolder(root, classes, entries, labels, sizes);
    }

    private static String relative(String base, org.apache.hadoop.fs.Path file) {
        String path = file.toUri().getPath();
        String prefix = base.endsWith("/") ? base : base + "/";
        return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    }

    /** The local folder's cheap checks: not empty, not too large, an image format's first and last bytes. */
    private static boolean usable(FileSystem fs, LocatedFileStatus f) {
        long size = f.getLen();
        if (size == 0 || size > ListedImages.MAX_BYTES) {
            return false;
        }
        byte[] head = new byte[(int) Math.min(ImageDecoder.HEAD, size)];
        byte[] tail = new byte[(int) Math.min(ImageDecoder.TAIL, size)];
        try (FSDataInputStream in = fs.open(f.getPath())) {
            in.readFully(0, head);
            in.readFully(size - tail.length, tail);
            ImageDecoder.check(java.nio.file.Path.of(f.getPath().toUri().getPath()), head, tail);
            return true;
        } catch (UnreadableImageException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    public URI root() {
        return root;
    }

    @Override
    public boolean folder() {
        return true;
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int label(int index) {
        return images.label(index);
    }

    @Override
    public List<String> classes() {
        return images.classes();
    }

    @Override
    public Mat decode(int index, int channels) throws IOException {
        return images.decode(index, channels);
    }

    @Override
    public Mat decode(int index, int channels, int minSide) throws IOException {
        return images.decode(index, channels, minSide);
    }

    @Override
    public String describe(int index) {
        return images.describe(index);
    }

    /** The path below the folder, as a local folder's key: held-out images are the same wherever the folder lies. */
    @Override
    public String key(int index) {
        return relative[index];
    }

    @Override
    public String identity(int index) {
        return images.location(index);
    }

    @Override
    public String location(int index) {
        return images.location(index);
    }

    @Override
    public String fingerprint() {
        return images.fingerprint();
    }

    /** Opens {@code scheme://} data names for {@link DataSources}. */
    public static final class Provider implements DataSources.Provider {
        @Override
        public boolean accepts(String uri) {
            return true;
        }

        @Override
        public ImageSource open(String uri) throws IOException {
            return scan(URI.create(uri));
        }
    }
}
