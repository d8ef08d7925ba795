package org.cnnzoo.zoo.weights;

import org.cnnzoo.zoo.weights.StateDictLayout;
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
 * (missing key, unexpected key, wrong shape, non-finite values) is collected and reported together.
 */
public final class StateDictLoader {
    private StateDictLoader() {
    }

    /**
     * What a load may let pass.
     *
     * @param auxiliary        key prefixes of optional heads: tensors the file has and the network lacks are
     *                         skipped, tensors the network has and the file lacks stay as initialised
     * @param ignoreUnexpected accept any tensor the network lacks
     * @param nonFinite        accept NaN or infinite values (weights published as backbone only)
     */
    public record Options(List<String> auxiliary, boolean ignoreUnexpected, boolean nonFinite) {
        public static final Options STRICT = new Options(List.of(), false, false);

        public Options {
            auxiliary = List.copyOf(auxiliary);
        }
    }

    /** @throws IllegalArgumentException listing every mismatch with its key and both shapes */
    public static void load(ComputationGraph graph, Map<String, Tensor> state, boolean ignoreUnexpected) {
        load(graph, state, new Options(List.of(), ignoreUnexpected, false));
    }

    /**
     * @return what was let pass, in words (skipped auxiliary tensors, heads left as initialised); empty when the
     *         file and the network match exactly
     * @throws IllegalArgumentException listing every mismatch with its key and both shapes
     */
    public static List<String> load(ComputationGraph graph, Map<String, Tensor> state, Options options) {
        List<StateDictLayout.Entry> layout = StateDictLayout.of(graph.getConfiguration());
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        Set<String> keptInitialised = new TreeSet<>();
        for (StateDictLayout.Entry e : layout) {
            expected.add(e.key());
            Tensor t = state.get(e.key());
            if (t == null) {
                if (auxiliary(e.key(), options)) {
                    keptInitialised.add(e.key());
                } else {
                    problems.add("missing " + e.key() + " " + e.shape());
                }
            } else if (!Arrays.equals(t.shape(), e.shape().stream().mapToLong(Long::longValue).toArray())) {
                problems.add("shape of " + e.key() + ": file " + Arrays.toString(t.shape()) + ", network " + e.shape());
            } else if (!options.nonFinite() && !finite(t)) {
                problems.add(e.key() + " holds NaN or infinite values");
            }
        }
        Set<String> skipped = new TreeSet<>();
        for (String key : new TreeSet<>(state.keySet())) {
            if (expected.contains(key) || key.endsWith("num_batches_tracked")) {
                continue;
            }
            if (auxiliary(key, options)) {
                skipped.add(key);
            } else if (!options.ignoreUnexpected()) {
                problems.add("unexpected " + key + " " + Arrays.toString(state.get(key).shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.size() + " mismatch(es) between the weights and the network: "
                    + String.join("; ", problems));
        }
        if (!skipped.isEmpty()) {
            notes.add("skipped " + skipped.size() + " tensors of an auxiliary head the network is built without ("
                    + prefixes(skipped, options) + ")");
        }
        if (!keptInitialised.isEmpty()) {
            notes.add("the auxiliary head " + prefixes(keptInitialised, options) + " has no weights in the file: it stays"
                    + " randomly initialised, train it before relying on it");
        }
        for (StateDictLayout.Entry e : layout) {
            Tensor t = state.get(e.key());
            if (t != null) {
                INDArray param = graph.getLayer(e.vertex()).getParam(e.param());
                param.assign(convert(t, e.transform(), param.shape()));
            }
        }
        return notes;
    }

    private static boolean auxiliary(String key, Options options) {
        return options.auxiliary().stream().anyMatch(key::startsWith);
    }

    private static String prefixes(Set<String> keys, Options options) {
        return String.join(", ", options.auxiliary().stream()
                .filter(p -> keys.stream().anyMatch(k -> k.startsWith(p))).map(p -> p + "*").toList());
    }

    private static boolean finite(Tensor t) {
        for (float v : t.values()) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static INDArray convert(Tensor t, StateDictLayout.Transform transform, long[] target) {
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
