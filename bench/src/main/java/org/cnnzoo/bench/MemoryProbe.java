package org.cnnzoo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Backend;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.inference.InferenceGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one network's memory goes in one phase, alone in its JVM so that the peak is that phase's: the resident set
 * of the started process before the network exists, the parameters (and, training, their gradients and the
 * updater's state), each of DL4J's workspaces at its largest (the activations kept for the backward pass live in
 * one of them), and the peak resident set. Inference runs through {@link InferenceGraph}, whose rewritten graph has
 * parameters of its own beside the trained graph's: both are reported, the second being what a process that only
 * predicts need not keep twice.
 *
 * <p>{@code java ... MemoryProbe --json MODEL BATCH training|inference STEPS [dl4j-activations]} prints one JSON
 * object; {@code dl4j-activations} swaps the zoo's in-place activations back to DL4J's activation layer, to
 * measure what they save.
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    public static Map<String, Object> measure(String model, int batch, String phase, int steps, boolean dl4jActivations)
            throws Exception {
        if (!phase.equals("training") && !phase.equals("inference")) {
            throw new IllegalArgumentException("phase is training or inference, not " + phase);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("batch", batch);
        out.put("phase", phase);
        out.put("steps", steps);
        out.put("allocator", FrameworkComparison.allocator());
        Nd4j.create(DataType.FLOAT, 1).addi(1);            // the backend and its native libraries loaded
        out.put("baseline_rss_mb", Dl4jNetworkBench.rssMb("VmRSS:"));
        Architecture<?> arch = Zoo.get(model).create().optSeed(1).optUpdater(new Nesterovs(1e-3, 0.9));
        ComputationGraphConfiguration conf = arch.build();
        if (dl4jActivations) {
            conf = ComputationGraphConfiguration.fromJson(conf.toJson().replace(
                    org.cnnzoo.zoo.graph.InPlaceActivationLayer.class.getName(),
                    org.deeplearning4j.nn.conf.layers.ActivationLayer.class.getName()));
        }
        out.put("activations", dl4jActivations ? "DL4J's activation layer" : "the zoo's (in place where possible)");
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        out.put("parameters_mb", mb(net.params()));
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, arch.channels(), arch.height(), arch.width());
        if (phase.equals("training")) {
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, arch.classes());
            for (int i = 0; i < batch; i++) {
                y.putScalar(i, i % arch.classes(), 1);
            }
            DataSet data = new DataSet(x, y);
            for (int step = 0; step < steps; step++) {
                net.fit(data);
            }
            out.put("gradients_mb", mb(net.getFlattenedGradients()));
            out.put("updater_state_mb", mb(net.getUpdater().getStateViewArray()));
        } else {
            InferenceGraph inference = InferenceGraph.of(net);
            out.put("inference_parameters_mb", mb(inference.graph().params()));
            for (int step = 0; step < steps; step++) {
                inference.output(x);
            }
        }
        Map<String, Double> workspaces = new TreeMap<>();
        for (var ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            workspaces.merge(ws.getId(), ws.getCurrentSize() / 1048576.0, Double::sum);
        }
        out.put("workspaces_mb", workspaces);
        out.put("peak_heap_mb", Dl4jNetworkBench.peakHeapMb());
        out.put("peak_rss_mb", Dl4jNetworkBench.rssMb("VmHWM:"));
        return out;
    }

    private static double mb(INDArray a) {
        return a == null ? 0 : a.length() * a.dataType().width() / 1048576.0;
    }

    public static void main(String[] args) throws Exception {
        int at = args.length > 0 && args[0].equals("--json") ? 1 : 0;
        Backend.init();
        Map<String, Object> out = measure(args[at], Integer.parseInt(args[at + 1]), args[at + 2],
                Integer.parseInt(args[at + 3]), args.length > at + 4 && args[at + 4].equals("dl4j-activations"));
        System.out.println(new ObjectMapper().writeValueAsString(out));
        System.exit(0);
    }
}
