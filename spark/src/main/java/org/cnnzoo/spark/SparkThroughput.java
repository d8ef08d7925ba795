package org.cnnzoo.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.datasets.EmbeddedFashionMnist;
import org.cnnzoo.datasets.ImageFolder;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.transfer.Engine;
import org.cnnzoo.transfer.FeatureCache;
import org.cnnzoo.transfer.Head;
import org.cnnzoo.transfer.InputSpec;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.TransferGraph;
import org.cnnzoo.zoo.Backend;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.inference.InferenceGraph;
import org.cnnzoo.zoo.models.ResNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Spark costs and gives here, measured in one run: featurization throughput of this JVM against Spark on
 * {@code local[2]} and on a standalone cluster of one and of two one-core workers (separate JVMs on this machine),
 * and the time of one parameter-averaging round against the same batches fitted in one JVM, for a head and for a
 * whole ResNet-18. Run by {@code cnnzoo bench --suite spark}.
 */
public final class SparkThroughput {
    private static final int BATCH = 16;
    private static final int AVERAGING = 5;

    private SparkThroughput() {
    }

    /** {@code [--json] [SIDE [IMAGES]]}: a table, or one JSON object with --json. */
    public static void main(String[] args) throws Exception {
        boolean json = args.length > 0 && args[0].equals("--json");
        List<String> rest = List.of(args).subList(json ? 1 : 0, args.length);
        int side = rest.size() > 0 ? Integer.parseInt(rest.get(0)) : 224;
        int count = rest.size() > 1 ? Integer.parseInt(rest.get(1)) : 400;
        Map<String, Object> m = measure(side, count);
        System.out.println(json ? new ObjectMapper().writeValueAsString(m) : table(m));
        System.exit(0);
    }

    public static Map<String, Object> measure(int side, int count) throws Exception {
        Backend.init();
        Path root = Files.createTempDirectory("cnnzoo-bench-spark");
        try {
            ImageFolder data = ImageFolder.scan(writeFolder(root.resolve("images"), count));
            ComputationGraph backbone = ResNet.resnet18().optInput(side, side, 3).optClasses(10).optSeed(1).init();
            Engine.Pass pass = new Engine.Pass(data, new InputSpec(new InputShape(side, side, 3), Normalization.IMAGENET),
                    null, 1, BATCH, backbone, "avgpool");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("network", "resnet18");
            out.put("input", side + "x" + side + "x3");
            out.put("images", data.size());
            out.put("batch", BATCH);
            out.put("one_jvm_images_per_s", data.size() / here(pass, root.resolve("here")));
            try (SparkEngine local = SparkEngine.start("local[2]")) {
                out.put("local2_images_per_s", data.size() / there(local, pass, root.resolve("local")));
            }
            for (int workers = 1; workers <= 2; workers++) {
                try (StandaloneCluster cluster = StandaloneCluster.start(root.resolve("cluster" + workers), workers, 1);
                     SparkEngine spark = SparkEngine.start(cluster.conf().set("spark.executorEnv.OMP_NUM_THREADS", "1"))) {
                    if (spark.awaitExecutors(workers, 180_000) < workers) {
                        throw new IOException("the cluster's executors did not start: " + cluster.log("worker-0"));
                    }
                    out.put("cluster" + workers + "_images_per_s", data.size() / there(spark, pass, root.resolve("c" + workers)));
                    if (workers == 2) {
                        rounds(spark, backbone, pass, side, out);
                    }
                }
            }
            return out;
        } finally {
            AtomicFiles.deleteTree(root);
        }
    }

    /** Seconds to featurize every batch in this JVM (after a warm-up batch). */
    private static double here(Engine.Pass pass, Path cache) throws IOException {
        InferenceGraph net = InferenceGraph.of(pass.network(), pass.vertex());
        var warm = pass.images(2);
        net.output(List.of(pass.vertex()), warm.next().getFeatures());
        warm.close();
        long t = System.nanoTime();
        new FeatureCache(cache).ensure(key(pass), pass.images(Runtime.getRuntime().availableProcessors()),
                b -> new DataSet(net.output(List.of(pass.vertex()), b.getFeatures())[0], b.getLabels()), Progress.NONE);
        return (System.nanoTime() - t) / 1e9;
    }

    /** Seconds to featurize every batch on the engine, results written on the driver (after a warm-up job). */
    private static double there(SparkEngine spark, Engine.Pass pass, Path cache) throws IOException {
        spark.forward(pass, new int[]{0, 1}, (i, f) -> { });
        long t = System.nanoTime();
        new FeatureCache(cache).ensure(key(pass), pass.batches(), pass.data().size(),
                (missing, sink) -> spark.forward(pass, missing, sink), Progress.NONE);
        return (System.nanoTime() - t) / 1e9;
    }

    private static FeatureCache.Key key(Engine.Pass pass) {
        return new FeatureCache.Key("resnet18", "w", pass.vertex(), "imagenet", "x", pass.data().fingerprint(), "", 0, BATCH);
    }

