package org.cnnzoo.datasets;

import org.cnnzoo.common.Hashing;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The layout every user has: one sub-folder per class, images anywhere below it. Classes are the sub-folder
 * names in sorted order (stable across machines); files are listed recursively in sorted order. Empty, non-image
 * and truncated files are set aside with their reason ({@link #rejected()}) instead of failing later; hidden files
 * (names starting with a dot) are ignored.
 */
public final class ImageFolder implements ImageSource {

    /** One usable image file. */
    public record Entry(Path path, long size, int label) {
    }

    /** A file that is not used, and why. */
    public record Rejected(Path path, String reason) {
    }

    private final Path root;
    private final List<String> classes;
    private final List<Entry> entries;
    private final List<Rejected> rejected;
    private final String fingerprint;

    private ImageFolder(Path root, List<String> classes, List<Entry> entries, List<Rejected> rejected) {
        this.root = root;
        this.classes = List.copyOf(classes);
        this.entries = List.copyOf(entries);
        this.rejected = List.copyOf(rejected);
        this.fingerprint = computeFingerprint();
    }

    /**
     * Lists an image folder.
     *
     * @throws IllegalArgumentException if the folder is missing, has fewer than two classes, or a class has no
     *                                  usable image; the message names the folder and what to do
     */
    public static ImageFolder scan(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + " is not a folder: give a folder with one sub-folder per class");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        List<String> classes = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        List<String> emptyClasses = new ArrayList<>();
        for (Path dir : classDirs) {
            int label = classes.size();
            classes.add(dir.getFileName().toString());
            int usable = 0;
            for (Path file : filesBelow(dir)) {
                String reason = problem(file);
                if (reason == null) {
                    entries.add(new Entry(file, size(file), label));
                    usable++;
                } else {
                    rejected.add(new Rejected(file, reason));
                }
            }
            if (usable == 0) {
                emptyClasses.add(dir.toString());
            }
        }
        if (classes.size() < 2) {
            throw new IllegalArgumentException(root + " has " + classes.size() + " class folder(s); a classifier needs"
                    + " at least two: put each class's images in a sub-folder of its own");
        }
        if (!emptyClasses.isEmpty()) {
            throw new IllegalArgumentException("class folder(s) without a usable image: " + String.join(", ", emptyClasses)
                    + "; add images or remove the folder" + (rejected.isEmpty() ? "" : " (" + rejected.size()
                    + " file(s) were unusable: " + summary(rejected, 5) + ")"));
        }
        return new ImageFolder(root, classes, entries, rejected);
    }

    public Path root() {
        return root;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Files that are not used, with the reason; {@link #warning()} puts them in one message. */
    public List<Rejected> rejected() {
        return rejected;
    }

    /** One message listing every rejected file with its reason, or null when there is none. */
    public String warning() {
        return rejected.isEmpty() ? null
                : rejected.size() + " file(s) under " + root + " skipped: " + summary(rejected, Integer.MAX_VALUE);
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public int label(int index) {
        return entries.get(index).label();
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public Mat decode(int index, int channels) throws IOException {
        return ImageDecoder.read(entries.get(index).path(), channels);
    }

    @Override
    public Mat decode(int index, int channels, int minSide) throws IOException {
        return ImageDecoder.read(entries.get(index).path(), channels, minSide);
    }

    @Override
    public String describe(int index) {
        return entries.get(index).path().toString();
    }

    /** The file's path below the folder, with '/' between names. */
    @Override
    public String key(int index) {
        StringBuilder s = new StringBuilder();
        for (Path part : root.relativize(entries.get(index).path())) {
            s.append(s.length() == 0 ? "" : "/").append(part);
        }
        return s.toString();
    }

    @Override
    public boolean folder() {
        return true;
    }

    @Override
    public String location(int index) {
        return entries.get(index).path().toAbsolutePath().normalize().toString();
    }

    @Override
    public String identity(int index) {
        Path path = entries.get(index).path();
        try {
            return path.toRealPath().toString();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize().toString();
        }
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    private String computeFingerprint() {
        MessageDigest digest = Hashing.digest("SHA-256");
        for (Entry e : entries) {
            String line = root.relativize(e.path()) + "\t" + e.size() + "\t" + classes.get(e.label()) + "\n";
            digest.update(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return Hashing.hex(digest.digest());
    }

    private static List<Path> filesBelow(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = new ArrayList<>(s.filter(Files::isRegularFile)
                    .filter(p -> !hidden(p) && !hiddenBelow(dir, p)).toList());
            Collections.sort(files);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Why the file cannot be used (cheap checks on its size and first and last bytes), or null. */
    private static String problem(Path file) {
        try {
            long size = Files.size(file);
            if (size == 0) {
                return "zero bytes";
            }
            byte[] head = new byte[(int) Math.min(ImageDecoder.HEAD, size)];
            byte[] tail = new byte[(int) Math.min(ImageDecoder.TAIL, size)];
            try (FileChannel channel = FileChannel.open(file)) {
                channel.read(ByteBuffer.wrap(head), 0);
                channel.read(ByteBuffer.wrap(tail), size - tail.length);
            }
            ImageDecoder.check(file, head, tail);
            return null;
        } catch (UnreadableImageException e) {
            return e.reason();
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean hiddenBelow(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    static String summary(List<Rejected> rejected, int max) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(max, rejected.size()); i++) {
            s.append(i == 0 ? "" : "; ").append(rejected.get(i).path()).append(" (").append(rejected.get(i).reason()).append(')');
        }
        if (rejected.size() > max) {
            s.append("; and ").append(rejected.size() - max).append(" more");
        }
        return s.toString();
    }
}
