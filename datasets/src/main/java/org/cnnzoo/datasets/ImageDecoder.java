package org.cnnzoo.datasets;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes image files into 8-bit OpenCV matrices in RGB (3 channels) or grey (1 channel) order, whatever the
 * file holds: greyscale, RGB, RGBA (alpha dropped), CMYK JPEG, palette and 16-bit images are all converted. Files
 * that are empty, not images, truncated or corrupt raise {@link UnreadableImageException} with the reason, so a
 * caller can list them and go on.
 */
public final class ImageDecoder {
    private ImageDecoder() {
    }

    /** The image formats recognised by their first bytes. */
    public enum Format { JPEG, PNG, GIF, BMP, TIFF, WEBP }

    /** The format announced by a file's first bytes, or null when it is no image format we read. */
    public static Format sniff(byte[] head) {
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return Format.JPEG;
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G')) {
            return Format.PNG;
        }
        if (startsWith(head, 'G', 'I', 'F', '8')) {
            return Format.GIF;
        }
        if (startsWith(head, 'B', 'M')) {
            return Format.BMP;
        }
        if (startsWith(head, 'I', 'I', 42, 0) || startsWith(head, 'M', 'M', 0, 42)) {
            return Format.TIFF;
        }
        if (head.length >= 12 && startsWith(head, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E'
                && head[10] == 'B' && head[11] == 'P') {
            return Format.WEBP;
        }
        return null;
    }

    /**
     * Cheap checks that need no decoding: not empty, a known image format, and for JPEG and PNG an intact end
     * (a JPEG cut short still decodes, as grey, so it must be caught here).
     *
     * @throws UnreadableImageException naming what is wrong
     */
    public static Format check(Path path, byte[] bytes) throws UnreadableImageException {
        return check(path, bytes, bytes);
    }

    /**
     * The same checks from a file's first bytes (at least 12) and last bytes (up to {@link #TAIL}); an empty head
     * means an empty file.
     */
    public static Format check(Path path, byte[] head, byte[] tail) throws UnreadableImageException {
        if (head.length == 0) {
            throw new UnreadableImageException(path, "zero bytes");
        }
        Format format = sniff(head);
        if (format == null) {
            throw new UnreadableImageException(path, "not an image (unknown format)");
        }
        if (format == Format.JPEG && !jpegEndsWell(tail)) {
            throw new UnreadableImageException(path, "truncated JPEG (no end-of-image marker)");
        }
        if (format == Format.PNG && !endsWith(tail, 0xAE, 0x42, 0x60, 0x82)) {
            throw new UnreadableImageException(path, "truncated PNG (no IEND chunk)");
        }
        checkDeclaredSize(path, format, head);
        return format;
    }

    /**
     * The most pixels an image may declare (width x height), checked from its header before it is decoded: a
     * 65535x65535 header would otherwise take 4 GB or more. 100 million by default (a 10,000 x 10,000 photo);
     * the system property {@code cnnzoo.maxImagePixels} changes it.
     */
    public static long maxPixels() {
        return Long.getLong("cnnzoo.maxImagePixels", 100_000_000L);
    }

    /**
     * How many first bytes a folder scan reads: PNG, GIF, BMP and WebP declare their size in the first 30, and a
     * JPEG's frame header is nearly always within 4 KB (when it is not, the size is checked at decoding).
     */
    public static final int HEAD = 4096;

    /**
     * Width and height as the header declares them, or null when the bytes given do not say (TIFF; a JPEG whose
     * frame header lies beyond them).
     */
    public static long[] declaredSize(Format format, byte[] b) {
        return switch (format) {
            case PNG -> b.length >= 24 ? new long[]{u32be(b, 16), u32be(b, 20)} : null;
            case GIF -> b.length >= 10 ? new long[]{u16le(b, 6), u16le(b, 8)} : null;
            case BMP -> b.length >= 26 ? new long[]{Math.abs((long) s32le(b, 18)), Math.abs((long) s32le(b, 22))} : null;
            case WEBP -> webpSize(b);
            case JPEG -> {
                int[] hw = jpegSize(b);
                yield hw == null ? null : new long[]{hw[1], hw[0]};
            }
            case TIFF -> null;
        };
    }

    /** @throws UnreadableImageException when the header declares more than {@link #maxPixels()} pixels */
    static void checkDeclaredSize(Path path, Format format, byte[] head) throws UnreadableImageException {
        long[] size = declaredSize(format, head);
        if (size != null && (size[0] > maxPixels() || size[1] > maxPixels() || size[0] * size[1] > maxPixels())) {
            throw new UnreadableImageException(path, "declares " + size[0] + "x" + size[1] + " pixels, over the limit of "
                    + maxPixels() + " (system property cnnzoo.maxImagePixels)");
        }
    }

