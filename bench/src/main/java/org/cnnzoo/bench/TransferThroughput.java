package org.cnnzoo.bench;

import org.cnnzoo.datasets.EmbeddedFashionMnist;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.transfer.CachedFeatures;
import org.cnnzoo.transfer.FeatureCache;
import org.cnnzoo.transfer.Head;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.Trainer;
import org.cnnzoo.transfer.TransferGraph;
import org.cnnzoo.zoo.models.ResNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The transfer module's two speed claims, measured side by side: featurization (frozen forward pass + writing the
 * cache) against plain inference of the same network over the same images, and one head epoch from the cache
 * against one epoch through the frozen backbone. Best of three after a warm-up; ResNet-18 at 64x64x3 on the
 * 1,000 embedded Fashion-MNIST test images, batch 50.
 */
public final class TransferThroughput {
    private TransferThroughput() {
    }

    public static void main(String[] args) throws Exception {
        ImageSource data = EmbeddedFashionMnist.load(Part.TEST);
        ComputationGraph backbone = ResNet.resnet18().optInput(64, 64, 3).optClasses(10).optSeed(1).init();
        ComputationGraph net = TransferGraph.build(backbone, 10, Head.LINEAR, "avgpool", new Adam(1e-3), 1);
        TransferLearningHelper helper = new TransferLearningHelper(net);
        Path root = Files.createTempDirectory("cnnzoo-bench-cache");
        int n = data.size();
        System.out.printf("ResNet-18 at 64x64x3, %d images, batch 50, %d cores, OMP_WAIT_POLICY=%s%n%n", n,
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_WAIT_POLICY"));

        double inference = AugmentationThroughput.best(() -> {
            ImageIterator it = images(data);
            while (it.hasNext()) {
                net.outputSingle(false, it.next().getFeatures());
            }
        });
        int[] run = {0};
        double featurize = AugmentationThroughput.best(() -> {
            FeatureCache cache = new FeatureCache(root.resolve("run" + run[0]++));
            cache.ensure(new FeatureCache.Key("resnet18", "w", "avgpool", "imagenet", "64x64x3", data.fingerprint(), "",
                    0, 50), images(data), helper, Progress.NONE);
        });
        System.out.printf("%-52s %10.1f images/s%n", "inference (decode + full forward pass)", n / inference);
        System.out.printf("%-52s %10.1f images/s  (%.2fx inference)%n", "featurization (decode + frozen part + cache write)",
                n / featurize, inference / featurize);

        List<Path> shards = new FeatureCache(root.resolve("run0")).ensure(new FeatureCache.Key("resnet18", "w", "avgpool",
                "imagenet", "64x64x3", data.fingerprint(), "", 0, 50), images(data), helper, Progress.NONE);
        double cachedEpoch = AugmentationThroughput.best(() -> Trainer.fit("head", helper.unfrozenGraph(),
                new CachedFeatures(shards, data.classes(), true, 1, 50), null, 1, 1, Progress.NONE));
        double backboneEpoch = AugmentationThroughput.best(() -> Trainer.fit("head", net, images(data), null, 1, 1,
                Progress.NONE));
        System.out.printf("%-52s %10.3f s%n", "one head epoch through the frozen backbone", backboneEpoch);
        System.out.printf("%-52s %10.3f s  (%.0fx faster)%n", "one head epoch from the feature cache", cachedEpoch,
                backboneEpoch / cachedEpoch);
    }

    static ImageIterator images(ImageSource data) {
        return ImageIterator.builder(data).batchSize(50).input(64, 64, 3).normalization(Normalization.IMAGENET).build();
    }
}
