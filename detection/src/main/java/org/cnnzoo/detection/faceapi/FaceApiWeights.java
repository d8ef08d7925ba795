package org.cnnzoo.detection.faceapi;

import org.cnnzoo.zoo.imports.TfjsWeights;
import org.cnnzoo.zoo.weights.Tensor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * face-api's published weights (npm {@code @vladmandic/face-api}, MIT): one TF.js weights manifest and shard per
 * network in the package's {@code model/} folder, with names such as {@code conv3/depthwise_filter}. The networks
 * are built here with vertices named after those tensors, so loading is a lookup plus TensorFlow's layouts turned
 * into DL4J's; every parameter of the graph must be filled and every tensor used.
 */
public final class FaceApiWeights {
    /** The npm release these networks and their references were checked against. */
    public static final String PACKAGE = "@vladmandic/face-api@1.7.15";

    private FaceApiWeights() {
    }

    /**
     * The manifest of a network ({@code tiny_face_detector}, {@code face_landmark_68}...) in face-api's model
     * folder. @throws IOException saying where to get the folder when the file is missing
     */
    public static Path manifest(Path modelFolder, String network) throws IOException {
        Path file = modelFolder.resolve(network + "_model-weights_manifest.json");
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + file.getFileName() + " in " + modelFolder + ": give the model/ folder of "
                    + PACKAGE + " (npm pack " + PACKAGE + " && tar xzf vladmandic-face-api-1.7.15.tgz: package/model)");
        }
        return file;
    }

    /**
     * Reads a network's manifest and puts every tensor into the graph: {@code NAME/filters} and
     * {@code NAME/pointwise_filter} ([kh, kw, in, out]) into the W of vertex {@code NAME} or {@code NAME.pointwise}
     * ([out, in, kh, kw]); {@code NAME/depthwise_filter} into {@code NAME.depthwise} (the same [kh, kw, in, 1] in
     * both); {@code NAME/bias} into the b of {@code NAME} or {@code NAME.pointwise}; {@code NAME/weights} of a dense
     * layer ([in, out] in both) and its bias.
     */
    public static void load(ComputationGraph graph, Path manifestFile) throws IOException {
        Map<String, Tensor> tensors = TfjsWeights.read(manifestFile);
        Map<String, INDArray> filled = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            int slash = name.lastIndexOf('/');
            if (slash < 0) {
                throw new IOException(manifestFile + ": weight '" + name + "' has no LAYER/PARAMETER form");
            }
            String layer = name.substring(0, slash).replace('/', '.');
            String param = name.substring(slash + 1);
            Tensor t = e.getValue();
            INDArray value = Nd4j.create(t.values(), t.shape(), 'c');
            String vertex;
            String key;
            switch (param) {
                case "filters", "pointwise_filter" -> {
                    vertex = param.equals("filters") ? layer : layer + ".pointwise";
                    key = "W";
                    value = value.permute(3, 2, 0, 1);
                }
                case "depthwise_filter" -> {
                    vertex = layer + ".depthwise";
                    key = "W";
                }
                case "weights" -> {
                    vertex = layer;
                    key = "W";
                }
                case "bias" -> {
                    vertex = graph.getVertex(layer) != null ? layer : layer + ".pointwise";
                    key = "b";
                }
                default -> throw new IOException(manifestFile + ": weight '" + name + "' is of no kind known here"
                        + " (filters, depthwise_filter, pointwise_filter, weights, bias)");
            }
            if (graph.getVertex(vertex) == null || !graph.getVertex(vertex).hasLayer()
                    || graph.getLayer(vertex).getParam(key) == null) {
                throw new IOException(manifestFile + ": weight '" + name + "' has no place in the network (no " + key
                        + " in vertex " + vertex + "); the manifest is of another network");
            }
            INDArray target = graph.getLayer(vertex).getParam(key);
            if (!Arrays.equals(target.shape(), value.shape()) && target.length() == value.length()
                    && key.equals("b")) {
                value = value.reshape(target.shape());
            }
            if (!Arrays.equals(target.shape(), value.shape())) {
                throw new IOException(manifestFile + ": weight '" + name + "' of shape " + Arrays.toString(t.shape())
                        + " does not fit " + vertex + "." + key + " " + Arrays.toString(target.shape()));
            }
            target.assign(value);
            filled.put(vertex + "." + key, target);
        }
        List<String> empty = new ArrayList<>();
        for (String p : graph.paramTable().keySet()) {
            String dotted = p.replace("_W", ".W").replace("_b", ".b");
            if (!filled.containsKey(dotted)) {
                empty.add(p);
            }
        }
        if (!empty.isEmpty()) {
            throw new IOException(manifestFile + " leaves parameters of the network unset: " + empty);
        }
    }
}
