package org.cnnzoo.zoo.inference;

import org.cnnzoo.zoo.graph.ChannelAffine;
import org.cnnzoo.zoo.graph.NchwToNhwc;
import org.cnnzoo.zoo.graph.InPlaceActivationLayer;
import org.cnnzoo.zoo.graph.OneDnnConvolutionLayer;
import org.cnnzoo.zoo.graph.VectorBatchNormalization;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ReshapeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Switches a channels-first network to channels-last (NHWC) activations, for which oneDNN's convolutions are
 * faster on the CPU (bench/RESULTS.md). Weights keep their layout; what changes with the layout is handled: channel
 * concatenation moves to axis 3, global pooling reduces axes 1 and 2, and a dense layer reading a flattened feature
 * map has its input rows reordered from (c, h, w) to (h, w, c). The network still takes NCHW images: the layers
 * reading the input permute it first.
 */
final class ChannelsLastLayout {
    private ChannelsLastLayout() {
    }

    /** Why the network cannot be switched, or empty when it can. */
    static Optional<String> obstacle(GraphRewrite g) {
        if (g.conf.getNetworkInputs().size() != 1) {
            return Optional.of("the network has " + g.conf.getNetworkInputs().size() + " inputs");
        }
        for (GraphVertex v : g.conf.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ConvolutionLayer c
                    && c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                return Optional.of("the network is already channels-last");
            }
        }
        boolean convolutions = false;
        for (Map.Entry<String, GraphVertex> e : g.conf.getVertices().entrySet()) {
            GraphVertex v = e.getValue();
            if (v instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                if (!known(layer)) {
                    return Optional.of(e.getKey() + " is a " + layer.getClass().getSimpleName());
                }
                convolutions |= layer instanceof ConvolutionLayer;
                InputPreProcessor pre = lv.getPreProcessor();
                if (pre != null && !(pre instanceof CnnToFeedForwardPreProcessor) && !(pre instanceof ChannelAffine)) {
                    return Optional.of(e.getKey() + " has a " + pre.getClass().getSimpleName());
                }
            } else if (!(v instanceof MergeVertex || v instanceof ElementWiseVertex)) {
                return Optional.of(e.getKey() + " is a " + v.getClass().getSimpleName());
            }
        }
        return convolutions ? Optional.empty() : Optional.of("the network has no convolutions");
    }

    private static boolean known(Layer layer) {
        Class<?> c = layer.getClass();
        return BatchNormFolding.isConvolution(layer) || c == SubsamplingLayer.class
                || c == BatchNormalization.class || c == VectorBatchNormalization.class || c == ZeroPaddingLayer.class || c == GlobalPoolingLayer.class
                || c == Upsampling2D.class || c == ActivationLayer.class || c == InPlaceActivationLayer.class
                || c == DropoutLayer.class
                || c == DenseLayer.class || c == OutputLayer.class;
    }

    /** Switches every layer; call only when {@link #obstacle} is empty. */
    static void apply(GraphRewrite g) {
        List<String> keptDims = new ArrayList<>();
        for (Map.Entry<String, GraphVertex> e : g.conf.getVertices().entrySet()) {
            GraphVertex v = e.getValue();
            if (v instanceof MergeVertex merge) {
                merge.setMergeAxis(3);
            }
            if (!(v instanceof LayerVertex lv)) {
                continue;
            }
            Layer layer = lv.getLayerConf().getLayer();
            if (layer instanceof ConvolutionLayer c) {
                c.setCnn2dDataFormat(CNN2DFormat.NHWC);
                if (c.getClass() == ConvolutionLayer.class) {
                    lv.getLayerConf().setLayer(OneDnnConvolutionLayer.of(c));
                }
            } else if (layer instanceof SubsamplingLayer s) {
                s.setCnn2dDataFormat(CNN2DFormat.NHWC);
            } else if (layer instanceof BatchNormalization b) {
                b.setCnn2DFormat(CNN2DFormat.NHWC);
            } else if (layer instanceof ZeroPaddingLayer z) {
                z.setDataFormat(CNN2DFormat.NHWC);
            } else if (layer instanceof Upsampling2D u) {
                u.setFormat(CNN2DFormat.NHWC);
            } else if (layer instanceof GlobalPoolingLayer p) {
                p.setPoolingDimensions(new int[]{1, 2});
                if (!p.isCollapseDimensions()) {
                    keptDims.add(e.getKey());
                }
            }
            if (lv.getPreProcessor() instanceof CnnToFeedForwardPreProcessor flatten) {
                reorderRows(g.params.get(e.getKey()), flatten);
                flatten.setFormat(CNN2DFormat.NHWC);
            }
        }
        for (String pool : keptDims) {
            reshapePooled(g, pool);
        }
        NchwToNhwc.insertAtInput(g.conf);
    }

    /**
     * DL4J's global pooling, asked to keep its dimensions, reshapes its result to [N, C, 1, 1] whatever the layout
     * (squeeze-and-excitation's pooling). In NHWC it pools to [N, C] under another name, and a reshape to
     * [N, 1, 1, C] takes the original name, so readers and kept outputs see the right shape.
     */
    private static void reshapePooled(GraphRewrite g, String pool) {
        long channels = channelsOf(g, g.inputs(pool).get(0));
        ((GlobalPoolingLayer) g.layer(pool)).setCollapseDimensions(true);
        String flat = pool + ".flat";
        var vertices = g.conf.getVertices();
        var inputs = g.conf.getVertexInputs();
        vertices.put(flat, vertices.remove(pool));
        inputs.put(flat, inputs.remove(pool));
        g.params.put(flat, g.params.remove(pool));
        vertices.put(pool, new ReshapeVertex('c', new int[]{-1, 1, 1, Math.toIntExact(channels)}, null));
        inputs.put(pool, new ArrayList<>(List.of(flat)));
    }

    /** Channels of a vertex's output, from the nearest layer above it that states them. */
    static long channelsOf(GraphRewrite g, String vertex) {
        String v = vertex;
        while (true) {
            if (g.layer(v) instanceof FeedForwardLayer f && f.getNOut() > 0) {
                return f.getNOut();
            }
            List<String> in = g.inputs(v);
            if (in.size() != 1) {
                throw new IllegalStateException("cannot tell how many channels " + vertex + " has");
            }
            v = in.get(0);
        }
    }

    /** A dense layer's weights [c*h*w, out] in (c, h, w) row order, rewritten in (h, w, c) order. */
    private static void reorderRows(Map<String, INDArray> params, CnnToFeedForwardPreProcessor flatten) {
        INDArray w = params.get(DefaultParamInitializer.WEIGHT_KEY);
        long c = flatten.getNumChannels();
        long h = flatten.getInputHeight();
        long wd = flatten.getInputWidth();
        long out = w.size(1);
        params.put(DefaultParamInitializer.WEIGHT_KEY,
                w.reshape('c', c, h, wd, out).permute(1, 2, 0, 3).dup('c').reshape('c', h * wd * c, out));
    }
}