    /**
     * One round of parameter averaging (two workers, {@value #AVERAGING} batches each) against the same ten batches
     * fitted in one JVM: for a linear head on the 512 pooled features, and for the whole ResNet-18.
     */
    private static void rounds(SparkEngine spark, ComputationGraph backbone, Engine.Pass pass, int side,
                               Map<String, Object> out) throws IOException {
        SparkEngine engine = spark.withAveragingFrequency(AVERAGING);
        List<DataSet> images = new ArrayList<>();
        var it = pass.images(2);
        while (images.size() < 2 * AVERAGING && it.hasNext()) {
            images.add(it.next());
        }
        it.close();
        List<DataSet> features = new ArrayList<>();
        InferenceGraph frozen = InferenceGraph.of(backbone, "avgpool");
        for (DataSet d : images) {
            features.add(new DataSet(frozen.output(List.of("avgpool"), d.getFeatures())[0], d.getLabels()));
        }
        ComputationGraph head = TransferGraph.build(backbone.clone(), 10, Head.LINEAR, "avgpool", new Adam(1e-3), 1);
        var helper = new org.deeplearning4j.nn.transferlearning.TransferLearningHelper(head);
        round("head", helper.unfrozenGraph(), features, engine, out);
        ComputationGraph whole = TransferGraph.build(backbone.clone(), 10, Head.LINEAR, null, new Adam(1e-4), 1);
        round("whole", whole, images, engine, out);
    }

    private static void round(String name, ComputationGraph net, List<DataSet> batches, SparkEngine engine,
                              Map<String, Object> out) {
        engine.fitEpoch(net.clone(), new ListDataSetIterator<>(batches, 1));       // warm-up: executors load classes
        ComputationGraph local = net.clone();
        local.fit(batches.get(0));
        long t = System.nanoTime();
        for (DataSet d : batches) {
            local.fit(d);
        }
        double oneJvm = (System.nanoTime() - t) / 1e9;
        ComputationGraph distributed = net.clone();
        t = System.nanoTime();
        engine.fitEpoch(distributed, new ListDataSetIterator<>(batches, 1));
        double round = (System.nanoTime() - t) / 1e9;
        ComputationGraph shared = net.clone();
        t = System.nanoTime();
        engine.withTraining(SparkEngine.Training.GRADIENT_SHARING).fitEpoch(shared, new ListDataSetIterator<>(batches, 1));
        out.put(name + "_sharing_s", (System.nanoTime() - t) / 1e9);
        long params = net.numParams();
        out.put(name + "_params", params);
        out.put(name + "_one_jvm_s", oneJvm);
        out.put(name + "_round_s", round);
        // each worker receives the parameters and Adam's two moments and sends them back: 4 bytes each
        out.put(name + "_bytes_per_worker_per_round", 2L * 3 * params * 4);
    }

    /** The measurements as lines of text. */
    public static String table(Map<String, Object> m) {
        double one = number(m, "one_jvm_images_per_s");
        StringBuilder b = new StringBuilder();
        b.append(String.format("spark: featurization, ResNet-18 at %s to its pooled features, %s images, batch %s%n",
                m.get("input"), m.get("images"), m.get("batch")));
        b.append(String.format("%-44s %9.1f images/s%n", "one JVM (all cores)", one));
        for (String[] row : new String[][]{{"local2", "Spark local[2] (one JVM, 2 task threads)"},
                {"cluster1", "Spark standalone, 1 worker x 1 core"}, {"cluster2", "Spark standalone, 2 workers x 1 core"}}) {
            double v = number(m, row[0] + "_images_per_s");
            b.append(String.format("%-44s %9.1f images/s  (%.2fx one JVM)%n", row[1], v, v / one));
        }
        b.append(String.format("training on %d batches of %s, 2 workers (parameter averaging: one round of %d batches"
                + " each):%n", 2 * AVERAGING, m.get("batch"), AVERAGING));
        for (String name : new String[]{"head", "whole"}) {
            b.append(String.format("  %-10s %,12d parameters: one JVM %.3f s, parameter averaging %.3f s (%.1f MB sent per"
                            + " worker and round), gradient sharing %.3f s%n", name.equals("head") ? "head" : "ResNet-18",
                    ((Number) m.get(name + "_params")).longValue(), number(m, name + "_one_jvm_s"),
                    number(m, name + "_round_s"), number(m, name + "_bytes_per_worker_per_round") / 1e6,
                    number(m, name + "_sharing_s")));
        }
        return b.toString();
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /** The first {@code count} embedded Fashion-MNIST test pictures as a PNG folder, one sub-folder per class. */
    private static Path writeFolder(Path root, int count) throws IOException {
        ImageSource source = EmbeddedFashionMnist.load(Part.TEST);
        for (int i = 0; i < Math.min(count, source.size()); i++) {
            Path dir = Files.createDirectories(root.resolve("class" + source.label(i)));
            opencv_imgcodecs.imwrite(dir.resolve(String.format("%05d.png", i)).toString(), source.decode(i, 1));
        }
        return root;
    }
}
