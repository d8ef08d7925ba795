package org.cnnzoo.zoo.build;

import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import java.util.Map;
import java.util.HashMap;
import org.cnnzoo.zoo.graph.DirectDepthwiseConvolution2D;
import org.cnnzoo.zoo.graph.FastRelu6;
import org.cnnzoo.zoo.graph.FastSwish;
import org.cnnzoo.zoo.graph.InPlaceActivationLayer;
import org.cnnzoo.zoo.graph.OneDnnConvolutionLayer;
import org.cnnzoo.zoo.graph.VectorBatchNormalization;
import org.cnnzoo.zoo.graph.ChannelScaleVertex;
import org.cnnzoo.zoo.weights.StateDictLayout;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling1DLayer;
import org.deeplearning4j.nn.conf.layers.Subsampling3DLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a DL4J {@link ComputationGraphConfiguration} one named vertex at a time, tracking every activation's
 * shape with the course's arithmetic. Names are chosen by the caller, after the torchvision module path the vertex
 * stands for, so that a state dict maps onto the graph by lookup. Activations are vertices of their own because
 * DL4J's BatchNormalization layer ignores its activation function.
 */
public final class NetBuilder {
    /** Name of the graph's single input. */
    public static final String INPUT = "input";

    private final ComputationGraphConfiguration.GraphBuilder graph;
    private final Node input;
    private final List<String> outputs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final java.util.Map<String, String> stageOf = new java.util.LinkedHashMap<>();
    private String stage;

    public NetBuilder(int height, int width, int channels, long seed, IUpdater updater) {
        this(checked(height, width, channels), new Node(INPUT, channels, height, width), seed, updater);
    }

