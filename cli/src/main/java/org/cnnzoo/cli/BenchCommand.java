package org.cnnzoo.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.bench.AugmentationThroughput;
import org.cnnzoo.bench.FrameworkComparison;
import org.cnnzoo.bench.TransferThroughput;
import org.cnnzoo.bench.StyleSpeed;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cnnzoo bench}: DL4J against PyTorch network by network, the transfer module's featurization and cached
 * head epochs, and the augmentation pipeline's throughput, on this machine.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "networks: inference (batch 1 and 16) and training (batch 16) images/s of the case-study networks"
                + " in DL4J and in PyTorch (Debian's, NCHW and channels-last), side by side with the same thread count;"
                + " GFLOP/s against the machine's SGEMM rate, peak memory, and figures taken on a busy machine"
                + " flagged. transfer: featurization against inference, head epochs from the feature cache against"
                + " epochs through the frozen backbone. augmentation: decode + augment images/s against DataVec's"
                + " loader. style: neural style transfer steps/s against the same optimisation in PyTorch on the same"
                + " network (nsfwjs's MobileNet v2). memory (only when named): peak resident memory of training and of"
                + " inference per network and batch, each alone in a process, DL4J against PyTorch, with where DL4J's"
                + " goes. Writes a JSON file beside the tables.")
final class BenchCommand implements Callable<Integer> {
    static final List<String> SUITES = List.of("networks", "transfer", "augmentation", "style");
    /** Suites run only when named: they need modules the command line carries only when asked for. */
    static final List<String> NAMED_ONLY = List.of("spark", "memory");
    private static final String SPARK_BENCH = "org.cnnzoo.spark.SparkThroughput";
    static final Path ASTRONAUT = Path.of("/usr/lib/python3/dist-packages/skimage/data/astronaut.png");
    static final Path STARRY_NIGHT = Path.of("/usr/share/doc/opencv-doc/examples/data/starry_night.jpg");

    @Spec
    CommandSpec spec;

    @Option(names = "--models", split = ",", paramLabel = "A,B", description = "Networks (default: resnet18, resnet50,"
            + " vgg16, mobilenet_v2, efficientnet_b0, googlenet, lenet5).")
    List<String> models = FrameworkComparison.MODELS;

    @Option(names = "--peer", paramLabel = "pytorch|none", description = "The framework to compare with (default pytorch).")
    String peer = "pytorch";

    @Option(names = "--quick", description = "One round of short repetitions: a smoke test, not a measurement.")
    boolean quick;

    @Option(names = "--threads", description = "Threads for both frameworks (default 2).")
    Integer threads;

    @Option(names = "--suite", split = ",", paramLabel = "S,T", description = "What to measure: networks, transfer,"
            + " augmentation, style (default: all four), or spark (featurization on Spark against one JVM, and a"
            + " parameter-averaging round; ./cnnzoo then adds the spark module), memory (peak memory per network,"
            + " batch and phase).")
    List<String> suites = SUITES;

    @Option(names = "--batches", split = ",", paramLabel = "N,M", description = "The memory suite's batch sizes"
            + " (default 1,16).")
    List<Integer> batches = org.cnnzoo.bench.MemoryReport.BATCHES;

    @Option(names = "--photos", split = ",", paramLabel = "PATH", description = "JPEG files or folders for the"
            + " augmentation suite (default: the photographs of Debian's opencv-doc).")
    List<Path> photos = List.of();

    @Option(names = "--style-network", paramLabel = "MODEL_JSON", description = "The style suite's network, nsfwjs's"
            + " MobileNet v2 (default: unpacked from tools/reference/tfjs's npm packages with node).")
    Path styleNetwork;

    @Option(names = "--style-size", paramLabel = "PX", description = "The style suite's picture size (default 256).")
    int styleSize = 256;

