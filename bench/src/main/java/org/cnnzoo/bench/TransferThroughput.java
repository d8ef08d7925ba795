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
import org.cnnzoo.zoo.inference.InferenceGraph;
import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.zoo.models.ResNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transfer module's two speed claims, measured side by side: featurization (frozen forward pass + writing the
 * cache) against plain inference of the same network over the same images, and one head epoch from the cache
 * against one epoch through the frozen backbone. Best of three after a warm-up; ResNet-18 on embedded
 * Fashion-MNIST test images (as RGB), batch 50. Run by {@code cnnzoo bench --suite transfer}.
 */
public final class TransferThroughput {
    private TransferThroughput() {
    }

    /** {@code [--json] [SIDE [IMAGES]]}: a table, or one JSON object with --json. */
    public static void main(String[] args) throws Exception {
        boolean json = args.length > 0 && args[0].equals("--json");
        List<String> rest = List.of(args).subList(json ? 1 : 0, args.length);
        int side = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 224;
        int count = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 400;
        Map<String, Object> m = measure(side, count);
        System.out.println(json ? new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m) : table(m));
        System.exit(0);
    }

    /**
     * Featurization and inference images/s, and head-epoch seconds through the backbone and from the cache, for
     * ResNet-18 at side x side on the first {@code count} embedded Fashion-MNIST test images.
     */
    public static Map<String, Object> measure(int side, int count) throws Exception {
        ImageSource data = EmbeddedFashionMnist.load(Part.TEST).subset(java.util.stream.IntStream.range(0, count).toArray());
        ComputationGraph backbone = ResNet.resnet18().optInput(side, side, 3).optClasses(10).optSeed(1).init();
        ComputationGraph net = TransferGraph.build(backbone, 10, Head.LINEAR, "avgpool", new Adam(1e-3), 1);
        TransferLearningHelper helper = new TransferLearningHelper(net);
        Path root = Files.createTempDirectory("cnnzoo-bench-cache");
        try {
            int n = data.size();
            // the project's inference: the network rewritten by InferenceGraph, as Predictor and Metrics run it
            InferenceGraph fast = InferenceGraph.of(net);
            double inference = AugmentationThroughput.best(() -> {
                ImageIterator it = images(data, side);
                while (it.hasNext()) {
                    fast.output(it.next().getFeatures());
                }
            });
            int[] run = {0};
            FeatureCache.Key key = new FeatureCache.Key("resnet18", "w", "avgpool", "imagenet", side + "x" + side + "x3",
                    data.fingerprint(), "", 0, 50);
            double featurize = AugmentationThroughput.best(() ->
                    new FeatureCache(root.resolve("run" + run[0]++)).ensure(key, images(data, side), helper, Progress.NONE));
            List<Path> shards = new FeatureCache(root.resolve("run0")).ensure(key, images(data, side), helper, Progress.NONE);
            // head training runs many epochs over one iterator: the first reads the shards from disk, later ones not
            List<Trainer.Epoch> cached = Trainer.fit("head", helper.unfrozenGraph(),
                    new CachedFeatures(shards, data.classes(), true, 1, 50), null, 11, 11, Progress.NONE).epochs();
            List<Trainer.Epoch> through = Trainer.fit("head", net, images(data, side), null, 4, 4, Progress.NONE).epochs();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("network", "resnet18");
            out.put("input", side + "x" + side + "x3");
            out.put("images", n);
            out.put("batch", 50);
            out.put("inference_images_per_s", n / inference);
            out.put("featurization_images_per_s", n / featurize);
            out.put("epoch_through_backbone_s",
                    through.subList(1, through.size()).stream().mapToDouble(Trainer.Epoch::seconds).min().orElseThrow());
            out.put("first_cached_epoch_s", cached.get(0).seconds());
            out.put("later_cached_epoch_s",
                    cached.subList(1, cached.size()).stream().mapToDouble(Trainer.Epoch::seconds).average().orElseThrow());
            return out;
        } finally {
            AtomicFiles.deleteTree(root);
        }
    }

    /** The measurements as lines of text. */
    public static String table(Map<String, Object> m) {
        double inference = ((Number) m.get("inference_images_per_s")).doubleValue();
        double featurize = ((Number) m.get("featurization_images_per_s")).doubleValue();
        double backbone = ((Number) m.get("epoch_through_backbone_s")).doubleValue();
        double first = ((Number) m.get("first_cached_epoch_s")).doubleValue();
        double later = ((Number) m.get("later_cached_epoch_s")).doubleValue();
        StringBuilder b = new StringBuilder();
        b.append(String.format("transfer: ResNet-18 at %s, %s images, batch %s%n", m.get("input"), m.get("images"), m.get("batch")));
        b.append(String.format("%-52s %10.1f images/s%n", "inference (decode + full forward pass)", inference));
        b.append(String.format("%-52s %10.1f images/s  (%.2fx inference)%n",
                "featurization (decode + frozen part + cache write)", featurize, featurize / inference));
        b.append(String.format("%-52s %10.3f s%n", "one head epoch through the frozen backbone (best of 3)", backbone));
        b.append(String.format("%-52s %10.3f s  (%.0fx faster)%n", "first head epoch from the cache (reads the disk)",
                first, backbone / first));
        b.append(String.format("%-52s %10.4f s  (%.0fx faster)%n", "later head epochs from the cache (mean of 10)",
                later, backbone / later));
        return b.toString();
    }

    static ImageIterator images(ImageSource data, int side) {
        return ImageIterator.builder(data).batchSize(50).input(side, side, 3).normalization(Normalization.IMAGENET).build();
    }
}