    private static long[] webpSize(byte[] b) {
        if (b.length < 30) {
            return null;
        }
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8X" -> new long[]{1 + u24le(b, 24), 1 + u24le(b, 27)};
            case "VP8 " -> new long[]{u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF};
            case "VP8L" -> {
                long bits = u32le(b, 21);
                yield new long[]{1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)};
            }
            default -> null;
        };
    }

    private static long u32be(byte[] b, int i) {
        return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }

    private static long u32le(byte[] b, int i) {
        return ((long) (b[i + 3] & 0xFF) << 24) | ((b[i + 2] & 0xFF) << 16) | ((b[i + 1] & 0xFF) << 8) | (b[i] & 0xFF);
    }

    private static int s32le(byte[] b, int i) {
        return (int) u32le(b, i);
    }

    private static long u24le(byte[] b, int i) {
        return ((b[i + 2] & 0xFF) << 16) | ((b[i + 1] & 0xFF) << 8) | (b[i] & 0xFF);
    }

    private static int u16le(byte[] b, int i) {
        return ((b[i + 1] & 0xFF) << 8) | (b[i] & 0xFF);
    }

    /** How many final bytes {@link #check(Path, byte[], byte[])} looks at. */
    public static final int TAIL = 64;

    /** Reads and decodes a file into an 8-bit matrix with the given number of channels (1 grey or 3 RGB). */
    public static Mat read(Path path, int channels) throws IOException {
        return read(path, channels, 0);
    }

    /**
     * Reads and decodes a file, allowed to come out smaller as long as its shorter side stays at least
     * {@code minSide}: JPEGs are then decoded at 1/2, 1/4 or 1/8 scale, which costs a fraction of a full decode.
     */
    public static Mat read(Path path, int channels, int minSide) throws IOException {
        return read(path, Files.readAllBytes(path), channels, minSide);
    }

    /**
     * {@link #read(Path, int, int)} for bytes read elsewhere (another file system); {@code path} names them in
     * messages.
     */
    public static Mat read(Path path, byte[] bytes, int channels, int minSide) throws UnreadableImageException {
        Format format = check(path, bytes);
        int reduction = format == Format.JPEG && minSide > 0 ? jpegReduction(bytes, minSide) : 1;
        if (reduction > 1) {
            return decodeReducedJpeg(path, bytes, channels, reduction);
        }
        return decode(path, bytes, channels);
    }

    /** The largest of 8, 4, 2 that keeps the JPEG's shorter side at least minSide, or 1. */
    static int jpegReduction(byte[] jpeg, int minSide) {
        int[] size = jpegSize(jpeg);
        if (size == null) {
            return 1;
        }
        int shorter = Math.min(size[0], size[1]);
        for (int k = 8; k > 1; k /= 2) {
            if (shorter / k >= minSide) {
                return k;
            }
        }
        return 1;
    }

    /** Height and width from a JPEG's start-of-frame segment, or null if none is found. */
    static int[] jpegSize(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                int height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                int width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
                return new int[]{height, width};
            }
            i += 2 + length;
        }
        return null;
    }

    private static Mat decodeReducedJpeg(Path path, byte[] bytes, int channels, int reduction)
            throws UnreadableImageException {
        int flag = switch (reduction) {
            case 2 -> channels == 3 ? opencv_imgcodecs.IMREAD_REDUCED_COLOR_2 : opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_2;
            case 4 -> channels == 3 ? opencv_imgcodecs.IMREAD_REDUCED_COLOR_4 : opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_4;
            default -> channels == 3 ? opencv_imgcodecs.IMREAD_REDUCED_COLOR_8 : opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;
        };
        Mat raw;
        try (Mat buffer = new Mat(new BytePointer(bytes))) {
            raw = opencv_imgcodecs.imdecode(buffer, flag);
        }
        if (raw == null || raw.empty()) {
            throw new UnreadableImageException(path, "corrupt image (the decoder rejected it)");
        }
        if (channels == 1) {
            return raw;
        }
        Mat rgb = new Mat();
        opencv_imgproc.cvtColor(raw, rgb, opencv_imgproc.COLOR_BGR2RGB);
        raw.close();
        return rgb;
    }

    /** Decodes bytes already read (and checked) into an 8-bit matrix with 1 (grey) or 3 (RGB) channels. */
    public static Mat decode(Path path, byte[] bytes, int channels) throws UnreadableImageException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("images are decoded to 1 (grey) or 3 (RGB) channels, not " + channels);
        }
        Mat raw;
        try (Mat buffer = new Mat(new BytePointer(bytes))) {
            raw = opencv_imgcodecs.imdecode(buffer, opencv_imgcodecs.IMREAD_UNCHANGED | opencv_imgcodecs.IMREAD_ANYDEPTH);
        }
        if (raw == null || raw.empty()) {
            throw new UnreadableImageException(path, "corrupt image (the decoder rejected it)");
        }
        Mat eightBit = toEightBit(raw);
        Mat out = new Mat();
        int code = switch (eightBit.channels() * 10 + channels) {
            case 11, 33 -> -1;
            case 13 -> opencv_imgproc.COLOR_GRAY2RGB;
            case 31 -> opencv_imgproc.COLOR_BGR2GRAY;
            case 41 -> opencv_imgproc.COLOR_BGRA2GRAY;
            case 43 -> opencv_imgproc.COLOR_BGRA2RGB;
            default -> throw new UnreadableImageException(path, "unsupported channel count " + eightBit.channels());
        };
        if (code < 0) {
            if (channels == 3) {
                opencv_imgproc.cvtColor(eightBit, out, opencv_imgproc.COLOR_BGR2RGB);
            } else {
                eightBit.copyTo(out);
            }
        } else {
            opencv_imgproc.cvtColor(eightBit, out, code);
        }
        return out;
    }

    private static Mat toEightBit(Mat raw) {
        int depth = raw.depth();
        if (depth == opencv_core.CV_8U) {
            return raw;
        }
        Mat converted = new Mat();
        double scale = switch (depth) {
            case opencv_core.CV_16U -> 1.0 / 257;           // 65535 -> 255
            case opencv_core.CV_32F, opencv_core.CV_64F -> 255.0;
            default -> 1.0;
        };
        raw.convertTo(converted, opencv_core.CV_8U, scale, 0);
        return converted;
    }

    private static boolean jpegEndsWell(byte[] b) {
        // the end-of-image marker, allowing for trailing padding some writers add
        for (int i = b.length - 2; i >= Math.max(0, b.length - 64); i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsWith(byte[] b, int... suffix) {
        if (b.length < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if ((b[b.length - suffix.length + i] & 0xFF) != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
