package org.cnnzoo.zoo.inference;

import org.cnnzoo.zoo.imports.ChannelsLastActivations;

import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.params.DepthwiseConvolutionParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.NoOp;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained network's chosen hidden activations, and the gradient of any function of them with respect to the
 * input image: what neural style transfer, saliency maps and feature visualisation optimise. The network stays
 * fixed; only the image moves.
 *
 * <p>Built on DL4J's own backpropagation with external errors, after changes to a copy of the graph that leave
 * the function unchanged, each needed for a right gradient (checked against finite differences): batch norms are
 * folded into the convolutions before them, or made fixed per-channel layers (DL4J's batch-norm backward pass always
 * differentiates the minibatch statistics, which is wrong for a frozen network); dropout is removed; activations are
 * taken out of channels-last convolutions ({@link ChannelsLastActivations}); vertices nothing chosen depends on are
 * dropped (no classifier work); each chosen activation is read through a leaf vertex of its own, because DL4J
 * overwrites, instead of adds to, the error of an output vertex that also feeds other vertices; and the error that
 * reaches the input is caught by a pass-through preprocessor ({@link GradientTap}), since DL4J keeps it only in a
 * workspace it has closed by the time its backward pass returns.
 *
 * <p>Activations come channels-first (N, C, H, W) whatever the layout inside (imported Keras and TF.js networks
 * compute channels-last), and gradients are given to {@link #backward} in that same layout. {@link #backward}
 * differentiates at the images of the latest {@link #forward}, once, and frees that forward pass's activations
 * (one set per step of an optimisation, outside DL4J's workspaces); one instance is for one thread.
 */
public final class FrozenFeatures {
    private static final String READ = "%s:read";

    private final InputGradientGraph graph;
    private final List<String> layers;
    private final List<String> notes;
    /** Per chosen layer, whether it is computed channels-last, for the image size of {@link #layoutFor}. */
    private boolean[] channelsLast;
    private long[] layoutFor;
    /** The images of the latest forward pass: the caller's, never released here. */
    private INDArray lastImages;

    private FrozenFeatures(InputGradientGraph graph, List<String> layers, List<String> notes) {
        this.graph = graph;
        this.layers = List.copyOf(layers);
        this.notes = List.copyOf(notes);
    }

    // DL4J does not keep a graph's input type, so the layouts are worked out from the first image of each size
    private void layouts(INDArray images) {
        long[] shape = images.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("expected N x C x H x W images, got " + java.util.Arrays.toString(shape));
        }
        if (java.util.Arrays.equals(shape, layoutFor)) {
            return;
        }
        Map<String, InputType> types = graph.getConfiguration().getLayerActivationTypes(
                InputType.convolutional(shape[2], shape[3], shape[1]));
        boolean[] last = new boolean[layers.size()];
        for (int i = 0; i < last.length; i++) {
            last[i] = types.get(layers.get(i)) instanceof InputType.InputTypeConvolutional t
                    && t.getFormat() == CNN2DFormat.NHWC;
        }
        channelsLast = last;
        layoutFor = shape;
    }

    /**
     * @param trained a network taking one NCHW image input (it is not changed)
     * @param layers  vertex names whose activations are wanted
     * @throws IllegalArgumentException naming a layer that does not exist or cannot be differentiated here
     */
    public static FrozenFeatures of(ComputationGraph trained, List<String> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("name at least one layer");
        }
        ComputationGraphConfiguration original = trained.getConfiguration();
        if (original.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("the network has " + original.getNetworkInputs().size()
                    + " inputs; feature gradients need a network with one image input");
        }
        for (String name : layers) {
            if (original.getVertices().get(name) == null) {
                throw new IllegalArgumentException("the network has no vertex named '" + name
                        + "' ('cnnzoo summary' lists them)");
            }
            if (trained.getVertex(name).hasLayer() && trained.getVertex(name).getLayer() instanceof IOutputLayer) {
                throw new IllegalArgumentException(name + " is the network's output layer; choose a hidden layer");
            }
        }
        GraphRewrite rewrite = new GraphRewrite(trained, Set.copyOf(layers));
        // activations are not fused into the layer before, as InferenceGraph does: the backward pass of DL4J's
        // convolution with a ReLU6 inside gave other gradients (a 30-step style transfer ended at twice the cost)
        List<String> folded = BatchNormFolding.apply(rewrite);
        ComputationGraphConfiguration conf = rewrite.conf;
        Set<String> needed = ancestors(conf, layers);
        for (String v : List.copyOf(conf.getVertices().keySet())) {
            if (!needed.contains(v)) {
                conf.getVertices().remove(v);
                conf.getVertexInputs().remove(v);
                rewrite.params.remove(v);
            }
        }
        int split = 0;
        for (String v : List.copyOf(needed)) {
            // imports are split when loaded; a DL4J zip or a rewritten graph may still hold such convolutions
            if (ChannelsLastActivations.needsSplit(rewrite.layer(v))) {
                splitActivation(rewrite, v);
                needed.add(v + ChannelsLastActivations.LINEAR);
                split++;
            }
        }
        int replaced = 0;
        for (String v : needed) {
            // inference has no dropout, but DL4J's backward pass still asks for the mask it did not draw
            if (rewrite.layer(v) != null) {
                rewrite.layer(v).setIDropout(null);
            }
            if (rewrite.layer(v) instanceof BatchNormalization norm) {
                asChannelAffine(rewrite, v, norm);
                replaced++;
            }
        }
        List<String> outputs = new ArrayList<>();
        for (String name : layers) {
            String read = String.format(READ, name);
            conf.getVertices().put(read, new ScaleVertex(1.0));
            conf.getVertexInputs().put(read, new ArrayList<>(List.of(name)));
            outputs.add(read);
        }
        conf.setNetworkOutputs(outputs);
        conf.setTrainingWorkspaceMode(WorkspaceMode.ENABLED);
        conf.setInferenceWorkspaceMode(WorkspaceMode.ENABLED);
        GradientTap tap = GradientTap.applyAtInput(conf);
        conf.setBackpropType(org.deeplearning4j.nn.conf.BackpropType.Standard);
        ComputationGraph built = rewrite.build();
        InputGradientGraph graph = new InputGradientGraph(built.getConfiguration(), tap);
        graph.init(built.params(), false);

        List<String> notes = new ArrayList<>();
        if (!folded.isEmpty()) {
            notes.add(folded.size() + " batch norms folded into their convolutions");
        }
        if (split > 0) {
            notes.add(split + " activations taken out of channels-last convolutions");
        }
        if (replaced > 0) {
            notes.add(replaced + " batch norms made fixed per-channel affine layers");
        }
        return new FrozenFeatures(graph, layers, notes);
    }

    /**
     * A batch norm that cannot be folded (a chosen convolution feeds it, or no convolution does) becomes a 1x1
     * depthwise convolution with bias computing the same fixed per-channel affine map, whose backward pass DL4J
     * gets right.
     */
    private static void asChannelAffine(GraphRewrite g, String name, BatchNormalization norm) {
        INDArray[] map = BatchNormFolding.scaleAndShift(norm, g.params.get(name));
        INDArray scale = map[0];
        INDArray shift = map[1];
        long channels = scale.length();
        DepthwiseConvolution2D affine = new DepthwiseConvolution2D.Builder(1, 1).nIn(channels).nOut(channels)
                .depthMultiplier(1).stride(1, 1).convolutionMode(ConvolutionMode.Truncate).hasBias(true)
                .activation(Activation.IDENTITY).dataFormat(norm.getCnn2DFormat())
                .updater(new NoOp()).weightInit(WeightInit.ZERO).build();
        affine.setLayerName(name);
        g.layerVertex(name).getLayerConf().setLayer(affine);
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put(DepthwiseConvolutionParamInitializer.WEIGHT_KEY, scale.reshape(1, 1, channels, 1));
        params.put(DepthwiseConvolutionParamInitializer.BIAS_KEY, shift.reshape(1, channels));
        g.params.put(name, params);
    }

    /** See {@link ChannelsLastActivations}: the parameters follow the convolution to its new name. */
    private static void splitActivation(GraphRewrite g, String name) {
        String linear = ChannelsLastActivations.split(g.conf, name);
        g.params.put(linear, g.params.remove(name));
    }

    private static Set<String> ancestors(ComputationGraphConfiguration conf, Iterable<String> of) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        of.forEach(todo::add);
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (seen.add(v)) {
                todo.addAll(conf.getVertexInputs().getOrDefault(v, List.of()));
            }
        }
        return seen;
    }

    public List<String> layers() {
        return layers;
    }

    /** What was changed in the copy, in words. */
    public List<String> notes() {
        return notes;
    }

    /** The chosen layers' activations for a batch of NCHW images, in the order of {@link #layers()}. */
    public INDArray[] forward(INDArray images) {
        layouts(images);
        lastImages = images;
        var acts = graph.feedForward(new INDArray[]{images}, false, false);
        INDArray[] out = new INDArray[layers.size()];
        for (int i = 0; i < out.length; i++) {
            INDArray a = acts.get(String.format(READ, layers.get(i)));
            // copies: the pass's own arrays are freed by the backward pass
            out[i] = (channelsLast[i] ? a.permute(0, 3, 1, 2) : a).dup('c');
        }
        return out;
    }

    /**
     * The gradient with respect to the images of the latest {@link #forward}, given the gradients of a scalar
     * function with respect to each chosen activation (channels-first, same shapes; null for a layer the function
     * does not use).
     */
    public INDArray backward(INDArray... activationGradients) {
        if (activationGradients.length != layers.size()) {
            throw new IllegalArgumentException("need one gradient per layer (" + layers.size() + "), got "
                    + activationGradients.length);
        }
        INDArray[] errors = new INDArray[layers.size()];
        for (int i = 0; i < errors.length; i++) {
            INDArray g = activationGradients[i];
            INDArray a = graph.getVertex(String.format(READ, layers.get(i))).getInputs()[0];
            if (g == null) {
                errors[i] = a.like();
                errors[i].assign(0);
            } else {
                errors[i] = channelsLast[i] ? g.permute(0, 2, 3, 1).dup('c') : g.dup('c');
            }
            if (!java.util.Arrays.equals(errors[i].shape(), a.shape())) {
                throw new IllegalArgumentException("the gradient for " + layers.get(i) + " has shape "
                        + java.util.Arrays.toString(g.shape()) + ", not the activation's");
            }
        }
        if (lastImages == null) {
            throw new IllegalStateException("call forward first");
        }
        INDArray gradient = graph.inputGradient(errors, lastImages);
        lastImages = null;
        return gradient;
    }

    /** DL4J's graph with its backward pass run from external errors, the input's error read by a tap. */
    private static final class InputGradientGraph extends ComputationGraph {
        private final GradientTap tap;

        InputGradientGraph(ComputationGraphConfiguration conf, GradientTap tap) {
            super(conf);
            this.tap = tap;
        }

        // DL4J keeps the input's error only inside a workspace it has closed by the time backprop returns; the
        // tap copies it out as it passes
        INDArray inputGradient(INDArray[] errors, INDArray images) {
            tap.reset();
            calcBackpropGradients(false, false, errors);
            INDArray gradient = tap.gradient();
            if (gradient == null) {
                throw new IllegalStateException("no error reached the input: call forward first");
            }
            release(images);
            return gradient;
        }

        /**
         * Frees the forward pass's activations now (detached from the workspaces, they are ordinary off-heap
         * arrays that would otherwise wait for the garbage collector: one set per step of an optimisation), except
         * the caller's images.
         */
        private void release(INDArray images) {
            java.util.Set<INDArray> arrays = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (var v : getVertices()) {
                if (!v.isInputVertex() && v.getInputs() != null) {
                    for (INDArray a : v.getInputs()) {
                        if (a != null) {
                            arrays.add(a);
                        }
                    }
                }
                if (v.hasLayer() && v.getLayer().input() != null) {
                    arrays.add(v.getLayer().input());
                }
            }
            arrays.remove(images);
            for (var v : getVertices()) {
                v.clear();
            }
            for (INDArray a : arrays) {
                if (a.closeable()) {
                    a.close();
                }
            }
        }
    }
}
