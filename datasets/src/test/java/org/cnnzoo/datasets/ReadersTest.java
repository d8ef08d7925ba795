package org.cnnzoo.datasets;

import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The idx (MNIST, Fashion-MNIST) and CIFAR-10 readers on fixtures written in those formats. */
class ReadersTest {
    @TempDir
    Path dir;

    private static byte[][] digits(int n, int rows, int cols) {
        byte[][] pixels = new byte[n][rows * cols];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < rows * cols; p++) {
                pixels[i][p] = (byte) (i * 7 + p);
            }
        }
        return pixels;
    }

    @Test
    void mnistIdxFilesPlainAndGzipReadBack() throws IOException {
        byte[][] train = digits(5, 4, 3);
        Idx.writeImages(dir.resolve("train-images-idx3-ubyte.gz"), train, 4, 3);
        Idx.writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), new int[]{0, 9, 3, 3, 1});
        Idx.writeImages(dir.resolve("t10k-images-idx3-ubyte"), digits(2, 4, 3), 4, 3);
        Idx.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), new int[]{5, 6});
        ImageArrays mnist = Mnist.load(dir, Part.TRAIN);
        assertEquals(5, mnist.size());
        assertEquals(4, mnist.height());
        assertEquals(3, mnist.width());
        assertEquals(9, mnist.label(1));
        assertTrue(Arrays.equals(train[4], mnist.pixels(4)));
        assertEquals(2, Mnist.load(dir, Part.TEST).size());
        Mat rgb = mnist.decode(2, 3);
        assertEquals(3, rgb.channels());
        assertEquals(train[2][5] & 0xFF, rgb.data().get(5 * 3 + 1) & 0xFF);
    }

    @Test
    void idxErrorsNameTheFileAndTheProblem() throws IOException {
        Idx.writeLabels(dir.resolve("train-images-idx3-ubyte"), new int[]{1, 2});
        IOException magic = assertThrows(IOException.class, () -> Idx.readImages(dir.resolve("train-images-idx3-ubyte")));
        assertTrue(magic.getMessage().contains("not an idx image file"), magic.getMessage());
        Idx.writeImages(dir.resolve("whole"), digits(3, 4, 4), 4, 4);
        byte[] bytes = Files.readAllBytes(dir.resolve("whole"));
        Files.write(dir.resolve("cut"), Arrays.copyOf(bytes, bytes.length - 5));
        IOException truncated = assertThrows(IOException.class, () -> Idx.readImages(dir.resolve("cut")));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        IOException missing = assertThrows(IOException.class, () -> Mnist.load(dir.resolve("none"), Part.TEST));
        assertTrue(missing.getMessage().contains("t10k-images-idx3-ubyte"), missing.getMessage());
    }

    @Test
    void cifar10BinaryBatchesBecomeInterleavedRgb() throws IOException {
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), cifarRecords(2, b));
        }
        Files.write(dir.resolve("test_batch.bin"), cifarRecords(3, 9));
        ImageArrays train = Cifar10.load(dir, Part.TRAIN);
        assertEquals(10, train.size());
        assertEquals(32, train.height());
        assertEquals(3, train.channels());
        ImageArrays test = Cifar10.load(dir, Part.TEST);
        assertEquals(3, test.size());
        assertEquals(2, test.label(2));
        byte[] rgb = test.pixels(1);
        // pixel p of record i has red = i + p, green = 100 + i, blue = 200 (see cifarRecords)
        assertEquals(1 + 5, rgb[3 * 5] & 0xFF);
        assertEquals(101, rgb[3 * 5 + 1] & 0xFF);
        assertEquals(200, rgb[3 * 5 + 2] & 0xFF);
        Files.write(dir.resolve("test_batch.bin"), new byte[100]);
        IOException bad = assertThrows(IOException.class, () -> Cifar10.load(dir, Part.TEST));
        assertTrue(bad.getMessage().contains("3073-byte records"), bad.getMessage());
    }

    private static byte[] cifarRecords(int n, int seed) {
        byte[] out = new byte[n * Cifar10.RECORD];
        for (int i = 0; i < n; i++) {
            int o = i * Cifar10.RECORD;
            out[o] = (byte) (i % 10);
            for (int p = 0; p < 1024; p++) {
                out[o + 1 + p] = (byte) (i + p);
                out[o + 1 + 1024 + p] = (byte) (100 + i);
                out[o + 1 + 2048 + p] = (byte) 200;
            }
        }
        return out;
    }
}
