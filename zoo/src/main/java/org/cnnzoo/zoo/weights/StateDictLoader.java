package org.cnnzoo.zoo.weights;

import org.cnnzoo.zoo.graph.StateDictLayout;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads a PyTorch state dict (torchvision or timm key names) into a zoo graph. Because vertices carry the module
 * paths, each tensor is found by its key; {@link StateDictLayout} says how its layout differs. Every problem
 * (missing key, unexpected key, wrong shape) is collected and reported together.
 */
public final class StateDictLoader {
    private StateDictLoader() {
    }

    /**
     * @param ignoreUnexpected accept extra tensors (e.g. a checkpoint's auxiliary classifier) instead of failing
     * @throws IllegalArgumentException listing every mismatch with its key and both shapes
     */
    public static void load(ComputationGraph graph, Map<String, Safetensors.Tensor> state, boolean ignoreUnexpected) {
        List<StateDictLayout.Entry> layout = StateDictLayout.of(graph.getConfiguration());
        List<String> problems = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        for (StateDictLayout.Entry e : layout) {
            expected.add(e.key());
            Safetensors.Tensor t = state.get(e.key());
            if (t == null) {
                problems.add("missing " + e.key() + " " + e.shape());
            } else if (!Arrays.equals(t.shape(), e.shape().stream().mapToLong(Long::longValue).toArray())) {
                problems.add("shape of " + e.key() + ": file " + Arrays.toString(t.shape()) + ", network " + e.shape());
            }
        }
        if (!ignoreUnexpected) {
            for (String key : new TreeSet<>(state.keySet())) {
                if (!expected.contains(key) && !key.endsWith("num_batches_tracked")) {
                    problems.add("unexpected " + key + " " + Arrays.toString(state.get(key).shape()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.size() + " mismatch(es) between the weights and the network: "
                    + String.join("; ", problems));
        }
        for (StateDictLayout.Entry e : layout) {
            INDArray param = graph.getLayer(e.vertex()).getParam(e.param());
            param.assign(convert(state.get(e.key()), e.transform(), param.shape()));
        }
    }

    private static INDArray convert(Safetensors.Tensor t, StateDictLayout.Transform transform, long[] target) {
        INDArray a = Nd4j.create(t.values(), t.shape(), 'c').castTo(DataType.FLOAT);
        return switch (transform) {
            case RESHAPE -> a.reshape('c', target);
            case TRANSPOSE -> a.transpose().dup('c').reshape('c', target);
            case DEPTHWISE -> a.permute(2, 3, 0, 1).dup('c').reshape('c', target);   // [C,1,kh,kw] -> [kh,kw,C,1]
            case LOG10_STD -> org.nd4j.linalg.ops.transforms.Transforms.log(
                    org.nd4j.linalg.ops.transforms.Transforms.sqrt(a, true), 10, false).reshape('c', target);
        };
    }
}
