package org.cnnzoo.datasets;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {

    /** 100 images of class a, 40 of b, 10 of c; pixel value = position, so images are told apart. */
    static ImageArrays unbalanced() {
        int n = 150;
        byte[][] pixels = new byte[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = new byte[]{(byte) i, (byte) (i >> 8), 0, 0};
            labels[i] = i < 100 ? 0 : i < 140 ? 1 : 2;
        }
        return new ImageArrays("toy", pixels, labels, 2, 2, 1, List.of("a", "b", "c"));
    }

    @Test
    void everyClassIsSplitInTheGivenRatios() {
        Splits.Split split = Splits.stratified(unbalanced(), 0.7, 0.2, 0.1, 1);
        assertArrayEquals(new int[]{70, 28, 7}, ClassBalance.of(split.train()).counts());
        assertArrayEquals(new int[]{20, 8, 2}, ClassBalance.of(split.validation()).counts());
        assertArrayEquals(new int[]{10, 4, 1}, ClassBalance.of(split.test()).counts());
        Set<String> seen = new HashSet<>();
        for (ImageSource part : List.of(split.train(), split.validation(), split.test())) {
            for (int i = 0; i < part.size(); i++) {
                assertTrue(seen.add(part.describe(i)), "image in two parts: " + part.describe(i));
            }
        }
        assertEquals(150, seen.size());
    }

    /** A class subset of a folder still says where its files are (Spark's executors read them by it). */
    @Test
    void aClassSubsetKeepsItsFilesLocations(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        for (String c : List.of("cat", "dog", "fox")) {
            java.nio.file.Files.createDirectories(dir.resolve(c));
            Fixtures.grey(dir.resolve(c).resolve(c + ".png"), 4, 4, 100);
        }
        ImageSource subset = Splits.classes(ImageFolder.scan(dir), List.of("fox", "cat"));
        assertEquals(2, subset.size());
        for (int i = 0; i < subset.size(); i++) {
            String location = subset.location(i);
            assertTrue(location != null && location.endsWith(subset.classes().get(subset.label(i)) + ".png"),
                    i + ": " + location);
        }
    }

    @Test
    void theSeedDecidesTheSplit() {
        ImageArrays data = unbalanced();
        String a = Splits.stratified(data, 0.8, 0.2, 0, 7).validation().fingerprint();
        assertEquals(a, Splits.stratified(data, 0.8, 0.2, 0, 7).validation().fingerprint());
        assertNotEquals(a, Splits.stratified(data, 0.8, 0.2, 0, 8).validation().fingerprint());
    }

    @Test
    void aPartMissingAClassIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Splits.stratified(unbalanced(), 0.96, 0.04, 0, 1));
        assertTrue(e.getMessage().contains("validation") && e.getMessage().contains("'c'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Splits.stratified(unbalanced(), 0.5, 0.2, 0.2, 1));
    }

    @Test
    void balanceReportShowsCountsAndWarnsOnImbalance() {
        String report = ClassBalance.of(unbalanced()).report();
        assertTrue(report.contains("a") && report.contains("100") && report.contains("150"), report);
        assertTrue(report.contains("warning: the largest class has 10.0x"), report);
    }
}
