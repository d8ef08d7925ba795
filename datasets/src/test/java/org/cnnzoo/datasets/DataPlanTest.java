package org.cnnzoo.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No test image is ever a training or validation image, whatever the source and the subset options. */
class DataPlanTest {

    @TempDir
    Path dir;

    private Path folder(String name, int perClass) throws Exception {
        Path root = dir.resolve(name);
        for (String c : List.of("ant", "bee", "cat")) {
            Files.createDirectories(root.resolve(c));
            for (int i = 0; i < perClass; i++) {
                Fixtures.grey(root.resolve(c).resolve(name + "-" + c + i + ".png"), 8, 8, (i * 7) % 256);
            }
        }
        return root;
    }

    private static Set<String> identities(ImageSource s) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; s != null && i < s.size(); i++) {
            ids.add(s.identity(i));
        }
        return ids;
    }

    private static Set<String> keys(ImageSource s) {
        Set<String> keys = new TreeSet<>();
        for (int i = 0; i < s.size(); i++) {
            keys.add(s.key(i));
        }
        return keys;
    }

    @Test
    void noTestImageIsEverTrainedOnForAnyCombination() throws Exception {
        Path photos = folder("photos", 30);
        Path other = folder("other", 6);
        List<String[]> sources = List.of(new String[]{photos.toString(), null}, new String[]{photos.toString(), other.toString()},
                new String[]{"embedded", null}, new String[]{"embedded", "embedded"});
        int checked = 0;
        for (String[] source : sources) {
            boolean embedded = source[0].equals("embedded");
            List<List<String>> classChoices = new ArrayList<>(Arrays.asList(null,
                    embedded ? List.of("Bag", "Sandal") : List.of("cat", "ant")));
            for (List<String> classes : classChoices) {
                for (Integer perClass : Arrays.asList(null, 5)) {
                    for (String split : Arrays.asList(null, source[1] == null && !embedded ? "0.6,0.2,0.2" : "0.7,0.3")) {
                        for (long seed : new long[]{1, 2}) {
                            for (boolean testRequired : new boolean[]{true, false}) {
                                DataPlan plan = new DataPlan(source[0], source[1], classes, perClass,
                                        split == null ? null : DataPlan.Ratios.parse(split), seed, true);
                                DataPlan.Parts parts = plan.open(testRequired, 1.0 / 9, note -> { });
                                Set<String> trained = identities(parts.train());
                                trained.addAll(identities(parts.validation()));
                                Set<String> tested = identities(parts.test());
                                tested.retainAll(trained);
                                assertTrue(tested.isEmpty(), plan + " trains on test images " + tested);
                                if (testRequired) {
                                    assertNotNull(parts.test(), plan.toString());
                                }
                                if (perClass != null) {
                                    int classCount = parts.train().classes().size();
                                    assertEquals(perClass * classCount, parts.train().size()
                                            + (parts.validation() == null ? 0 : parts.validation().size()), plan.toString());
                                }
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(128, checked);
    }

    @Test
    void aFoldersHeldOutImagesDependOnNeitherSeedNorSubset() throws Exception {
        Path photos = folder("photos", 30);
        DataPlan.Parts plain = new DataPlan(photos.toString(), null, null, null, null, 1, true).open(true, 1.0 / 9, n -> { });
        assertEquals(9, plain.test().size());
        assertEquals(81, plain.train().size() + plain.validation().size());
        Set<String> heldOut = keys(plain.test());
        // the regression: a subset used to re-open the whole folder as its test set
        DataPlan.Parts few = new DataPlan(photos.toString(), null, null, 5, null, 7, true).open(true, 1.0 / 9, n -> { });
        assertEquals(heldOut, keys(few.test()));
        DataPlan.Parts two = new DataPlan(photos.toString(), null, List.of("cat", "ant"), 10, null, 3, true)
                .open(true, 1.0 / 9, n -> { });
        Set<String> expected = new TreeSet<>();
        for (String k : heldOut) {
            if (k.startsWith("cat/") || k.startsWith("ant/")) {
                expected.add(k);
            }
        }
        assertEquals(expected, keys(two.test()));
        assertEquals(List.of("cat", "ant"), two.test().classes());
        // and search (no test required) still never trains on them
        DataPlan.Parts search = new DataPlan(photos.toString(), null, null, null, null, 5, true).open(false, 0.2, n -> { });
        Set<String> trained = keys(search.train());
        trained.addAll(keys(search.validation()));
        for (String k : heldOut) {
            assertFalse(trained.contains(k), k);
        }
    }

    @Test
    void testDataThatSharesImagesWithTheTrainingDataIsRefused() throws Exception {
        Path photos = folder("photos", 12);
        Files.createSymbolicLink(dir.resolve("link"), photos);
        for (String test : List.of(photos.toString(), dir.resolve("link").toString(), photos + "/../photos")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new DataPlan(photos.toString(), test, null, null, null, 1, true).open(true, 0.1, n -> { }));
            assertTrue(e.getMessage().contains("also training or validation images"), e.getMessage());
        }
    }

    @Test
    void aTestRatioWithAPublishedTestPartIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DataPlan("embedded", null,
                null, null, DataPlan.Ratios.parse("0.8,0.1,0.1"), 1, true).open(true, 0.1, n -> { }));
        assertTrue(e.getMessage().contains("published test part of embedded"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataPlan.Ratios.parse("0.5,NaN,0.5"));
        assertThrows(IllegalArgumentException.class, () -> DataPlan.Ratios.parse("1.2,-0.2"));
    }
}