    private static InputType checked(int height, int width, int channels) {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("input must be positive height, width and channels, got "
                    + height + "x" + width + "x" + channels);
        }
        return InputType.convolutional(height, width, channels);
    }

    private NetBuilder(InputType type, Node input, long seed, IUpdater updater) {
        this.graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(type);
        this.input = input;
        names.add(INPUT);
    }

    /** A builder for networks over sequences: channels x length (DL4J's N x C x L), for 1D convolutions. */
    public static NetBuilder sequences(int length, int channels, long seed, IUpdater updater) {
        if (length < 1 || channels < 1) {
            throw new IllegalArgumentException("input must be a positive length and channels, got " + length + "x"
                    + channels);
        }
        return new NetBuilder(InputType.recurrent(channels, length), Node.sequence(INPUT, channels, length), seed,
                updater);
    }

    /** A builder for networks over volumes: channels x depth x height x width (N x C x D x H x W), for 3D ones. */
    public static NetBuilder volumes(int depth, int height, int width, int channels, long seed, IUpdater updater) {
        if (depth < 1 || height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("input must be positive depth, height, width and channels, got "
                    + depth + "x" + height + "x" + width + "x" + channels);
        }
        return new NetBuilder(InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, depth, height, width, channels),
                new Node(INPUT, channels, depth, height, width), seed, updater);
    }

    public Node input() {
        return input;
    }

    /**
     * Starts a stage: the vertices added from now on belong to {@code name} until the next call; {@code null}
     * puts each following vertex in the stage of its top-level module ({@code Mixed_6b.branch1x1.conv}:
     * {@code Mixed_6b}; {@code avgpool}: {@code avgpool}).
     */
    public void stage(String name) {
        this.stage = name;
    }

    /** The stages declared so far, with their vertices. */
    public Stages stages() {
        return Stages.of(stageOf);
    }

    /** Square convolution without activation, symmetric stride and padding. */
    public Node conv(String name, Node in, int filters, int kernel, int stride, int padding, boolean bias) {
        return conv(name, in, filters, kernel, kernel, stride, padding, padding, bias, Activation.IDENTITY);
    }

    /** Square convolution with a bias and its activation folded in (networks without batch norm). */
    public Node conv(String name, Node in, int filters, int kernel, int stride, int padding, Activation activation) {
        return conv(name, in, filters, kernel, kernel, stride, padding, padding, true, activation);
    }

    /** General convolution: kernel kh x kw, the same stride on both axes, padding ph x pw. */
    public Node conv(String name, Node in, int filters, int kh, int kw, int stride, int ph, int pw, boolean bias,
                     Activation activation) {
        int h = ConvArithmetic.outputSize(in.height(), kh, stride, ph);
        int w = ConvArithmetic.outputSize(in.width(), kw, stride, pw);
        add(name, OneDnnConvolutionLayer.of(new ConvolutionLayer.Builder(kh, kw)
                .stride(stride, stride)
                .padding(ph, pw)
                .nOut(filters)
                .hasBias(bias)
                .activation(activation)
                .build()), in);
        return new Node(name, filters, h, w);
    }

    /** Depthwise convolution (one k x k filter per channel, no bias), as in MobileNet and EfficientNet. */
    public Node depthwise(String name, Node in, int kernel, int stride, int padding) {
        int h = ConvArithmetic.outputSize(in.height(), kernel, stride, padding);
        int w = ConvArithmetic.outputSize(in.width(), kernel, stride, padding);
        add(name, new DirectDepthwiseConvolution2D(new DepthwiseConvolution2D.Builder(kernel, kernel)
                .stride(stride, stride)
                .padding(padding, padding)
                .depthMultiplier(1)
                .nOut(in.channels())
                .hasBias(false)
                .activation(Activation.IDENTITY)), in);
        return new Node(name, in.channels(), h, w);
    }

    /**
     * Convolution with TensorFlow's 'same' padding: the output is ceil(input / stride) and an odd total padding puts
     * the extra row and column at the bottom/right, as networks trained in TensorFlow expect.
     */
    public Node convSame(String name, Node in, int filters, int kernel, int stride, boolean bias) {
        add(name, OneDnnConvolutionLayer.of(new ConvolutionLayer.Builder(kernel, kernel)
                .stride(stride, stride)
                .convolutionMode(ConvolutionMode.Same)
                .nOut(filters)
                .hasBias(bias)
                .activation(Activation.IDENTITY)
                .build()), in);
        return new Node(name, filters, ceilDiv(in.height(), stride), ceilDiv(in.width(), stride));
    }

    /** Depthwise convolution (no bias) with TensorFlow's 'same' padding, as {@link #convSame}. */
    public Node depthwiseSame(String name, Node in, int kernel, int stride) {
        add(name, new DirectDepthwiseConvolution2D(new DepthwiseConvolution2D.Builder(kernel, kernel)
                .stride(stride, stride)
                .convolutionMode(ConvolutionMode.Same)
                .depthMultiplier(1)
                .nOut(in.channels())
                .hasBias(false)
                .activation(Activation.IDENTITY)), in);
        return new Node(name, in.channels(), ceilDiv(in.height(), stride), ceilDiv(in.width(), stride));
    }

    private static int ceilDiv(int size, int stride) {
        return (size + stride - 1) / stride;
    }

    /**
     * Batch normalisation with PyTorch's eps and momentum (DL4J's decay is 1 - momentum).
     */
    public Node batchNorm(String name, Node in, BatchNorm norm) {
        // DL4J's default storage of the running variance as log10(stdev) is kept on purpose: M2.1 reads every
        // batch norm back from JSON with that setting, whatever was written (see StateDictLayout.Transform).
        add(name, VectorBatchNormalization.of(norm.eps(), 1 - norm.momentum()), in);
        return in.renamed(name);
    }

    /**
     * Swish and ReLU6 are the project's vectorised ones (ND4J's where the JVM lacks the Vector API): the same
     * functions, faster in training (bench/RESULTS.md).
     */
    public Node activation(String name, Node in, Activation activation) {
        IActivation fn = switch (activation) {
            case SWISH -> new FastSwish();
            case RELU6 -> new FastRelu6();
            default -> activation.getActivationFunction();
        };
        return activation(name, in, fn);
    }

    /** An activation with parameters, e.g. a leaky ReLU of slope 0.1 (Darknet's) rather than DL4J's default 0.01. */
    public Node activation(String name, Node in, IActivation activation) {
        add(name, new ActivationLayer.Builder().activation(activation).build(), in);
        return in.renamed(name);
    }

    public Node maxPool(String name, Node in, int kernel, int stride, int padding) {
        return pool(name, in, PoolingType.MAX, kernel, stride, padding);
    }

    /**
     * Max pooling in PyTorch's ceil mode: the missing bottom/right cells are zero-padded first. Exact for
     * non-negative inputs, which is where the reference networks use it (after a ReLU).
     */
    public Node maxPoolCeil(String name, Node in, int kernel, int stride, int padding) {
        int h = ConvArithmetic.ceilOutputSize(in.height(), kernel, stride, padding);
        int w = ConvArithmetic.ceilOutputSize(in.width(), kernel, stride, padding);
        int extraH = (h - 1) * stride + kernel - in.height() - 2 * padding;
        int extraW = (w - 1) * stride + kernel - in.width() - 2 * padding;
        Node source = in;
        if (extraH > 0 || extraW > 0) {
            String padName = name + ".ceil_pad";
            add(padName, new ZeroPaddingLayer.Builder(0, Math.max(extraH, 0), 0, Math.max(extraW, 0)).build(), in);
            source = new Node(padName, in.channels(), in.height() + Math.max(extraH, 0), in.width() + Math.max(extraW, 0));
        }
        return pool(name, source, PoolingType.MAX, kernel, stride, padding);
    }

    /**
     * Max pooling with TensorFlow's 'same' padding: the output is ceil(input / stride) and the cells missing at the
     * bottom/right take no part in the maximum (unlike {@link #maxPoolCeil}'s zeros, exact for negative inputs too).
     * Darknet and TensorFlow detectors pool this way, including 2x2 with stride 1.
     */
    public Node maxPoolSame(String name, Node in, int kernel, int stride) {
        int h = ceilDiv(in.height(), stride);
        int w = ceilDiv(in.width(), stride);
        add(name, new SubsamplingLayer.Builder(PoolingType.MAX)
                .kernelSize(kernel, kernel)
                .stride(stride, stride)
                .convolutionMode(ConvolutionMode.Same)
                .build(), in);
        return new Node(name, in.channels(), h, w);
    }

    /** Average pooling; padded cells count in the divisor, as in PyTorch's default count_include_pad=True. */
    public Node avgPool(String name, Node in, int kernel, int stride, int padding) {
        return pool(name, in, PoolingType.AVG, kernel, stride, padding);
    }

    private Node pool(String name, Node in, PoolingType type, int kernel, int stride, int padding) {
        int h = ConvArithmetic.outputSize(in.height(), kernel, stride, padding);
        int w = ConvArithmetic.outputSize(in.width(), kernel, stride, padding);
        add(name, new SubsamplingLayer.Builder(type)
                .kernelSize(kernel, kernel)
                .stride(stride, stride)
                .padding(padding, padding)
                .avgPoolIncludePadInDivisor(true)           // PyTorch's count_include_pad=True
                .build(), in);
        return new Node(name, in.channels(), h, w);
    }

    /**
     * PyTorch's AdaptiveAvgPool2d to size x size where it reduces to a plain operation: nothing when the input
     * already has that size, an average pool when the size divides the input, a nearest upsampling when the input
     * divides the size (each output cell then averages exactly one input cell).
     */
    public Node adaptiveAvgPool(String name, Node in, int size) {
        if (in.height() != in.width()) {
            throw new IllegalArgumentException(name + ": adaptive pooling needs a square feature map, got "
                    + in.height() + "x" + in.width() + "; use a square input");
        }
        int n = in.height();
        if (n == size) {
            return in;
        }
        if (n % size == 0) {
            return pool(name, in, PoolingType.AVG, n / size, n / size, 0);
        }
        if (size % n == 0) {
            add(name, new Upsampling2D.Builder(size / n).build(), in);
            return new Node(name, in.channels(), size, size);
        }
        throw new IllegalArgumentException(name + ": cannot pool a " + n + "x" + n + " feature map to " + size + "x"
                + size + " exactly; choose an input size whose feature map here is a divisor or multiple of " + size);
    }

    /** 1D convolution over a sequence: {@code filters} kernels of {@code kernel} steps, with its activation. */
    public Node conv1d(String name, Node in, int filters, int kernel, int stride, int padding, Activation activation) {
        int length = ConvArithmetic.outputSize(in.length(), kernel, stride, padding);
        add(name, new Convolution1DLayer.Builder(kernel, stride, padding).nOut(filters).activation(activation)
                .build(), in);
        return Node.sequence(name, filters, length);
    }

    /** 1D max pooling over a sequence. */
    public Node maxPool1d(String name, Node in, int kernel, int stride) {
        add(name, new Subsampling1DLayer.Builder(SubsamplingLayer.PoolingType.MAX, kernel, stride).build(), in);
        return Node.sequence(name, in.channels(), ConvArithmetic.outputSize(in.length(), kernel, stride, 0));
    }

    /** 3D convolution over a volume: cubic kernels, the same stride and padding on every axis. */
    public Node conv3d(String name, Node in, int filters, int kernel, int stride, int padding, Activation activation) {
        add(name, new Convolution3D.Builder(kernel, kernel, kernel).stride(stride, stride, stride)
                .padding(padding, padding, padding).nOut(filters).dataFormat(Convolution3D.DataFormat.NCDHW)
                .activation(activation).build(), in);
        return new Node(name, filters, ConvArithmetic.outputSize(in.depth(), kernel, stride, padding),
                ConvArithmetic.outputSize(in.height(), kernel, stride, padding),
                ConvArithmetic.outputSize(in.width(), kernel, stride, padding));
    }

    /** 3D max pooling with a kernel of depth x height x width and the same stride. */
    public Node maxPool3d(String name, Node in, int depth, int height, int width) {
        add(name, new Subsampling3DLayer.Builder(new int[]{depth, height, width}, new int[]{depth, height, width})
                .poolingType(Subsampling3DLayer.PoolingType.MAX).dataFormat(Convolution3D.DataFormat.NCDHW).build(), in);
        return new Node(name, in.channels(), ConvArithmetic.outputSize(in.depth(), depth, depth, 0),
                ConvArithmetic.outputSize(in.height(), height, height, 0),
                ConvArithmetic.outputSize(in.width(), width, width, 0));
    }

    /** Global average pooling; keepDims leaves a [C,1,1] activation (for squeeze-excite), else a flat [C]. */
    public Node globalAvgPool(String name, Node in, boolean keepDims) {
        add(name, new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(!keepDims).build(), in);
        return keepDims ? new Node(name, in.channels(), 1, 1) : Node.flat(name, in.channels());
    }

    public Node add(String name, Node a, Node b) {
        if (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException(name + ": cannot add " + a + " and " + b);
        }
        vertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
        return a.renamed(name);
    }

    /** Concatenation along channels (an inception module's outputs). */
    public Node concat(String name, Node... in) {
        int channels = 0;
        for (Node n : in) {
            if (n.height() != in[0].height() || n.width() != in[0].width()) {
                throw new IllegalArgumentException(name + ": cannot concatenate " + in[0] + " and " + n);
            }
            channels += n.channels();
        }
        vertex(name, new MergeVertex(), in);
        return in[0].withChannels(name, channels);
    }

    /** Multiplies each channel of x by the matching value of a [C,1,1] scale (squeeze-and-excitation). */
    public Node scale(String name, Node x, Node scale) {
        if (scale.channels() != x.channels() || scale.height() != 1 || scale.width() != 1) {
            throw new IllegalArgumentException(name + ": scale " + scale + " does not match " + x);
        }
        vertex(name, new ChannelScaleVertex(), x, scale);
        return x.renamed(name);
    }

    public Node dense(String name, Node in, int units, Activation activation) {
        // Xavier rather than He: the 4096-wide classifiers of AlexNet and VGG otherwise start with huge logits
        add(name, new DenseLayer.Builder().nOut(units).activation(activation).weightInit(WeightInit.XAVIER).build(), in);
        return Node.flat(name, units);
    }

    /** A dense layer without bias (a plain matrix product, as face-api's 256x128 descriptor projection). */
    public Node linear(String name, Node in, int units) {
        add(name, new DenseLayer.Builder().nOut(units).hasBias(false).activation(Activation.IDENTITY)
                .weightInit(WeightInit.XAVIER).build(), in);
        return Node.flat(name, units);
    }

    /** Zero rows and columns around an activation (top, bottom, left, right). */
    public Node zeroPad(String name, Node in, int top, int bottom, int left, int right) {
        add(name, new ZeroPaddingLayer.Builder(top, bottom, left, right).build(), in);
        return new Node(name, in.channels(), in.height() + top + bottom, in.width() + left + right);
    }

    /**
     * The activation followed by as many all-zero channels (the "option A" shortcut of residual networks that
     * double their width: the identity padded with zero channels). DL4J has no vertex that creates zeros, so the
     * zeros are the input times 0, joined along channels: exact for the finite activations of a trained network.
     */
    public Node doubleWithZeroChannels(String name, Node in) {
        vertex(name + ".zeros", new ScaleVertex(0), in);
        vertex(name, new MergeVertex(), in, in.renamed(name + ".zeros"));
        return in.withChannels(name, 2 * in.channels());
    }

    /** Dropout with PyTorch's meaning of p: the probability of dropping a unit. */
    public Node dropout(String name, Node in, double p) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException(name + ": dropout probability must be in [0, 1), got " + p);
        }
        add(name, new DropoutLayer.Builder(1 - p).build(), in);
        return in.renamed(name);
    }

    /**
     * A softmax classifier trained with cross-entropy. The loss weight scales this output's share of the total
     * loss (GoogLeNet's auxiliary classifiers use 0.3).
     */
    public Node output(String name, Node in, int classes, double lossWeight) {
        if (classes < 1) {
            throw new IllegalArgumentException("number of classes must be at least 1, got " + classes);
        }
        LossMCXENT loss = lossWeight == 1.0 ? new LossMCXENT()
                : new LossMCXENT(Nd4j.valueArrayOf(new long[]{1, classes}, lossWeight, DataType.FLOAT));
        add(name, new OutputLayer.Builder(loss)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER)
                .build(), in);
        outputs.add(name);
        return Node.flat(name, classes);
    }

    /**
     * YOLOv2's output (DL4J's {@code Yolo2OutputLayer}) on a volume of anchors x (5 + classes) channels: sigmoid
     * centres in their cell, exponential scaling of the anchors (given in grid cells), sigmoid objectness and
     * softmax classes, trained with YOLOv2's sum-squared loss (coordinates weighted 5, empty cells 0.5).
     */
    public Node yoloOutput(String name, Node in, double[][] anchors) {
        int perAnchor = in.channels() / anchors.length;
        if (anchors.length == 0 || in.channels() % anchors.length != 0 || perAnchor < 6) {
            throw new IllegalArgumentException(name + ": a YOLO output needs anchors x (5 + classes) channels with at"
                    + " least one class; got " + in.channels() + " channels for " + anchors.length + " anchors");
        }
        add(name, new Yolo2OutputLayer.Builder()
                .boundingBoxPriors(Nd4j.create(anchors).castTo(DataType.FLOAT))
                .build(), in);
        outputs.add(name);
        return in.renamed(name);
    }

    /**
     * Makes an existing vertex an output as it is: a network that is only run, never trained here (a detector
     * whose published decoding has no class scores, which YOLO's trainable output layer needs).
     */
    public Node rawOutput(Node node) {
        outputs.add(node.name());
        return node;
    }

    public ComputationGraphConfiguration build() {
        if (outputs.isEmpty()) {
            throw new IllegalStateException("the graph has no output layer");
        }
        return inPlaceActivations(graph.setOutputs(outputs.toArray(String[]::new)).build());
    }

    /**
     * ReLUs and ReLU6s whose input no other vertex reads become {@link InPlaceActivationLayer}s: the same function,
     * without DL4J's training-time copy of the input.
     */
    private static ComputationGraphConfiguration inPlaceActivations(ComputationGraphConfiguration conf) {
        Map<String, Integer> readers = new HashMap<>();
        conf.getVertexInputs().values().forEach(ins -> ins.forEach(v -> readers.merge(v, 1, Integer::sum)));
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (!(e.getValue() instanceof LayerVertex lv) || lv.getLayerConf().getLayer().getClass() != ActivationLayer.class
                    || !InPlaceActivationLayer.qualifies(((ActivationLayer) lv.getLayerConf().getLayer()).getActivationFn())) {
                continue;
            }
            List<String> in = conf.getVertexInputs().get(e.getKey());
            if (in.size() == 1 && readers.get(in.get(0)) == 1 && !conf.getNetworkInputs().contains(in.get(0))
                    && !conf.getNetworkOutputs().contains(in.get(0))) {
                lv.getLayerConf().setLayer(InPlaceActivationLayer.of((ActivationLayer) lv.getLayerConf().getLayer()));
            }
        }
        return conf;
    }

    private void add(String name, Layer layer, Node... inputs) {
        claim(name);
        graph.addLayer(name, layer, names(inputs));
    }

    private void vertex(String name, org.deeplearning4j.nn.conf.graph.GraphVertex vertex, Node... inputs) {
        claim(name);
        graph.addVertex(name, vertex, names(inputs));
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("vertex name used twice: " + name);
        }
        // undeclared: the vertex's top-level module, as its torchvision path names it (layer3.1.conv2: layer3)
        stageOf.put(name, stage != null ? stage : name.split("\\.")[0]);
    }

    private static String[] names(Node... nodes) {
        String[] result = new String[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            result[i] = nodes[i].name();
        }
        return result;
    }
}
