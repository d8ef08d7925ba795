package org.cnnzoo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The memory suite of 'cnnzoo bench': for each network, batch and phase (training steps, inference), one process
 * per framework doing only that ({@link MemoryProbe} for DL4J, {@code bench/pytorch_peer.py --memory} for PyTorch),
 * so that each peak resident set belongs to that work alone, with where DL4J's memory goes beside it.
 */
public final class MemoryReport {
    public static final List<Integer> BATCHES = List.of(1, 16);
    static final List<String> PHASES = List.of("training", "inference");

    private MemoryReport() {
    }

    /** Measures every network at every batch in both phases; returns the rows as a JSON array. */
    public static ArrayNode run(List<String> models, List<Integer> batches, FrameworkComparison.Settings s,
                                int steps, Consumer<String> progress) throws IOException, InterruptedException {
        ArrayNode rows = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        for (String model : models) {
            for (int batch : batches) {
                for (String phase : PHASES) {
                    ObjectNode row = rows.addObject();
                    row.put("model", model);
                    row.put("batch", batch);
                    row.put("phase", phase);
                    progress.accept(model + ": memory at batch " + batch + ", " + phase + ", DL4J");
                    row.set("dl4j", FrameworkComparison.inChildJvm(MemoryProbe.class, List.of(model,
                            String.valueOf(batch), phase, String.valueOf(steps)), s.threads()));
                    if (s.peer()) {
                        progress.accept(model + ": memory at batch " + batch + ", " + phase + ", PyTorch");
                        row.set("pytorch", FrameworkComparison.child(List.of("/usr/bin/python3",
                                s.peerScript().toString(), "--model", model, "--threads", String.valueOf(s.threads()),
                                "--memory", phase, "--batch", String.valueOf(batch), "--steps", String.valueOf(steps)),
                                s.threads()));
                    }
                }
            }
        }
        return rows;
    }

    /**
     * Peak resident set per row and framework, the ratio of the peaks and of what each process added to its
     * started state, and DL4J's parts: parameters with (training) gradients and updater state, the
     * inference graph's own parameters, the workspaces (activations and their gradients), and the rest (transient
     * native buffers, the heap, arrays not yet collected). PyTorch's "saved" is what autograd keeps for backward.
     */
    public static String table(JsonNode rows) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "%-16s %5s %-9s | %9s %9s %6s %7s | %8s %8s %9s %9s | %8s%n", "network", "batch", "phase",
                "DL4J", "PyTorch", "ratio", "added", "base", "params*", "wkspaces", "rest", "PT saved"));
        for (JsonNode row : rows) {
            JsonNode d = row.path("dl4j");
            JsonNode t = row.path("pytorch");
            double peak = d.path("peak_rss_mb").asDouble();
            double base = d.path("baseline_rss_mb").asDouble();
            double params = d.path("parameters_mb").asDouble() + d.path("gradients_mb").asDouble()
                    + d.path("updater_state_mb").asDouble() + d.path("inference_parameters_mb").asDouble();
            double workspaces = 0;
            for (JsonNode ws : d.path("workspaces_mb")) {
                workspaces += ws.asDouble();
            }
            boolean peer = t.has("peak_rss_mb");
            double tPeak = t.path("peak_rss_mb").asDouble(Double.NaN);
            double added = (peak - base) / (tPeak - t.path("baseline_rss_mb").asDouble(Double.NaN));
            s.append(String.format(Locale.ROOT, "%-16s %5d %-9s | %6.0f MB %9s %6s %7s | %5.0f MB %5.0f MB %6.0f MB %6.0f MB | %8s%n",
                    row.path("model").asText(), row.path("batch").asInt(), row.path("phase").asText(), peak,
                    peer ? String.format(Locale.ROOT, "%.0f MB", tPeak) : "-",
                    peer ? String.format(Locale.ROOT, "%.2fx", peak / tPeak) : "-",
                    peer ? String.format(Locale.ROOT, "%.2fx", added) : "-", base, params, workspaces,
                    Math.max(0, peak - base - params - workspaces),
                    t.has("saved_for_backward_mb") ? String.format(Locale.ROOT, "%.0f MB",
                            t.path("saved_for_backward_mb").asDouble()) : "-"));
        }
        return s.toString();
    }

    /** The table's legend. */
    public static String legend() {
        List<String> lines = new ArrayList<>();
        lines.add("peak resident set of a process doing only that phase (training: SGD-momentum steps; inference:"
                + " DL4J through InferenceGraph, PyTorch under no_grad, both NCHW); ratio = DL4J / PyTorch; added ="
                + " the same ratio of what each process grew by from its started state (base: DL4J's JVM with ND4J"
                + " loaded)");
        lines.add("params* = parameters, with their gradients and the updater's state in training and the inference"
                + " graph's own copy in inference; wkspaces = DL4J's workspaces at their largest (the activations kept"
                + " for backward among them); rest = peak - base - params* - wkspaces (transient native buffers, the"
                + " heap); PT saved = what PyTorch's autograd keeps for backward");
        return String.join("\n", lines) + "\n";
    }
}
