package org.cnnzoo.zoo.weights;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a graph's parameters correspond to a PyTorch state dict. Because every vertex is named after its PyTorch
 * module path, the key is the vertex name plus the tensor's name there; only the memory layout differs, as the
 * {@link Transform} says. Loading torchvision or timm weights is a walk over this list.
 */
public final class StateDictLayout {
    private StateDictLayout() {
    }

    /** How a PyTorch tensor becomes the DL4J parameter. */
    public enum Transform {
        /** Same values in the same order (DL4J may add a leading 1, e.g. biases are [1, n]). */
        RESHAPE,
        /** PyTorch Linear weight [out, in] is DL4J's [in, out]. */
        TRANSPOSE,
        /** PyTorch depthwise weight [C, 1, kh, kw] is DL4J's [kh, kw, C, 1]. */
        DEPTHWISE,
        /** PyTorch running variance v is stored by DL4J's batch norm as log10(sqrt(v)). */
        LOG10_STD
    }

    /**
     * One tensor of the state dict.
     *
     * @param key       the PyTorch state-dict key, e.g. {@code layer1.0.bn1.running_mean}
     * @param shape     its PyTorch shape
     * @param trainable false for batch-norm running statistics (PyTorch buffers)
     * @param vertex    the DL4J vertex holding it
     * @param param     the DL4J parameter key within the vertex ({@code W}, {@code b}, {@code gamma}, ...)
     * @param transform how the layouts differ
     */
    public record Entry(String key, List<Long> shape, boolean trainable, String vertex, String param, Transform transform) {
    }

    /** Every tensor of the graph's state dict, in graph order. Needs a configuration whose nIn values are set. */
    public static List<Entry> of(ComputationGraphConfiguration conf) {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv) {
                add(entries, e.getKey(), lv.getLayerConf().getLayer());
            }
        }
        return entries;
    }

    private static void add(List<Entry> out, String v, Layer layer) {
        if (layer instanceof DepthwiseConvolution2D c) {
            long channels = c.getNIn();
            int[] k = c.getKernelSize();
            out.add(new Entry(v + ".weight", List.of(channels * c.getDepthMultiplier(), 1L, (long) k[0], (long) k[1]),
                    true, v, "W", Transform.DEPTHWISE));
            bias(out, v, c.hasBias(), c.getNOut());
        } else if (layer instanceof ConvolutionLayer c) {
            int[] k = c.getKernelSize();
            List<Long> shape = new ArrayList<>(List.of(c.getNOut(), c.getNIn()));
            for (int d : k) {
                shape.add((long) d);
            }
            out.add(new Entry(v + ".weight", shape, true, v, "W", Transform.RESHAPE));
            bias(out, v, c.hasBias(), c.getNOut());
        } else if (layer instanceof BatchNormalization bn) {
            long c = bn.getNOut();
            if (!bn.isLockGammaBeta()) {
                out.add(new Entry(v + ".weight", List.of(c), true, v, "gamma", Transform.RESHAPE));
                out.add(new Entry(v + ".bias", List.of(c), true, v, "beta", Transform.RESHAPE));
            }
            out.add(new Entry(v + ".running_mean", List.of(c), false, v, "mean", Transform.RESHAPE));
            out.add(bn.isUseLogStd()
                    ? new Entry(v + ".running_var", List.of(c), false, v, "log10stdev", Transform.LOG10_STD)
                    : new Entry(v + ".running_var", List.of(c), false, v, "var", Transform.RESHAPE));
        } else if (layer instanceof DenseLayer d) {
            out.add(new Entry(v + ".weight", List.of(d.getNOut(), d.getNIn()), true, v, "W", Transform.TRANSPOSE));
            bias(out, v, d.hasBias(), d.getNOut());
        } else if (layer instanceof BaseOutputLayer o) {
            out.add(new Entry(v + ".weight", List.of(o.getNOut(), o.getNIn()), true, v, "W", Transform.TRANSPOSE));
            bias(out, v, o.hasBias(), o.getNOut());
        } else if (layer.initializer().numParams(layer) > 0) {
            throw new IllegalArgumentException("vertex " + v + ": no PyTorch layout known for "
                    + layer.getClass().getSimpleName());
        }
    }

    private static void bias(List<Entry> out, String v, boolean hasBias, long n) {
        if (hasBias) {
            out.add(new Entry(v + ".bias", List.of(n), true, v, "b", Transform.RESHAPE));
        }
    }
}
