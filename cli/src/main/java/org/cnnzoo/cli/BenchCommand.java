package org.cnnzoo.cli;

import org.cnnzoo.bench.FrameworkComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code cnnzoo bench}: DL4J against PyTorch, network by network, on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Inference (batch 1 and 16) and training (batch 16) images/s of the case-study networks in DL4J"
                + " and in PyTorch (Debian's, NCHW and channels-last), side by side with the same thread count;"
                + " GFLOP/s against the machine's SGEMM rate, peak memory, and figures taken on a busy machine"
                + " flagged. Writes a JSON file beside the table.")
final class BenchCommand implements Runnable {

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

    @Option(names = "--out", paramLabel = "FILE", description = "JSON results (default bench-results.json).")
    Path out = Path.of("bench-results.json");

    @Override
    public void run() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!peer.equals("pytorch") && !peer.equals("none")) {
            throw new IllegalArgumentException("--peer is pytorch or none, not '" + peer + "'");
        }
        for (String m : models) {
            org.cnnzoo.zoo.Zoo.get(m);
        }
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        Path script = peerScript();
        if (peer.equals("pytorch") && script == null) {
            throw new IllegalArgumentException("bench/pytorch_peer.py not found: run from the project's folder");
        }
        FrameworkComparison.Settings s = quick ? FrameworkComparison.Settings.quick(script)
                : FrameworkComparison.Settings.full(script);
        s = new FrameworkComparison.Settings(threads != null ? threads : s.threads(), s.rounds(), s.warmup(),
                s.repeats(), s.seconds(), peer.equals("pytorch"), script);
        try {
            var doc = FrameworkComparison.run(models, s, line -> {
                err.println(line);
                err.flush();
            });
            FrameworkComparison.write(out, doc);
            stdout.print(FrameworkComparison.table(doc));
            stdout.println();
            stdout.print(FrameworkComparison.memoryTable(doc));
            stdout.printf("%d thread(s), %s; ratio = DL4J / PyTorch's best layout; GFLOP/s in %% of ND4J's SGEMM rate;"
                    + " 'busy' = other processes' load in cores while timing (figure not comparable)%nwrote %s%n",
                    s.threads(), doc.get("cpu").asText(), out);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

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
