package org.cnnzoo.datasets;

import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnzoo.zoo.models.LeNet5;
import org.cnnzoo.zoo.models.ResNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageIteratorTest {
    @TempDir
    Path root;

    /** Adds noise drawn from the per-image random source: shows whether that source is deterministic. */
    private static final ImageAugmenter NOISE = (image, random) -> {
        Mat out = image.clone();
        for (int i = 0; i < 20; i++) {
            out.data().put(random.nextInt((int) (out.total() * out.channels())), (byte) random.nextInt(256));
        }
        return out;
    };

    private static List<INDArray> epoch(DataSetIterator it) {
        List<INDArray> batches = new ArrayList<>();
        while (it.hasNext()) {
            DataSet ds = it.next();
            batches.add(ds.getFeatures().dup());
            batches.add(ds.getLabels().dup());
        }
        return batches;
    }

    @Test
    void batchesHaveTheNetworksShapeOneHotLabelsAndNormalisedValues() throws IOException {
        ImageArrays data = EmbeddedFashionMnist.load(Part.TEST);
        ImageIterator it = ImageIterator.builder(data).batchSize(64).input(32, 32, 3)
                .normalization(Normalization.IMAGENET).build();
        DataSet first = it.next();
        assertArrayEquals(new long[]{64, 3, 32, 32}, first.getFeatures().shape());
        assertArrayEquals(new long[]{64, 10}, first.getLabels().shape());
        assertEquals(64.0, first.getLabels().sumNumber().doubleValue(), 0);
        assertEquals(data.label(0), first.getLabels().getRow(0).argMax().getInt(0));
        // a black pixel becomes -mean/std in each channel
        double min = first.getFeatures().minNumber().doubleValue();
        assertEquals(-0.485 / 0.229, min, 1e-4);
        int batches = 1;
        while (it.hasNext()) {
            it.next();
            batches++;
        }
        assertEquals(16, batches);                            // 1000 images in batches of 64
    }

    @Test
    void theSameSeedGivesTheSameEpochsOnOneThreadOrMany() throws IOException {
        ImageSource source = EmbeddedFashionMnist.load(Part.TEST).subset(java.util.stream.IntStream.range(0, 200).toArray());
        ImageIterator one = ImageIterator.builder(source).batchSize(32).input(28, 28, 1).augmenter(NOISE)
                .shuffle(true).seed(5).threads(1).build();
        ImageIterator many = ImageIterator.builder(source).batchSize(32).input(28, 28, 1).augmenter(NOISE)
                .shuffle(true).seed(5).threads(4).build();
        List<INDArray> a = epoch(one);
        assertEquals(a, epoch(many));
        one.reset();
        many.reset();
        List<INDArray> secondEpoch = epoch(one);
        assertNotEquals(a, secondEpoch, "a new epoch must reshuffle and re-augment");
        assertEquals(secondEpoch, epoch(many));
        // a finished epoch leaves no worker pool behind
        assertTrue(!one.hasWorkers() && !many.hasWorkers());
        ImageIterator otherSeed = ImageIterator.builder(source).batchSize(32).input(28, 28, 1).augmenter(NOISE)
                .shuffle(true).seed(6).build();
        assertNotEquals(a, epoch(otherSeed));
    }

    @Test
    void aFileThatFailsToDecodeIsSkippedAndReportedNotFatal() throws IOException {
        for (int i = 0; i < 3; i++) {
            Fixtures.solid(root.resolve("a/" + i + ".png"), 40, 30, 200, 0, 0);
            Fixtures.solid(root.resolve("b/" + i + ".jpg"), 30, 40, 0, 0, 200);
        }
        byte[] png = Files.readAllBytes(root.resolve("a/0.png"));
        Arrays.fill(png, 33, png.length - 12, (byte) 3);     // passes the cheap checks (header kept), fails to decode
        Files.write(root.resolve("a/0.png"), png);
        ImageFolder folder = ImageFolder.scan(root);
        assertEquals(6, folder.size());
        ImageIterator it = ImageIterator.builder(folder).batchSize(4).input(16, 16, 3).build();
        int seen = 0;
        while (it.hasNext()) {
            seen += it.next().numExamples();
        }
        assertEquals(5, seen);
        assertEquals(1, it.skipped().size());
        assertTrue(it.skipped().get(0).contains("a/0.png") && it.skipped().get(0).contains("corrupt"), it.skipped().toString());
        // proportions kept: a 40x30 red image centre-cropped stays red everywhere
        it.reset();
        INDArray x = it.next().getFeatures();
        assertEquals(16, x.size(2));
    }

    @Test
    void theIteratorsFeedZooNetworks() throws IOException {
        // Fashion-MNIST (grey 28x28) into LeNet-5 at 32x32, with background prefetch
        ComputationGraph lenet = LeNet5.modern().init();
        DataSetIterator fashion = ImageIterator.builder(EmbeddedFashionMnist.load(Part.TRAIN)).batchSize(100)
                .input(32, 32, 1).shuffle(true).seed(1).build().prefetching(2);
        lenet.fit(fashion);
        fashion.reset();
        double accuracy = lenet.evaluate(fashion).accuracy();
        assertTrue(accuracy > 0.5, "one epoch of LeNet-5 on 3,000 images reached only " + accuracy);

        // an image folder of photos of any size into ResNet-18 at 64x64
        for (int i = 0; i < 4; i++) {
            Fixtures.solid(root.resolve("red/" + i + ".jpg"), 90 + i * 10, 70, 220, 20, 20);
            Fixtures.solid(root.resolve("blue/" + i + ".png"), 50, 120, 20, 20, 220);
        }
        ComputationGraph resnet = ResNet.resnet18().optInput(64, 64, 3).optClasses(2).init();
        DataSetIterator photos = ImageIterator.builder(ImageFolder.scan(root)).batchSize(8).input(64, 64, 3)
                .normalization(Normalization.IMAGENET).build();
        resnet.fit(photos);
        assertTrue(Double.isFinite(resnet.score()));
    }

    /** next() without hasNext() first gives the batches in order, then NoSuchElementException, never null. */
    @Test
    void thePrefetchingIteratorsNextNeedsNoHasNext() throws IOException {
        ImageSource source = EmbeddedFashionMnist.load(Part.TEST).subset(java.util.stream.IntStream.range(0, 20).toArray());
        var it = ImageIterator.builder(source).batchSize(8).input(28, 28, 1).build().prefetching(2);
        org.junit.jupiter.api.Assertions.assertEquals(8, it.next().numExamples());
        org.junit.jupiter.api.Assertions.assertEquals(8, it.next().numExamples());
        org.junit.jupiter.api.Assertions.assertEquals(4, it.next().numExamples());
        org.junit.jupiter.api.Assertions.assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    /** A failure on the prefetch thread reaches the caller: no queue waits forever. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aBackgroundFailureReachesTheCaller() throws IOException {
        ImageSource source = EmbeddedFashionMnist.load(Part.TEST).subset(java.util.stream.IntStream.range(0, 40).toArray());
        ImageAugmenter broken = (image, random) -> {
            throw new IllegalStateException("augmentation broke");
        };
        var it = ImageIterator.builder(source).batchSize(8).input(28, 28, 1).augmenter(broken).build().prefetching(2);
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> {
            while (it.hasNext()) {
                it.next();
            }
        });
        String all = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            all += t.getMessage() + " ";
        }
        org.junit.jupiter.api.Assertions.assertTrue(all.contains("augmentation broke"), all);
    }
}
