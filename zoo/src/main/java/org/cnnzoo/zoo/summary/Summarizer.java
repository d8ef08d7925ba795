package org.cnnzoo.zoo.summary;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.build.ConvArithmetic;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a {@link ModelSummary} of any ComputationGraph configuration from the course's formulas: output size
 * floor((n + 2p - f) / s) + 1 per spatial dimension (ceil(n / s) in "same" mode), conv parameters
 * (f * f * n_c + 1) * n_filters, and one multiply-add per weight per output position. Nothing is taken from DL4J's
 * own shape inference, so the tests can hold one against the other. Vertex types the formulas do not cover are
 * rejected with their name rather than guessed.
 */
public final class Summarizer {
    private Summarizer() {
    }

    /** The summary of a zoo network with its current options. */
    public static ModelSummary of(Architecture<?> architecture) {
        return of(architecture.name(), architecture.build(),
                InputType.convolutional(architecture.height(), architecture.width(), architecture.channels()));
    }

    /**
     * The summary of a graph with a single input of the given type ({@code InputType.convolutional(h, w, c)} or
     * {@code InputType.convolutional3D(d, h, w, c)}).
     */
    public static ModelSummary of(String name, ComputationGraphConfiguration conf, InputType input) {
        if (conf.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException(name + ": summaries cover graphs with one input, this one has "
                    + conf.getNetworkInputs());
        }
        Map<String, List<Long>> shapes = new HashMap<>();
        shapes.put(conf.getNetworkInputs().get(0), shapeOf(input));
        List<LayerSummary> layers = new ArrayList<>();
        Params params = Params.NONE;
        long macs = 0;
        for (String vertex : topologicalOrder(conf)) {
            List<String> inputs = conf.getVertexInputs().get(vertex);
            List<List<Long>> in = new ArrayList<>();
            for (String i : inputs) {
                in.add(shapes.get(i));
            }
            LayerSummary layer = summarise(vertex, conf.getVertices().get(vertex), inputs, in);
            shapes.put(vertex, layer.shape());
            layers.add(layer);
            params = params.plus(layer.params());
            macs += layer.macs();
        }
        List<Long> inShape = shapeOf(input);
        ModelSummary.Input in = input instanceof InputType.InputTypeConvolutional c
                ? new ModelSummary.Input(c.getHeight(), c.getWidth(), c.getChannels())
                : inShape.size() == 2 ? new ModelSummary.Input(1, inShape.get(1), inShape.get(0))
                : new ModelSummary.Input(inShape.get(2), inShape.get(3), inShape.get(0));
        return new ModelSummary(name, in, params, macs, layers);
    }

    private static LayerSummary summarise(String name, GraphVertex vertex, List<String> inputs, List<List<Long>> in) {
        if (vertex instanceof LayerVertex lv) {
            Layer layer = lv.getLayerConf().getLayer();
            Cost cost = layerCost(name, layer, in.get(0));
            return new LayerSummary(name, layer.getClass().getSimpleName(), inputs, cost.shape, cost.params, cost.macs);
        }
        List<Long> shape;
        if (vertex instanceof MergeVertex) {
            List<Long> first = in.get(0);
            long channels = 0;
            for (List<Long> s : in) {
                channels += s.get(0);
            }
            shape = new ArrayList<>(first);
            shape.set(0, channels);
        } else if (vertex instanceof ElementWiseVertex
                || vertex instanceof org.deeplearning4j.nn.conf.graph.ScaleVertex) {
            shape = in.get(0);                      // element-wise: no multiply-adds counted, as for additions
        } else {
            throw new IllegalArgumentException("vertex " + name + ": no cost formula for " + vertex.getClass().getSimpleName());
        }
        return new LayerSummary(name, vertex.getClass().getSimpleName(), inputs, shape, Params.NONE, 0);
    }

    private record Cost(List<Long> shape, Params params, long macs) {
    }

