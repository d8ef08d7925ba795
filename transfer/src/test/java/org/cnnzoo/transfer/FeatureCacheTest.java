package org.cnnzoo.transfer;

import org.cnnzoo.datasets.EmbeddedFashionMnist;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureCacheTest {
    @TempDir
    Path root;

    static final ImageSource DATA = load();

    private static ImageSource load() {
        try {
            return EmbeddedFashionMnist.load(Part.TEST).subset(java.util.stream.IntStream.range(0, 100).toArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ImageIterator images(ImageSource s) {
        return ImageIterator.builder(s).batchSize(20).input(32, 32, 1).normalization(Normalization.UNIT).seed(1).build();
    }

    static ComputationGraph transferGraph() {
        return TransferGraph.build(TransferGraphTest.backbone(), 10, Head.LINEAR, "avgpool", new Adam(1e-2), 5);
    }

    static FeatureCache.Key key(ImageSource s, String augmentation) {
        return new FeatureCache.Key("resnet18", "w", "avgpool", "unit", "32x32x1", s.fingerprint(), augmentation, 0, 20);
    }

    /** The head trained from cached features follows the same loss curve as the head trained through the graph. */
    @Test
    void headFromTheCacheEqualsHeadThroughTheFrozenGraph() throws IOException {
        ComputationGraph viaCache = transferGraph();
        TransferLearningHelper helper = new TransferLearningHelper(viaCache);
        List<Path> shards = new FeatureCache(root).ensure(key(DATA, ""), images(DATA), helper, Progress.NONE);
        Nd4j.getRandom().setSeed(1);
        Trainer.History a = Trainer.fit("head", helper.unfrozenGraph(),
                new CachedFeatures(shards, DATA.classes(), false, 1, 20), null, 4, 4, Progress.NONE);

        ComputationGraph through = transferGraph();
        Nd4j.getRandom().setSeed(1);
        Trainer.History b = Trainer.fit("head", through, images(DATA), null, 4, 4, Progress.NONE);
        for (int e = 0; e < 4; e++) {
            assertEquals(b.epochs().get(e).trainLoss(), a.epochs().get(e).trainLoss(),
                    1e-4 * Math.abs(b.epochs().get(e).trainLoss()), "epoch " + (e + 1));
        }
        TransferJob.copyLayers(helper.unfrozenGraph(), viaCache);
        assertTrue(viaCache.getLayer(TransferGraph.OUTPUT).params()
                .equalsWithEps(through.getLayer(TransferGraph.OUTPUT).params(), 1e-4));
    }

    @Test
    void anInterruptedFeaturizationResumesWithOnlyTheMissingShards() throws Exception {
        FeatureCache cache = new FeatureCache(root);
        TransferLearningHelper helper = new TransferLearningHelper(transferGraph());
        class Kill extends RuntimeException {
        }
        Progress killAfterTwo = new Progress() {
            @Override
            public void step(long done) {
                if (done >= 40) {
                    throw new Kill();
                }
            }
        };
        assertThrows(Kill.class, () -> cache.ensure(key(DATA, ""), images(DATA), helper, killAfterTwo));
        Path dir = cache.dir(key(DATA, ""));
        FeatureCache.Manifest partial = FeatureCache.readManifest(dir);
        assertFalse(partial.complete());
        assertEquals(2, partial.written().size());
        FileTime first = Files.getLastModifiedTime(dir.resolve("shard-000000.bin"));
        Thread.sleep(20);
        List<Path> shards = cache.ensure(key(DATA, ""), images(DATA), helper, Progress.NONE);
        assertEquals(5, shards.size());
        assertEquals(first, Files.getLastModifiedTime(dir.resolve("shard-000000.bin")), "a finished shard was recomputed");
        assertTrue(FeatureCache.readManifest(dir).complete());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
        }
    }

    @Test
    void aCorruptShardIsDetectedAndRebuilt() throws IOException {
        FeatureCache cache = new FeatureCache(root);
        TransferLearningHelper helper = new TransferLearningHelper(transferGraph());
        List<Path> shards = cache.ensure(key(DATA, ""), images(DATA), helper, Progress.NONE);
        byte[] good = Files.readAllBytes(shards.get(3));
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x55;
        Files.write(shards.get(3), bad);
        List<Path> counted = new ArrayList<>();
        List<String> said = new ArrayList<>();
        Progress record = new Progress() {
            @Override
            public void step(long done) {
                counted.add(null);
            }

            @Override
            public void message(String text) {
                said.add(text);
            }
        };
        cache.ensure(key(DATA, ""), images(DATA), helper, record);
        assertEquals(5, counted.size());
        assertTrue(said.size() == 1 && said.get(0).contains(shards.get(3).toString())
                && said.get(0).contains("computing it again"), "the rebuild is said: " + said);
        assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(shards.get(3))), "the rebuilt shard must be the original");
    }

    @Test
    void aChangedInputIsANewEntryAndLeavesOthersAlone() throws IOException {
        FeatureCache cache = new FeatureCache(root);
        TransferLearningHelper helper = new TransferLearningHelper(transferGraph());
        cache.ensure(key(DATA, ""), images(DATA), helper, Progress.NONE);
        ImageSource fewer = DATA.subset(java.util.stream.IntStream.range(0, 60).toArray());
        assertNotEquals(key(DATA, "").id(), key(fewer, "").id());
        assertNotEquals(key(DATA, "").id(), key(DATA, "flip:0.5").id());
        cache.ensure(key(fewer, ""), images(fewer), helper, Progress.NONE);
        assertEquals(2, cache.list().size());
        assertTrue(FeatureCache.readManifest(cache.dir(key(DATA, ""))).complete());
        long freed = cache.remove(key(fewer, "").id());
        assertTrue(freed > 0);
        assertEquals(1, cache.list().size());
        cache.remove("");
        assertEquals(0, cache.list().size());
    }
}
