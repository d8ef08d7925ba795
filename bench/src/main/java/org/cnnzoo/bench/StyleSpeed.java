package org.cnnzoo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.style.PeerSpec;
import org.cnnzoo.style.Pictures;
import org.cnnzoo.zoo.Backend;
import org.cnnzoo.style.StyleLayers;
import org.cnnzoo.style.StyleOptions;
import org.cnnzoo.style.StyleTransfer;
import org.cnnzoo.zoo.imports.ImportedModel;
import org.cnnzoo.zoo.weights.Npy;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Style transfer steps per second: the project's optimisation (DL4J's forward and backward pass through the
 * network, costs, Adam) against the same optimisation in PyTorch (Debian's torch, autograd) on the same network,
 * weights, pictures and settings, with the same thread count. The network is nsfwjs's MobileNet v2 (the offline
 * one) with the Keras preset's layers; the pictures a content and a style photo at the given size.
 *
 * <p>Run by {@code cnnzoo bench --suite style}; args: [--json] SIDE STEPS MODEL_JSON PEER_SCRIPT CONTENT STYLE.
 */
public final class StyleSpeed {
    private StyleSpeed() {
    }

    static final StyleOptions OPTIONS = StyleOptions.defaults().withCosts(StyleLayers.KERAS_MOBILENET_V2.costs());

    public static void main(String[] args) throws Exception {
        Backend.init();
        boolean json = args.length > 0 && args[0].equals("--json");
        List<String> rest = List.of(args).subList(json ? 1 : 0, args.length);
        Map<String, Object> m = measure(Integer.parseInt(rest.get(0)), Integer.parseInt(rest.get(1)),
                Path.of(rest.get(2)), Path.of(rest.get(3)), Path.of(rest.get(4)), Path.of(rest.get(5)));
        System.out.println(json ? new ObjectMapper().writeValueAsString(m) : table(m));
        System.exit(0);
    }

    public static Map<String, Object> measure(int side, int steps, Path model, Path peerScript, Path content,
                                              Path style) throws Exception {
        ComputationGraph network = ImportedModel.load(model).graph();
        StyleLayers layers = StyleLayers.KERAS_MOBILENET_V2;
        StyleTransfer transfer = new StyleTransfer(network, layers, Normalization.SYMMETRIC);
        INDArray c = Pictures.read(content, side);
        INDArray s = Pictures.covering(style, (int) c.size(2), (int) c.size(3));
        StyleTransfer.Targets targets = transfer.targets(c, List.of(s), new double[]{1});
        transfer.run(c, targets, OPTIONS.withSteps(2), null);
        // timed from the end of step 1 to the end of the last: steps - 1 whole iterations (update, forward, costs,
        // backward), as the peer times its loop after one warm-up step
        long[] at = new long[2];
        double[] costs = new double[2];
        StyleTransfer.Result result = transfer.run(c, targets, OPTIONS.withSteps(steps), (step, picture) -> {
            if (step.step() == 0) {
                costs[0] = step.total();
            }
            if (step.step() == 1) {
                at[0] = System.nanoTime();
            }
            at[1] = System.nanoTime();
            costs[1] = step.total();
        });
        double dl4j = (steps - 1) / ((at[1] - at[0]) / 1e9);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", "nsfwjs MobileNet v2 (Keras), layers " + layers.layers());
        m.put("picture", c.size(3) + "x" + c.size(2));
        m.put("steps", steps);
        m.put("threads", threads());
        m.put("dl4j_steps_per_s", dl4j);
        // J of the starting picture and of the last: the peer starts from the same picture
        m.put("dl4j_first_J", costs[0]);
        m.put("dl4j_last_J", result.history().get(result.history().size() - 1).total());

        Path dir = Files.createTempDirectory("cnnzoo-bench-style");
        try {
            Npy.write(dir.resolve("pictures.npy"), Nd4j.concat(0, c, s, StyleTransfer.start(c, OPTIONS)));
            Map<String, Object> spec = PeerSpec.of(layers, OPTIONS, Normalization.SYMMETRIC, false);
            new ObjectMapper().writeValue(dir.resolve("spec.json").toFile(), spec);
            Process p = FrameworkComparison.asShipped(new ProcessBuilder("/usr/bin/python3", peerScript.toString(),
                    "bench", model.toString(), dir.resolve("pictures.npy").toString(),
                    dir.resolve("spec.json").toString(), String.valueOf(steps - 1), String.valueOf(threads())))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("the PyTorch peer failed: " + out);
            }
            JsonNode peer = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
            m.put("pytorch_steps_per_s", peer.get("steps_per_second").asDouble());
            m.put("pytorch_first_J", peer.get("first").asDouble());
            m.put("pytorch_last_J", peer.get("last").asDouble());
            m.put("torch", peer.get("torch").asText());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return m;
    }

    private static int threads() {
        String n = System.getenv("OMP_NUM_THREADS");
        return n == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    }

    public static String table(Map<String, Object> m) {
        double dl4j = ((Number) m.get("dl4j_steps_per_s")).doubleValue();
        double torch = ((Number) m.get("pytorch_steps_per_s")).doubleValue();
        StringBuilder b = new StringBuilder();
        b.append(String.format("style: %s, %s px, %s steps, %s thread(s)%n", m.get("network"), m.get("picture"),
                m.get("steps"), m.get("threads")));
        b.append(String.format("%-40s %8.2f steps/s   J %.4g -> %.4g%n", "DL4J (cnnzoo style)", dl4j,
                ((Number) m.get("dl4j_first_J")).doubleValue(), ((Number) m.get("dl4j_last_J")).doubleValue()));
        b.append(String.format("%-40s %8.2f steps/s   J %.4g -> %.4g%n", "PyTorch " + m.get("torch") + " (autograd)",
                torch, ((Number) m.get("pytorch_first_J")).doubleValue(), ((Number) m.get("pytorch_last_J")).doubleValue()));
        b.append(String.format("%-40s %8.2fx%n", "ratio DL4J / PyTorch", dl4j / torch));
        return b.toString();
    }
}