    private static Cost layerCost(String name, Layer layer, List<Long> in) {
        if (layer instanceof Convolution3D c) {
            return conv3d(c, in);
        }
        if (layer instanceof Convolution1DLayer c) {
            // DL4J keeps a 1D layer's sizes as 2D ones with a unit second axis
            long channels = in.get(0);
            int k = c.getKernelSize()[0];
            long length = outputSize(in.get(1), k, c.getStride()[0], c.getPadding()[0], c.getDilation()[0],
                    c.getConvolutionMode());
            long params = (k * channels + (c.hasBias() ? 1 : 0)) * c.getNOut();
            return new Cost(List.of(c.getNOut(), length), Params.trainable(params), length * c.getNOut() * k * channels);
        }
        if (layer instanceof Subsampling1DLayer p) {
            return new Cost(List.of(in.get(0), outputSize(in.get(1), p.getKernelSize()[0], p.getStride()[0],
                    p.getPadding()[0], p.getDilation()[0], p.getConvolutionMode())), Params.NONE, 0);
        }
        if (layer instanceof Subsampling3DLayer p) {
            List<Long> out = new ArrayList<>(List.of(in.get(0)));
            for (int d = 0; d < 3; d++) {
                out.add(outputSize(in.get(d + 1), p.getKernelSize()[d], p.getStride()[d], p.getPadding()[d],
                        p.getDilation()[d], p.getConvolutionMode()));
            }
            return new Cost(out, Params.NONE, 0);
        }
        if (layer instanceof SeparableConvolution2D c) {
            long channels = in.get(0);
            long mid = channels * c.getDepthMultiplier();
            List<Long> out = spatial(in, c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation(),
                    c.getConvolutionMode(), c.getNOut());
            long macs = out.get(1) * out.get(2) * (mid * c.getKernelSize()[0] * c.getKernelSize()[1] + mid * c.getNOut());
            long params = c.getKernelSize()[0] * c.getKernelSize()[1] * mid + mid * c.getNOut() + (c.hasBias() ? c.getNOut() : 0);
            return new Cost(out, Params.trainable(params), macs);
        }
        if (layer instanceof DepthwiseConvolution2D c) {
            long channels = in.get(0);
            long nOut = channels * c.getDepthMultiplier();
            List<Long> out = spatial(in, c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation(),
                    c.getConvolutionMode(), nOut);
            int[] k = c.getKernelSize();
            long params = ConvArithmetic.convParams(k[0], k[1], channels, nOut, channels, c.hasBias());
            return new Cost(out, Params.trainable(params),
                    ConvArithmetic.convMacs(out.get(1), out.get(2), k[0], k[1], channels, nOut, channels));
        }
        if (layer instanceof ConvolutionLayer c) {
            long channels = in.get(0);
            List<Long> out = spatial(in, c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation(),
                    c.getConvolutionMode(), c.getNOut());
            int[] k = c.getKernelSize();
            long params = ConvArithmetic.convParams(k[0], k[1], channels, c.getNOut(), 1, c.hasBias());
            return new Cost(out, Params.trainable(params),
                    ConvArithmetic.convMacs(out.get(1), out.get(2), k[0], k[1], channels, c.getNOut(), 1));
        }
        if (layer instanceof SubsamplingLayer p) {
            return new Cost(spatial(in, p.getKernelSize(), p.getStride(), p.getPadding(), p.getDilation(),
                    p.getConvolutionMode(), in.get(0)), Params.NONE, 0);
        }
        if (layer instanceof ZeroPaddingLayer z) {
            int[] pad = z.getPadding();                                   // top, bottom, left, right
            return new Cost(List.of(in.get(0), in.get(1) + pad[0] + pad[1], in.get(2) + pad[2] + pad[3]), Params.NONE, 0);
        }
        if (layer instanceof Upsampling2D u) {
            int[] size = u.getSize();
            return new Cost(List.of(in.get(0), in.get(1) * size[0], in.get(2) * size[size.length > 1 ? 1 : 0]),
                    Params.NONE, 0);
        }
        if (layer instanceof BatchNormalization bn) {
            long channels = in.get(0);
            long trainable = bn.isLockGammaBeta() ? 0 : 2 * channels;
            return new Cost(in, new Params(trainable, trainable + 2 * channels), 0);
        }
        if (layer instanceof ActivationLayer || layer instanceof DropoutLayer
                || layer instanceof org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer
                || layer instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer) {
            // YOLO's output and a per-pixel loss only apply activations: no weights, no multiply-adds counted
            return new Cost(in, Params.NONE, 0);
        }
        if (layer instanceof GlobalPoolingLayer g) {
            List<Long> kept = new ArrayList<>(List.of(in.get(0)));
            for (int d = 1; d < in.size(); d++) {
                kept.add(1L);
            }
            return new Cost(g.isCollapseDimensions() ? List.of(in.get(0)) : kept, Params.NONE, 0);
        }
        if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer) {
            FeedForwardLayer f = (FeedForwardLayer) layer;
            long nIn = in.stream().reduce(1L, (a, b) -> a * b);          // flattened, as DL4J's preprocessor does
            long params = nIn * f.getNOut() + (hasBias(layer) ? f.getNOut() : 0);
            return new Cost(List.of(f.getNOut()), Params.trainable(params), nIn * f.getNOut());
        }
        throw new IllegalArgumentException("vertex " + name + ": no cost formula for " + layer.getClass().getSimpleName());
    }

    private static boolean hasBias(Layer layer) {
        if (layer instanceof DenseLayer d) {
            return d.hasBias();
        }
        return ((BaseOutputLayer) layer).hasBias();
    }

    private static List<Long> spatial(List<Long> in, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                      ConvolutionMode mode, long channels) {
        List<Long> out = new ArrayList<>();
        out.add(channels);
        for (int d = 0; d < 2; d++) {
            out.add(outputSize(in.get(d + 1), kernel[d], stride[d], padding[d], dilation[d], mode));
        }
        return out;
    }

    private static long outputSize(long n, int kernel, int stride, int padding, int dilation, ConvolutionMode mode) {
        if (mode == ConvolutionMode.Same) {
            return (n + stride - 1) / stride;
        }
        int effective = kernel + (kernel - 1) * (dilation - 1);
        return ConvArithmetic.outputSize((int) n, effective, stride, padding);
    }

    private static Cost conv3d(Convolution3D c, List<Long> in) {
        int[] k = c.getKernelSize();
        List<Long> out = new ArrayList<>();
        out.add(c.getNOut());
        for (int d = 0; d < 3; d++) {
            out.add(outputSize(in.get(d + 1), k[d], c.getStride()[d], c.getPadding()[d], c.getDilation()[d],
                    c.getConvolutionMode()));
        }
        long channels = in.get(0);
        long kernelVolume = (long) k[0] * k[1] * k[2];
        long params = (kernelVolume * channels + (c.hasBias() ? 1 : 0)) * c.getNOut();
        long macs = out.get(1) * out.get(2) * out.get(3) * c.getNOut() * kernelVolume * channels;
        return new Cost(out, Params.trainable(params), macs);
    }

    private static List<Long> shapeOf(InputType type) {
        if (type instanceof InputType.InputTypeConvolutional c) {
            return List.of(c.getChannels(), c.getHeight(), c.getWidth());
        }
        if (type instanceof InputType.InputTypeConvolutional3D c) {
            return List.of(c.getChannels(), c.getDepth(), c.getHeight(), c.getWidth());
        }
        if (type instanceof InputType.InputTypeRecurrent r) {
            return List.of(r.getSize(), r.getTimeSeriesLength());
        }
        if (type instanceof InputType.InputTypeFeedForward f) {
            return List.of(f.getSize());
        }
        throw new IllegalArgumentException("no summary for input type " + type);
    }

    /** Vertices in an order where each comes after its inputs (Kahn's algorithm, stable in declaration order). */
    static List<String> topologicalOrder(ComputationGraphConfiguration conf) {
        Map<String, Integer> pending = new LinkedHashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (String v : conf.getVertices().keySet()) {
            List<String> inputs = conf.getVertexInputs().get(v);
            int count = 0;
            for (String i : inputs) {
                if (conf.getVertices().containsKey(i)) {
                    count++;
                    consumers.computeIfAbsent(i, x -> new ArrayList<>()).add(v);
                }
            }
            pending.put(v, count);
        }
        Deque<String> ready = new ArrayDeque<>();
        pending.forEach((v, c) -> {
            if (c == 0) {
                ready.add(v);
            }
        });
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String v = ready.poll();
            order.add(v);
            for (String next : consumers.getOrDefault(v, List.of())) {
                if (pending.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        if (order.size() != pending.size()) {
            throw new IllegalArgumentException("the graph has a cycle");
        }
        return order;
    }
}
