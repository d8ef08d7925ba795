package org.cnnzoo.detection;

import org.cnnzoo.zoo.InputShape;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The convolutional implementation of sliding windows (OverFeat, Sermanet et al. 2014; the course's week 3): a
 * classifier trained on window-sized pictures, its dense layers turned into convolutions (the first into a kernel
 * the size of its input volume, the rest into 1x1), runs once on a larger picture and gives a map of class scores,
 * one cell per window position, sharing the convolutions of overlapping windows instead of repeating them.
 *
 * <p>Windows step by the product of the strides before the dense layers. The map equals classifying each crop on its
 * own when the convolutions do not pad (LeNet-5, or any network whose layers all use 'valid' windows); padding
 * makes border cells see their neighbours' pixels where a crop sees zeros.
 *
 * @param graph  the fully convolutional network for pictures of {@code height} x {@code width}
 * @param window the classifier's input side (windows are window x window)
 * @param stride the step between neighbouring windows, in pixels
 */
public record SlidingWindows(ComputationGraph graph, int window, int stride, int height, int width) {

    /**
     * The classifier, trained on pictures of shape {@code input}, made fully convolutional for pictures of the given
     * size.
     *
     * @throws IllegalArgumentException when the classifier is not a chain of convolution, pooling, activation,
     *                                  dropout and dense layers ending in a softmax output layer, is not square, or the
     *                                  picture is smaller than a window
     */
    public static SlidingWindows of(ComputationGraph classifier, InputShape in, int height, int width) {
        ComputationGraphConfiguration conf = classifier.getConfiguration();
        if (in.height() != in.width()) {
            throw new IllegalArgumentException("sliding windows need a square classifier, got " + in.height() + "x"
                    + in.width());
        }
        int window = in.height();
        if (height < window || width < window) {
            throw new IllegalArgumentException("the picture (" + height + "x" + width + ") is smaller than the"
                    + " classifier's window " + window + "x" + window);
        }
        List<String> chain = chain(classifier);
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(height, width, in.channels()));
        // the spatial size of the activation entering each layer, at the classifier's window size
        long channels = in.channels();
        long side = window;
        int stride = 1;
        boolean dense = false;
        String previous = "input";
        List<String[]> reshaped = new ArrayList<>();          // vertex, kind ("first" | "pointwise"), kernel side
        for (String name : chain) {
            Layer layer = ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
            Layer copy;
            if (layer instanceof ConvolutionLayer c && !dense) {
                check(c.getPadding()[0] == 0 && c.getPadding()[1] == 0 && c.getConvolutionMode() != ConvolutionMode.Same,
                        name, "pads its input");
                copy = c.clone();
                side = (side - c.getKernelSize()[0]) / c.getStride()[0] + 1;
                channels = c.getNOut();
                stride *= c.getStride()[0];
            } else if (layer instanceof SubsamplingLayer s && !dense) {
                check(s.getPadding()[0] == 0 && s.getConvolutionMode() != ConvolutionMode.Same, name, "pads its input");
                copy = s.clone();
                side = (side - s.getKernelSize()[0]) / s.getStride()[0] + 1;
                stride *= s.getStride()[0];
            } else if (layer instanceof OutputLayer o) {
                check(o.getActivationFn().toString().equals("softmax"), name, "is not a softmax classifier");
                copy = new ConvolutionLayer.Builder(dense ? 1 : (int) side, dense ? 1 : (int) side)
                        .nIn(o.getNIn()).nOut(o.getNOut()).activation(Activation.IDENTITY).hasBias(o.hasBias()).build();
                reshaped.add(new String[]{name, dense ? "pointwise" : "first", String.valueOf(side), String.valueOf(channels)});
                b.addLayer(name, copy, previous);
                b.addLayer(name + ".softmax", new CnnLossLayer.Builder(new LossMCXENT()).activation(Activation.SOFTMAX)
                        .build(), name);
                b.setOutputs(name + ".softmax");
                ComputationGraph out = new ComputationGraph(b.build());
                out.init();
                copyParams(classifier, out, reshaped);
                return new SlidingWindows(out, window, stride, height, width);
            } else if (layer instanceof DenseLayer d) {
                copy = new ConvolutionLayer.Builder(dense ? 1 : (int) side, dense ? 1 : (int) side)
                        .nIn(d.getNIn()).nOut(d.getNOut()).activation(d.getActivationFn()).hasBias(d.hasBias()).build();
                reshaped.add(new String[]{name, dense ? "pointwise" : "first", String.valueOf(side), String.valueOf(channels)});
                dense = true;
                channels = d.getNOut();
            } else if (layer instanceof ActivationLayer || layer instanceof DropoutLayer) {
                copy = layer.clone();
            } else {
                throw new IllegalArgumentException("sliding windows: layer " + name + " ("
                        + layer.getClass().getSimpleName() + ") has no convolutional equivalent here; use a chain of"
                        + " convolution, pooling, activation, dropout and dense layers");
            }
            b.addLayer(name, copy, previous);
            previous = name;
        }
        throw new IllegalArgumentException("sliding windows: the classifier has no softmax output layer");
    }

    private static void check(boolean ok, String layer, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("sliding windows: layer " + layer + " " + problem + ", so windows"
                    + " would not see what crops see; use a classifier whose layers do not pad");
        }
    }

    /** The classifier's vertices from input to output; refuses anything but a single chain. */
    private static List<String> chain(ComputationGraph classifier) {
        Map<String, GraphVertex> vertices = classifier.getConfiguration().getVertices();
        Map<String, List<String>> inputs = classifier.getConfiguration().getVertexInputs();
        List<String> order = new ArrayList<>();
        String current = classifier.getConfiguration().getNetworkInputs().get(0);
        while (true) {
            List<String> next = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : inputs.entrySet()) {
                if (e.getValue().contains(current)) {
                    next.add(e.getKey());
                }
            }
            if (next.isEmpty()) {
                return order;
            }
            if (next.size() > 1 || inputs.get(next.get(0)).size() > 1 || !(vertices.get(next.get(0)) instanceof LayerVertex)) {
                throw new IllegalArgumentException("sliding windows need a chain of layers; " + current + " branches"
                        + " or merges (" + next + ")");
            }
            current = next.get(0);
            order.add(current);
        }
    }

    /** Every parameter as it was, dense weights reshaped into convolution kernels. */
    private static void copyParams(ComputationGraph from, ComputationGraph to, List<String[]> reshaped) {
        for (Map.Entry<String, INDArray> e : to.paramTable().entrySet()) {
            INDArray source = from.getParam(e.getKey());
            String vertex = e.getKey().substring(0, e.getKey().lastIndexOf('_'));
            String[] dense = reshaped.stream().filter(r -> r[0].equals(vertex)).findFirst().orElse(null);
            INDArray value = source;
            if (dense != null && e.getKey().endsWith("_W")) {
                // a dense layer's [in, out] rows follow DL4J's flattening of [channels, side, side]
                int side = dense[1].equals("first") ? Integer.parseInt(dense[2]) : 1;
                long in = dense[1].equals("first") ? Long.parseLong(dense[3]) : source.size(0);
                value = source.transpose().dup('c').reshape('c', source.size(1), in, side, side);
            }
            e.getValue().assign(value.reshape(e.getValue().shape()));
        }
    }

    /** Rows and columns of the class map: the window positions along each side. */
    public int rows() {
        return (height - window) / stride + 1;
    }

    public int columns() {
        return (width - window) / stride + 1;
    }

    /** Class probabilities for every window position: [N, classes, rows, columns], from one forward pass. */
    public INDArray classMap(INDArray pictures) {
        return graph.outputSingle(false, pictures);
    }

    /**
     * What the map replaces: each window cropped and classified on its own, [N, classes, rows, columns]. For
     * checking and teaching; {@link #classMap} computes the same with the shared work done once.
     */
    public INDArray cropOneByOne(ComputationGraph classifier, INDArray pictures) {
        long n = pictures.size(0);
        INDArray out = null;
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < columns(); c++) {
                INDArray crop = pictures.get(NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval(r * stride, r * stride + window),
                        NDArrayIndex.interval(c * stride, c * stride + window)).dup('c');
                INDArray scores = classifier.outputSingle(false, crop);
                if (out == null) {
                    out = org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, n, scores.size(1), rows(), columns());
                }
                out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(r), NDArrayIndex.point(c))
                        .assign(scores);
            }
        }
        return out;
    }
}
