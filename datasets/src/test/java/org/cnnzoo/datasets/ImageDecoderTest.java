package org.cnnzoo.datasets;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {
    @TempDir
    Path dir;

    private static int[] centre(Mat m) {
        int[] px = new int[m.channels()];
        int offset = (m.rows() / 2 * m.cols() + m.cols() / 2) * m.channels();
        for (int c = 0; c < px.length; c++) {
            px[c] = m.data().get(offset + c) & 0xFF;
        }
        return px;
    }

    private static void assertColour(int[] expected, int[] actual, int tolerance) {
        for (int c = 0; c < expected.length; c++) {
            assertEquals(expected[c], actual[c], tolerance, "channel " + c + " of " + Arrays.toString(actual));
        }
    }

    @Test
    void pngAndJpegComeOutInRgbOrder() throws IOException {
        Mat png = ImageDecoder.read(Fixtures.solid(dir.resolve("a.png"), 8, 6, 200, 40, 10), 3);
        assertEquals(6, png.rows());
        assertEquals(8, png.cols());
        assertColour(new int[]{200, 40, 10}, centre(png), 0);
        Mat jpg = ImageDecoder.read(Fixtures.solid(dir.resolve("a.jpg"), 16, 16, 200, 40, 10), 3);
        assertColour(new int[]{200, 40, 10}, centre(jpg), 4);
    }

    @Test
    void everyKindOfImageIsConvertedToTheChannelsAskedFor() throws IOException {
        assertColour(new int[]{90, 90, 90}, centre(ImageDecoder.read(Fixtures.grey(dir.resolve("g.png"), 4, 4, 90), 3)), 0);
        assertColour(new int[]{30, 60, 90},
                centre(ImageDecoder.read(Fixtures.rgba(dir.resolve("rgba.png"), 4, 4, 30, 60, 90, 128), 3)), 0);
        assertColour(new int[]{128}, centre(ImageDecoder.read(Fixtures.grey16(dir.resolve("16.png"), 4, 4, 128 * 257), 1)), 0);
        assertColour(new int[]{10, 200, 30},
                centre(ImageDecoder.read(Fixtures.palette(dir.resolve("p.png"), 4, 4, 10, 200, 30), 3)), 0);
        // grey from colour uses the usual luma weights
        Mat grey = ImageDecoder.read(Fixtures.solid(dir.resolve("c.png"), 4, 4, 255, 0, 0), 1);
        assertEquals(1, grey.channels());
        assertColour(new int[]{76}, centre(grey), 1);
    }

    @Test
    void cmykJpegIsConvertedToRgb() throws IOException {
        // made by ImageMagick: a 16x16 CMYK JPEG of sRGB (230, 120, 30)
        Path file = dir.resolve("cmyk.jpg");
        try (InputStream in = getClass().getResourceAsStream("/cmyk.jpg")) {
            Files.copy(in, file);
        }
        Mat m = ImageDecoder.read(file, 3);
        assertEquals(3, m.channels());
        assertColour(new int[]{230, 120, 30}, centre(m), 12);
    }

    @Test
    void badFilesAreRejectedWithTheirReason() throws IOException {
        assertEquals("zero bytes", reason(Fixtures.bytes(dir.resolve("empty.jpg"), new byte[0])));
        assertTrue(reason(Fixtures.bytes(dir.resolve("notes.jpg"), "hello".getBytes())).startsWith("not an image"));
        byte[] jpg = Files.readAllBytes(Fixtures.solid(dir.resolve("whole.jpg"), 64, 64, 1, 2, 3));
        assertTrue(reason(Fixtures.bytes(dir.resolve("cut.jpg"), Arrays.copyOf(jpg, jpg.length / 2)))
                .startsWith("truncated JPEG"));
        byte[] png = Files.readAllBytes(Fixtures.solid(dir.resolve("whole.png"), 64, 64, 1, 2, 3));
        assertTrue(reason(Fixtures.bytes(dir.resolve("cut.png"), Arrays.copyOf(png, png.length - 20)))
                .startsWith("truncated PNG"));
        // intact ends, damaged middle: only the decoder can tell
        byte[] damaged = png.clone();
        Arrays.fill(damaged, 33, damaged.length - 12, (byte) 7);   // after the header that declares its size
        assertTrue(reason(Fixtures.bytes(dir.resolve("damaged.png"), damaged)).startsWith("corrupt"));
    }

    private static String reason(Path file) {
        return assertThrows(UnreadableImageException.class, () -> ImageDecoder.read(file, 3)).reason();
    }
}
