package org.cnnzoo.datasets;

import org.cnnzoo.common.Hashing;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;

/**
 * The idx format of MNIST and Fashion-MNIST: a big-endian magic number (2051 images, 2049 labels), the counts,
 * then raw bytes; plain or gzip-compressed (detected by content). The MD5 of the decompressed bytes is computed
 * while reading, because that is what identifies the data (Debian recompresses the .gz files).
 */
public final class Idx {
    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;

    /** Images of an idx3 file: count x rows x cols bytes. */
    public record Images(int count, int rows, int cols, byte[][] pixels, String md5) {
    }

    /** Labels of an idx1 file. */
    public record Labels(int[] labels, String md5) {
    }

    private Idx() {
    }

    public static Images readImages(Path file) throws IOException {
        return readImages(openFile(file), file.toString());
    }

    /** Reads idx3 images from a stream (plain or gzip), which it closes; {@code file} names it in messages. */
    public static Images readImages(InputStream stream, String file) throws IOException {
        MessageDigest md5 = Hashing.digest("MD5");
        try (DataInputStream in = open(stream, md5)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(file + " is not an idx image file (magic " + magic + ", expected "
                        + IMAGES_MAGIC + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw new IOException(file + ": impossible idx sizes " + count + "x" + rows + "x" + cols);
            }
            byte[][] pixels = new byte[count][rows * cols];
            for (int i = 0; i < count; i++) {
                readFully(in, pixels[i], file);
            }
            requireEnd(in, file);
            return new Images(count, rows, cols, pixels, Hashing.hex(md5.digest()));
        }
    }

    public static Labels readLabels(Path file) throws IOException {
        return readLabels(openFile(file), file.toString());
    }

    /** Reads idx1 labels from a stream (plain or gzip), which it closes; {@code file} names it in messages. */
    public static Labels readLabels(InputStream stream, String file) throws IOException {
        MessageDigest md5 = Hashing.digest("MD5");
        try (DataInputStream in = open(stream, md5)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(file + " is not an idx label file (magic " + magic + ", expected "
                        + LABELS_MAGIC + ")");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(file + ": impossible label count " + count);
            }
            byte[] raw = new byte[count];
            readFully(in, raw, file);
            requireEnd(in, file);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return new Labels(labels, Hashing.hex(md5.digest()));
        }
    }

    /** Writes images in idx3 format (gzip-compressed when the name ends in .gz). */
    public static void writeImages(Path file, byte[][] pixels, int rows, int cols) throws IOException {
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(create(file))) {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(pixels.length);
            out.writeInt(rows);
            out.writeInt(cols);
            for (byte[] p : pixels) {
                out.write(p);
            }
        }
    }

    /** Writes labels in idx1 format (gzip-compressed when the name ends in .gz). */
    public static void writeLabels(Path file, int[] labels) throws IOException {
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(create(file))) {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.length);
            for (int l : labels) {
                out.writeByte(l);
            }
        }
    }

    private static java.io.OutputStream create(Path file) throws IOException {
        java.io.OutputStream raw = new java.io.BufferedOutputStream(Files.newOutputStream(file));
        return file.toString().endsWith(".gz") ? new java.util.zip.GZIPOutputStream(raw) : raw;
    }

    private static InputStream openFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        return Files.newInputStream(file);
    }

    private static DataInputStream open(InputStream stream, MessageDigest digest) throws IOException {
        InputStream raw = new BufferedInputStream(stream);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f & raw.read() == 0x8b;
        raw.reset();
        InputStream content = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(new BufferedInputStream(new DigestInputStream(content, digest), 1 << 16));
    }

    private static void readFully(DataInputStream in, byte[] into, String file) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new IOException(file + " ends early: the file is truncated", e);
        }
    }

    private static void requireEnd(DataInputStream in, String file) throws IOException {
        if (in.read() != -1) {
            throw new IOException(file + " has bytes after the announced data: not a valid idx file");
        }
    }
}
