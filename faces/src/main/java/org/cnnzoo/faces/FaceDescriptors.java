package org.cnnzoo.faces;

import org.cnnzoo.detection.RgbImage;
import org.cnnzoo.detection.faceapi.FaceApiWeights;
import org.cnnzoo.detection.faceapi.SquareInput;
import org.cnnzoo.detection.models.FaceRecognitionNet;
import org.cnnzoo.zoo.imports.TfjsWeights;
import org.cnnzoo.zoo.weights.Tensor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * face-api's pretrained face descriptor: a face picture (a box around one face) in, 128 numbers out. Two pictures
 * of one person are meant to lie within {@link #THRESHOLD} of each other (Euclidean distance), as face-api and dlib
 * match faces.
 */
public final class FaceDescriptors {
    /** face-api's (and dlib's) distance under which two descriptors are taken for one person. */
    public static final double THRESHOLD = 0.6;
    private static final double[] MEAN = {122.782, 117.001, 104.298};

    private final ComputationGraph graph;
    private final SquareInput input = new SquareInput(FaceRecognitionNet.SIZE, true, MEAN);

    private FaceDescriptors(ComputationGraph graph) {
        this.graph = graph;
    }

    /** The network with the weights of face-api's model folder. */
    public static FaceDescriptors load(Path modelFolder) throws IOException {
        ComputationGraph graph = FaceRecognitionNet.faceRecognition().init();
        load(graph, FaceApiWeights.manifest(modelFolder, "face_recognition"));
        return new FaceDescriptors(graph);
    }

    public ComputationGraph graph() {
        return graph;
    }

    /** The descriptor of a face picture: centred on a black square, resized to 150x150, through the network. */
    public float[] describe(RgbImage face) {
        return graph.outputSingle(false, input.apply(face)).dup('c').data().asFloat();
    }

    public static double distance(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("descriptors of different lengths: " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /**
     * Puts face-api's tensors into the graph. Each convolution comes as {@code PREFIX/conv/filters},
     * {@code PREFIX/conv/bias}, {@code PREFIX/scale/weights} and {@code PREFIX/scale/biases}, applied as
     * (conv(x, w) + b) * s + t; the vertex {@code PREFIX} (slashes as dots) gets w * s and b * s + t. {@code fc} is
     * the [256, 128] projection. Every parameter must be filled and every tensor used.
     */
    static void load(ComputationGraph graph, Path manifestFile) throws IOException {
        Map<String, Tensor> tensors = TfjsWeights.read(manifestFile);
        Set<String> used = new HashSet<>();
        Set<String> filled = new HashSet<>();
        for (String name : tensors.keySet()) {
            if (!name.endsWith("/conv/filters")) {
                continue;
            }
            String prefix = name.substring(0, name.length() - "/conv/filters".length());
            String vertex = prefix.replace('/', '.');
            Tensor filters = tensors.get(name);
            Tensor bias = need(tensors, prefix + "/conv/bias", manifestFile);
            Tensor scale = need(tensors, prefix + "/scale/weights", manifestFile);
            Tensor shift = need(tensors, prefix + "/scale/biases", manifestFile);
            if (graph.getVertex(vertex) == null || !graph.getVertex(vertex).hasLayer()) {
                throw new IOException(manifestFile + ": '" + prefix + "' has no place in the network; the manifest is"
                        + " of another network");
            }
            // [kh, kw, in, out] -> [out, in, kh, kw], each output filter scaled
            INDArray w = Nd4j.create(filters.values(), filters.shape(), 'c').permute(3, 2, 0, 1).dup('c');
            INDArray s = Nd4j.create(scale.values());
            w.reshape(w.size(0), -1).muliColumnVector(s.reshape(s.length(), 1));
            INDArray b = Nd4j.create(bias.values()).mul(s).add(Nd4j.create(shift.values()));
            assign(graph, vertex, "W", w, manifestFile);
            assign(graph, vertex, "b", b, manifestFile);
            filled.add(vertex + "_W");
            filled.add(vertex + "_b");
            used.addAll(java.util.List.of(name, prefix + "/conv/bias", prefix + "/scale/weights",
                    prefix + "/scale/biases"));
        }
        Tensor fc = need(tensors, "fc", manifestFile);
        assign(graph, "fc", "W", Nd4j.create(fc.values(), fc.shape(), 'c'), manifestFile);
        filled.add("fc_W");
        used.add("fc");
        Set<String> unused = new TreeSet<>(tensors.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new IOException(manifestFile + ": tensors of no known kind: " + unused);
        }
        Set<String> empty = new TreeSet<>(graph.paramTable().keySet());
        empty.removeAll(filled);
        if (!empty.isEmpty()) {
            throw new IOException(manifestFile + " leaves parameters of the network unset: " + empty);
        }
    }

    private static Tensor need(Map<String, Tensor> tensors, String name, Path manifestFile) throws IOException {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IOException(manifestFile + ": no tensor '" + name + "'; the manifest is of another network");
        }
        return t;
    }

    private static void assign(ComputationGraph graph, String vertex, String key, INDArray value, Path manifestFile)
            throws IOException {
        INDArray target = graph.getLayer(vertex).getParam(key);
        if (target == null || target.length() != value.length()
                || key.equals("W") && !Arrays.equals(target.shape(), value.shape())) {
            throw new IOException(manifestFile + ": " + vertex + "." + key + " " + Arrays.toString(value.shape())
                    + " does not fit the network's " + (target == null ? "(none)" : Arrays.toString(target.shape())));
        }
        target.assign(value.reshape(target.shape()));
    }
}