    @Option(names = "--out", paramLabel = "FILE", description = "JSON results (default bench-results.json).")
    Path out = Path.of("bench-results.json");

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!peer.equals("pytorch") && !peer.equals("none")) {
            throw new IllegalArgumentException("--peer is pytorch or none, not '" + peer + "'");
        }
        for (String suite : suites) {
            if (!SUITES.contains(suite) && !NAMED_ONLY.contains(suite)) {
                throw new IllegalArgumentException("--suite takes networks, transfer, augmentation, style, spark or"
                        + " memory, not '" + suite + "'");
            }
        }
        for (String m : models) {
            org.cnnzoo.zoo.Zoo.get(m);
        }
        if (suites.contains("spark")) {
            sparkClass();                                 // before any other suite has run
        }
        List<Path> photoFiles = null;
        if (suites.contains("augmentation")) {
            try {
                photoFiles = AugmentationThroughput.photos(photos);
            } catch (IOException e) {
                throw new IllegalArgumentException("--photos: " + e.getMessage(), e);
            }
        }
        for (int b : batches) {
            if (b < 1 || b > 1024) {
                throw new IllegalArgumentException("--batches takes sizes from 1 to 1024, got " + b);
            }
        }
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        Path script = peerScript();
        if ((suites.contains("networks") || suites.contains("memory")) && peer.equals("pytorch") && script == null) {
            throw new IllegalArgumentException("bench/pytorch_peer.py not found: run from the project's folder");
        }
        FrameworkComparison.Settings s = quick ? FrameworkComparison.Settings.quick(script)
                : FrameworkComparison.Settings.full(script);
        s = new FrameworkComparison.Settings(threads != null ? threads : s.threads(), s.rounds(), s.warmup(),
                s.repeats(), s.seconds(), peer.equals("pytorch"), script);
        try {
            var doc = suites.contains("networks")
                    ? FrameworkComparison.run(models, s, line -> {
                        err.println(line);
                        err.flush();
                    })
                    : FrameworkComparison.machine(s);
            if (suites.contains("transfer")) {
                err.println("transfer: featurization and cached head epochs");
                err.flush();
                doc.set("transfer", FrameworkComparison.inChildJvm(TransferThroughput.class,
                        quick ? List.of("32", "100") : List.of("224", "400"), s.threads()));
            }
            if (suites.contains("augmentation")) {
                err.println("augmentation: decode + augment throughput");
                err.flush();
                List<String> args = new ArrayList<>(quick ? List.of("32", "1") : List.of("256", "3"));
                photoFiles.forEach(p -> args.add(p.toString()));
                doc.set("augmentation", FrameworkComparison.inChildJvm(AugmentationThroughput.class, args,
                        Runtime.getRuntime().availableProcessors()));
            }
            if (suites.contains("style")) {
                err.println("style: neural style transfer steps/s");
                err.flush();
                Path tfjs = projectFolder("tools/reference/tfjs");
                if (tfjs == null) {
                    throw new IllegalArgumentException("tools/reference/tfjs not found: run from the project's folder");
                }
                Path tmp = null;
                Path model = styleNetwork;
                if (model == null) {
                    tmp = Files.createTempDirectory("cnnzoo-bench-nsfwjs");
                    Process p = new ProcessBuilder("node", tfjs.resolve("unpack_nsfwjs.js").toString(), tmp.toString())
                            .redirectErrorStream(true).start();
                    String said = new String(p.getInputStream().readAllBytes());
                    if (p.waitFor() != 0) {
                        throw new IllegalArgumentException("could not unpack nsfwjs's network (npm ci --prefix"
                                + " tools/reference/tfjs, or give --style-network): " + said.strip());
                    }
                    model = tmp.resolve("model.json");
                }
                try {
                    doc.set("style", FrameworkComparison.inChildJvm(StyleSpeed.class, List.of(
                            String.valueOf(quick ? 64 : styleSize), quick ? "3" : "30", model.toString(),
                            tfjs.resolve("keras_style_reference.py").toString(), ASTRONAUT.toString(),
                            STARRY_NIGHT.toString()), s.threads()));
                } finally {
                    if (tmp != null) {
                        org.cnnzoo.common.AtomicFiles.deleteTree(tmp);
                    }
                }
            }
            if (suites.contains("spark")) {
                doc.set("spark", spark(quick, s.threads(), err));
            }
            if (suites.contains("memory")) {
                doc.set("memory", org.cnnzoo.bench.MemoryReport.run(models, batches, s, quick ? 1 : 3, line -> {
                    err.println(line);
                    err.flush();
                }));
            }
            FrameworkComparison.write(out, doc);
            if (suites.contains("networks")) {
                stdout.print(FrameworkComparison.table(doc));
                stdout.println();
                stdout.print(FrameworkComparison.memoryTable(doc));
                stdout.printf("%d thread(s), %s; ratio = DL4J / PyTorch's best layout; DL4J inference through the"
                        + " project's InferenceGraph; GFLOP/s in %% of ND4J's SGEMM rate; 'busy' = other processes' load"
                        + " in cores while timing (figure not comparable)%n%n", s.threads(), doc.get("cpu").asText());
            }
            if (doc.has("transfer")) {
                stdout.println(TransferThroughput.table(JSON.convertValue(doc.get("transfer"), MAP)));
            }
            if (doc.has("augmentation")) {
                stdout.println(AugmentationThroughput.table(JSON.convertValue(doc.get("augmentation"), MAP)));
            }
            if (doc.has("style")) {
                stdout.println(StyleSpeed.table(JSON.convertValue(doc.get("style"), MAP)));
            }
            if (doc.has("spark")) {
                stdout.println(sparkTable(JSON.convertValue(doc.get("spark"), MAP)));
            }
            if (doc.has("memory")) {
                stdout.print(org.cnnzoo.bench.MemoryReport.table(doc.get("memory")));
                stdout.println(org.cnnzoo.bench.MemoryReport.legend());
            }
            stdout.printf("wrote %s%n", out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return 0;
    }

    /** The spark suite, in a child JVM with the options Spark needs (the launcher gave them to this one). */
    private static com.fasterxml.jackson.databind.JsonNode spark(boolean quick, int threads, PrintWriter err)
            throws IOException, InterruptedException {
        sparkClass();
        err.println("spark: featurization on Spark against one JVM, and one parameter-averaging round");
        err.flush();
        List<String> options = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).toList();
        return FrameworkComparison.inChildJvm(SPARK_BENCH, options, quick ? List.of("32", "64") : List.of("224", "400"),
                threads);
    }

    private static String sparkTable(Map<String, Object> m) {
        try {
            return (String) sparkClass().getMethod("table", Map.class).invoke(null, m);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot print the spark suite's table", e);
        }
    }

    private static Class<?> sparkClass() {
        try {
            return Class.forName(SPARK_BENCH);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--suite spark needs cnnzoo's spark module on the class path: run it"
                    + " through ./cnnzoo, which adds it for this suite");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** bench/pytorch_peer.py in this folder or one above it. */
    private static Path peerScript() {
        return projectFolder("bench/pytorch_peer.py");
    }

    /** A path of the project, looked for from this folder up. */
    private static Path projectFolder(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path found = dir.resolve(relative);
            if (Files.exists(found)) {
                return found;
            }
        }
        return null;
    }
}
