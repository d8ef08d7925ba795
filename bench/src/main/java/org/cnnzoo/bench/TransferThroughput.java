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
 * against one epoch through the frozen backbone. Best of three after a warm-up; ResNet-18 on embedded
 * Fashion-MNIST test images (as RGB), batch 50. Arguments: input side (default 64) and number of images
 * (default 1000).
 */
public final class TransferThroughput {
    private TransferThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int side = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        ImageSource data = EmbeddedFashionMnist.load(Part.TEST).subset(java.util.stream.IntStream.range(0, count).toArray());
        SIDE = side;
        ComputationGraph backbone = ResNet.resnet18().optInput(side, side, 3).optClasses(10).optSeed(1).init();
        ComputationGraph net = TransferGraph.build(backbone, 10, Head.LINEAR, "avgpool", new Adam(1e-3), 1);
        TransferLearningHelper helper = new TransferLearningHelper(net);
        Path root = Files.createTempDirectory("cnnzoo-bench-cache");
        int n = data.size();
        System.out.printf("ResNet-18 at %dx%dx3, %d images, batch 50, %d cores, OMP_WAIT_POLICY=%s%n%n", side, side, n,
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
            cache.ensure(new FeatureCache.Key("resnet18", "w", "avgpool", "imagenet", side + "x" + side + "x3", data.fingerprint(), "",
                    0, 50), images(data), helper, Progress.NONE);
        });
        System.out.printf("%-52s %10.1f images/s%n", "inference (decode + full forward pass)", n / inference);
        System.out.printf("%-52s %10.1f images/s  (%.2fx inference)%n", "featurization (decode + frozen part + cache write)",
                n / featurize, inference / featurize);

        List<Path> shards = new FeatureCache(root.resolve("run0")).ensure(new FeatureCache.Key("resnet18", "w", "avgpool",
                "imagenet", side + "x" + side + "x3", data.fingerprint(), "", 0, 50), images(data), helper, Progress.NONE);
        // head training runs many epochs over one iterator: the first reads the shards from disk, later ones not
        List<Trainer.Epoch> cached = Trainer.fit("head", helper.unfrozenGraph(),
                new CachedFeatures(shards, data.classes(), true, 1, 50), null, 11, 11, Progress.NONE).epochs();
        double firstEpoch = cached.get(0).seconds();
        double laterEpoch = cached.subList(1, cached.size()).stream().mapToDouble(Trainer.Epoch::seconds).average().orElseThrow();
        List<Trainer.Epoch> through = Trainer.fit("head", net, images(data), null, 4, 4, Progress.NONE).epochs();
        double backboneEpoch = through.subList(1, through.size()).stream().mapToDouble(Trainer.Epoch::seconds).min().orElseThrow();
        System.out.printf("%-52s %10.3f s%n", "one head epoch through the frozen backbone (best of 3)", backboneEpoch);
        System.out.printf("%-52s %10.3f s  (%.0fx faster)%n", "first head epoch from the cache (reads the disk)", firstEpoch,
                backboneEpoch / firstEpoch);
        System.out.printf("%-52s %10.4f s  (%.0fx faster)%n", "later head epochs from the cache (mean of 10)", laterEpoch,
                backboneEpoch / laterEpoch);
    }

    static int SIDE = 64;

    static ImageIterator images(ImageSource data) {
        return ImageIterator.builder(data).batchSize(50).input(SIDE, SIDE, 3).normalization(Normalization.IMAGENET).build();
    }
}
