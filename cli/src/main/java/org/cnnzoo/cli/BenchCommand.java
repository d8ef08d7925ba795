package org.cnnzoo.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.bench.AugmentationThroughput;
import org.cnnzoo.bench.FrameworkComparison;
import org.cnnzoo.bench.TransferThroughput;
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
                + " loader. Writes a JSON file beside the tables.")
final class BenchCommand implements Callable<Integer> {
    static final List<String> SUITES = List.of("networks", "transfer", "augmentation");

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
            + " augmentation (default: all three).")
    List<String> suites = SUITES;

    @Option(names = "--photos", split = ",", paramLabel = "PATH", description = "JPEG files or folders for the"
            + " augmentation suite (default: the photographs of Debian's opencv-doc).")
    List<Path> photos = List.of();

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
            if (!SUITES.contains(suite)) {
                throw new IllegalArgumentException("--suite takes networks, transfer or augmentation, not '" + suite + "'");
            }
        }
        for (String m : models) {
            org.cnnzoo.zoo.Zoo.get(m);
        }
        List<Path> photoFiles = null;
        if (suites.contains("augmentation")) {
            try {
                photoFiles = AugmentationThroughput.photos(photos);
            } catch (IOException e) {
                throw new IllegalArgumentException("--photos: " + e.getMessage(), e);
            }
        }
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        Path script = peerScript();
        if (suites.contains("networks") && peer.equals("pytorch") && script == null) {
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
            stdout.printf("wrote %s%n", out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return 0;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** bench/pytorch_peer.py in this folder or one above it. */
    private static Path peerScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("bench/pytorch_peer.py");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        return null;
    }
}
