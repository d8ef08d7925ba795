package org.cnnzoo.spark;

import org.cnnzoo.datasets.DataPlan;
import org.cnnzoo.datasets.DataSources;
import org.cnnzoo.datasets.ImageFolder;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.transfer.Engine;
import org.cnnzoo.transfer.FeatureCache;
import org.cnnzoo.transfer.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A folder read through Hadoop's file system API is the local folder: same images, splits and cache entries. */
class HadoopImageFolderTest {
    @TempDir
    static Path dir;

    @Test
    void aFolderByUriIsTheLocalFolder() throws IOException {
        Path root = SparkFixtures.folder(dir.resolve("data"), Part.TRAIN, 3, 0, 40);
        Path firstClass;
        try (var s = Files.list(root)) {
            firstClass = s.sorted().findFirst().orElseThrow();
        }
        Files.writeString(firstClass.resolve("notes.txt"), "not an image");          // skipped by both
        Files.write(firstClass.resolve(".hidden.png"), new byte[]{1, 2, 3});          // skipped by both
        String uri = root.toUri().toString();                                          // file:/...
        ImageSource byUri = DataSources.open(uri.replace("file:/", "file:///"), Part.TRAIN, true);
        assertInstanceOf(HadoopImageFolder.class, byUri);
        ImageFolder local = ImageFolder.scan(root);
        assertEquals(local.classes(), byUri.classes());
        assertEquals(local.size(), byUri.size());
        assertEquals(local.fingerprint(), byUri.fingerprint(), "the same fingerprint, so the same cache keys");
        for (int i = 0; i < local.size(); i++) {
            assertEquals(local.key(i), byUri.key(i));
            assertEquals(local.label(i), byUri.label(i));
        }

        DataPlan.Parts a = new DataPlan(root.toString(), null, null, null, null, 5, true).open(true, 1.0 / 9, n -> { });
        DataPlan.Parts b = new DataPlan(uri, null, null, null, null, 5, true).open(true, 1.0 / 9, n -> { });
        assertEquals(keys(a.train()), keys(b.train()));
        assertEquals(keys(a.validation()), keys(b.validation()));
        assertEquals(keys(a.test()), keys(b.test()), "the same images held out for testing");

        try (SparkEngine spark = SparkEngine.start("local[2]")) {
            Engine.Pass here = SparkFixtures.pass(a.train());
            Engine.Pass there = SparkFixtures.pass(b.train());
            SparkFixtures.featurizeHere(new FeatureCache(dir.resolve("here")), SparkFixtures.key(here), here);
            new FeatureCache(dir.resolve("there")).ensure(SparkFixtures.key(there), there.batches(), there.data().size(),
                    (missing, sink) -> spark.forward(there, missing, sink), Progress.NONE);
            SparkFixtures.assertSameShards(dir.resolve("here"), dir.resolve("there"));
        }
    }

    static List<String> keys(ImageSource s) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            keys.add(s.key(i));
        }
        return keys;
    }

    @Test
    void aUriThatIsNotAFolderIsNamed() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DataSources.open("file:///" + dir.resolve("missing"), Part.TRAIN, true));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("not a folder"), e.getMessage());
    }
}
