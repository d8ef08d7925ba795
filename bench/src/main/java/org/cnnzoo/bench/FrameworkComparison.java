package org.cnnzoo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cnnzoo.common.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * DL4J against PyTorch, network by network, side by side on the same machine: each round runs the DL4J side in a
 * JVM of its own and then the PyTorch side ({@code bench/pytorch_peer.py}), both with the same thread count, so
 * the frameworks alternate; each figure is the best over the rounds, preferring figures taken while the rest of
 * the machine was quiet (other processes under {@link CpuLoad#FLAG} cores). The ratio is DL4J's images/s over
 * PyTorch's best layout (NCHW or channels-last).
 */
public final class FrameworkComparison {
    public static final List<String> MODELS = List.of("resnet18", "resnet50", "vgg16", "mobilenet_v2", "efficientnet_b0",
            "googlenet", "lenet5");
    static final List<String> MEASURES = List.of("inference_1", "inference_batch", "training_batch");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** How long to measure. */
    public record Settings(int threads, int rounds, int warmup, int repeats, double seconds, boolean peer, Path peerScript) {
        public static Settings full(Path peerScript) {
            return new Settings(2, 2, 2, 3, 1.0, true, peerScript);
        }

        public static Settings quick(Path peerScript) {
            return new Settings(2, 1, 1, 2, 0.3, true, peerScript);
        }
    }

    private FrameworkComparison() {
    }

    /** A results document holding only the machine and the settings. */
    public static ObjectNode machine(Settings s) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("threads", s.threads());
        doc.put("rounds", s.rounds());
        doc.put("cpu", cpuName());
        doc.put("cores", Runtime.getRuntime().availableProcessors());
        return doc;
    }

    /** Measures every model; returns the JSON document (models, figures per framework, the machine). */
    public static ObjectNode run(List<String> models, Settings s, Consumer<String> progress) throws IOException,
            InterruptedException {
        ObjectNode doc = machine(s);
        ObjectNode results = doc.putObject("models");
        for (String model : models) {
            ObjectNode m = results.putObject(model);
            for (int round = 1; round <= s.rounds(); round++) {
                progress.accept(model + ": DL4J, round " + round);
                keepBest(m.with("dl4j"), child(dl4jCommand(model, s), s.threads()));
                if (s.peer()) {
                    progress.accept(model + ": PyTorch, round " + round);
                    JsonNode torch = child(List.of("/usr/bin/python3", s.peerScript().toString(), "--model", model,
                            "--threads", String.valueOf(s.threads()), "--warmup", String.valueOf(s.warmup()),
                            "--repeats", String.valueOf(s.repeats()), "--seconds", String.valueOf(s.seconds())), s.threads());
                    for (String layout : List.of("nchw", "channels_last")) {
                        ObjectNode figures = (ObjectNode) torch.get("layouts").get(layout);
                        figures.put("peak_rss_mb", torch.get("peak_rss_mb").asDouble());
                        figures.put("framework", torch.get("framework").asText());
                        keepBest(m.with("pytorch_" + layout), figures);
                    }
                }
            }
        }
        return doc;
    }

    /**
     * Runs another benchmark of this module (a class whose main prints one JSON object when its first argument is
     * --json) in a JVM of its own with the given thread count, and returns that object.
     */
    public static JsonNode inChildJvm(Class<?> main, List<String> args, int threads) throws IOException, InterruptedException {
        return inChildJvm(main.getName(), List.of(), args, threads);
    }

    /**
     * The same for a class found by name (one of a module on the class path only when asked for, like the spark
     * module's), with extra JVM options.
     */
    public static JsonNode inChildJvm(String main, List<String> jvmOptions, List<String> args, int threads)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx4g"));
        command.addAll(vectorOption());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main, "--json"));
        command.addAll(args);
        return child(command, threads);
    }

    private static List<String> dl4jCommand(String model, Settings s) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx4g"));
        command.addAll(vectorOption());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Dl4jNetworkBench.class.getName(),
                model, String.valueOf(s.warmup()), String.valueOf(s.repeats()), String.valueOf(s.seconds())));
        return command;
    }

    /** The children measure DL4J as this JVM runs it: with the Vector API module when it has it. */
    private static List<String> vectorOption() {
        return org.cnnzoo.zoo.graph.Vectors.available() ? List.of("--add-modules=jdk.incubator.vector")
                : List.of();
    }

    static JsonNode child(List<String> command, int threads) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        if (!command.get(0).contains("java")) {
            asShipped(pb);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(command.get(0) + " " + String.join(" ", command.subList(Math.max(0, command.size() - 5),
                    command.size())) + " failed (exit " + p.exitValue() + "): " + out);
        }
        String last = out.strip().substring(out.strip().lastIndexOf('\n') + 1);
        return JSON.readTree(last);
    }

    /**
     * The peer runs as its users run it: without the allocator the launcher preloads for DL4J (tcmalloc), which
     * the JVM's children inherit.
     */
    static ProcessBuilder asShipped(ProcessBuilder pb) {
        String preload = pb.environment().getOrDefault("LD_PRELOAD", "");
        String kept = java.util.Arrays.stream(preload.split(":")).filter(l -> !l.isEmpty() && !l.contains("tcmalloc"))
                .collect(java.util.stream.Collectors.joining(":"));
        if (kept.isEmpty()) {
            pb.environment().remove("LD_PRELOAD");
        } else {
            pb.environment().put("LD_PRELOAD", kept);
        }
        return pb;
    }

    /** The C allocator this process runs with, as the results record it. */
    static String allocator() {
        return System.getenv().getOrDefault("LD_PRELOAD", "").contains("tcmalloc") ? "tcmalloc" : "glibc malloc";
    }

    /** Keeps, per measure, the best figure among quiet ones (or the best of all when none was quiet). */
    static void keepBest(ObjectNode into, JsonNode figures) {
        figures.fields().forEachRemaining(e -> {
            if (!MEASURES.contains(e.getKey())) {
                if (!e.getKey().startsWith("load_") && !into.has(e.getKey())) {
                    into.set(e.getKey(), e.getValue());
                }
                return;
            }
            double value = e.getValue().asDouble();
            double load = figures.path("load_" + e.getKey()).asDouble();
            boolean quiet = load <= CpuLoad.FLAG;
            boolean hadQuiet = into.has(e.getKey()) && into.path("load_" + e.getKey()).asDouble() <= CpuLoad.FLAG;
            double had = into.path(e.getKey()).asDouble(-1);
            if (!into.has(e.getKey()) || (quiet && !hadQuiet) || (quiet == hadQuiet && value > had)) {
                into.put(e.getKey(), value);
                into.put("load_" + e.getKey(), load);
            }
        });
    }

    /** The comparison table: images/s, the ratio against PyTorch's best layout, GFLOP/s against SGEMM, flags. */
    public static String table(ObjectNode doc) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-16s %-16s %10s %10s %10s %7s %16s  %s%n",
                "network", "measure", "DL4J", "PT NCHW", "PT NHWC", "ratio", "DL4J GFLOP/s", "flags"));
        doc.get("models").fields().forEachRemaining(m -> {
            JsonNode dl4j = m.getValue().path("dl4j");
            JsonNode nchw = m.getValue().path("pytorch_nchw");
            JsonNode nhwc = m.getValue().path("pytorch_channels_last");
            int batch = dl4j.path("batch").asInt();
            double peak = dl4j.path("sgemm_gflops").asDouble();
            for (String measure : MEASURES) {
                double ours = dl4j.path(measure).asDouble();
                double a = nchw.path(measure).asDouble(Double.NaN);
                double b = nhwc.path(measure).asDouble(Double.NaN);
                double peer = Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
                // multiply-adds are two FLOPs; training is about three forward passes' worth
                double gflops = ours * dl4j.path("macs").asDouble() * (measure.startsWith("training") ? 6 : 2) / 1e9;
                List<String> flags = new ArrayList<>();
                for (var side : List.of(dl4j, nchw, nhwc)) {
                    double load = side.path("load_" + measure).asDouble(0);
                    if (load > CpuLoad.FLAG) {
                        flags.add(String.format(Locale.ROOT, "busy %.2f", load));
                    }
                }
                String label = measure.equals("inference_1") ? "inference b1"
                        : measure.equals("inference_batch") ? "inference b" + batch : "training b" + batch;
                s.append(String.format(Locale.ROOT, "%-16s %-16s %10.1f %10s %10s %7s %8.1f (%3.0f%%)  %s%n",
                        m.getKey(), label, ours, fmt(a), fmt(b), Double.isNaN(peer) ? "-" : String.format(Locale.ROOT,
                                "%.2fx", ours / peer), gflops, 100 * gflops / peak, String.join(", ", flags)));
            }
        });
        return s.toString();
    }

    /** Peak memory per network and framework. */
    public static String memoryTable(ObjectNode doc) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-16s %12s %14s %12s %14s%n", "network",
                "DL4J heap", "DL4J native*", "DL4J RSS", "PyTorch RSS"));
        doc.get("models").fields().forEachRemaining(m -> {
            JsonNode dl4j = m.getValue().path("dl4j");
            s.append(String.format(Locale.ROOT, "%-16s %9.0f MB %11.0f MB %9.0f MB %11s%n", m.getKey(),
                    dl4j.path("peak_heap_mb").asDouble(), dl4j.path("off_heap_mb").asDouble(),
                    dl4j.path("peak_rss_mb").asDouble(), m.getValue().has("pytorch_nchw")
                            ? String.format(Locale.ROOT, "%.0f MB", m.getValue().path("pytorch_nchw").path("peak_rss_mb").asDouble())
                            : "-"));
        });
        return s.toString();
    }

    public static void write(Path file, ObjectNode doc) throws IOException {
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), doc));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: the name stays unknown
        }
        return "unknown";
    }
}
