package org.cnnzoo.zoo.imports;

import org.cnnzoo.zoo.weights.Tensor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a TensorFlow.js layers model, what Teachable Machine and many npm packages ship: {@code model.json} (a
 * Keras topology and a weights manifest) beside its binary weight shards. The topology goes through DL4J's Keras
 * import; the weights are read from the shards here, dequantised when stored as uint8 or uint16
 * ({@code value = q * scale + min}) or float16, and handed to the imported Keras layers, which put them into
 * DL4J's layouts. The result takes channels-first input like the zoo's networks ({@link ChannelsFirst}).
 */
public final class TfjsLayersModel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TfjsLayersModel() {
    }

    /** @throws IOException naming the file and what is missing or does not match */
    public static ComputationGraph load(Path modelJson) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(modelJson.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(modelJson + " is not valid JSON (" + e.getOriginalMessage() + ", line "
                    + e.getLocation().getLineNr() + "): give a TF.js model.json as tensorflowjs writes it");
        }
        JsonNode topology = root.get("modelTopology");
        JsonNode manifest = root.get("weightsManifest");
        if (topology == null || manifest == null) {
            throw new IOException(modelJson + " is not a TF.js layers model (it needs modelTopology and weightsManifest;"
                    + " a graph model from tf.saved_model conversion cannot be imported)");
        }
        KerasModel keras;
        try {
            keras = new KerasModel().modelBuilder().modelJson(kerasJson(topology)).enforceTrainingConfig(false)
                    .buildModel();
        } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException e) {
            throw new IOException(modelJson + ": DL4J's Keras import refuses the topology: " + e.getMessage(), e);
        }
        Map<String, Map<String, INDArray>> byLayer = readWeights(modelJson, manifest, keras.getLayers());
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, KerasLayer> e : keras.getLayers().entrySet()) {
            if (e.getValue().getNumParams() > 0 && !byLayer.containsKey(e.getKey())) {
                missing.add(e.getKey());
            }
        }
        List<String> unknown = byLayer.keySet().stream().filter(l -> !keras.getLayers().containsKey(l)).toList();
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IOException(modelJson + ": the weights do not fit the topology; layers without weights: " + missing
                    + "; weights of no layer: " + unknown);
        }
        for (Map.Entry<String, Map<String, INDArray>> e : byLayer.entrySet()) {
            try {
                keras.getLayers().get(e.getKey()).setWeights(e.getValue());
            } catch (InvalidKerasConfigurationException ex) {
                throw new IOException(modelJson + ": weights of layer " + e.getKey() + " " + e.getValue().keySet()
                        + ": " + ex.getMessage(), ex);
            }
        }
        try {
            return ChannelsFirst.finish(keras.getComputationGraph(true));
        } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException e) {
            throw new IOException(modelJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * The Keras model JSON DL4J reads: TF.js wraps it in {@code model_config} beside the Keras version, and
     * writes ReLU's {@code max_value} as an integer, which DL4J reads only as a real number.
     */
    static String kerasJson(JsonNode topology) {
        ObjectNode model = (ObjectNode) (topology.has("model_config") ? topology.get("model_config") : topology).deepCopy();
        model.put("keras_version", topology.path("keras_version").asText("2.2.4"));
        model.put("backend", topology.path("backend").asText("tensorflow"));
        realMaxValues(model);
        return model.toString();
    }

    private static void realMaxValues(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode max = object.get("max_value");
            if (max != null && max.isIntegralNumber()) {
                object.put("max_value", max.asDouble());
            }
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            realMaxValues(it.next());
        }
    }

    /** Every tensor of the manifest by layer name, then by Keras parameter name ("kernel", "moving_mean"...). */
    private static Map<String, Map<String, INDArray>> readWeights(Path modelJson, JsonNode manifest,
                                                                  Map<String, KerasLayer> layers) throws IOException {
        Map<String, Map<String, INDArray>> byLayer = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : TfjsWeights.read(modelJson, manifest).entrySet()) {
            String name = e.getKey();
            int slash = layerSeparator(name, layers);
            byLayer.computeIfAbsent(name.substring(0, slash), k -> new LinkedHashMap<>())
                    .put(name.substring(slash + 1), Nd4j.create(e.getValue().values(), e.getValue().shape(), 'c'));
        }
        return byLayer;
    }

    /** Where a tensor name splits into layer and parameter: after the longest prefix that names a layer. */
    private static int layerSeparator(String name, Map<String, KerasLayer> layers) {
        for (int slash = name.lastIndexOf('/'); slash > 0; slash = name.lastIndexOf('/', slash - 1)) {
            if (layers.containsKey(name.substring(0, slash))) {
                return slash;
            }
        }
        int last = name.lastIndexOf('/');
        if (last < 0) {
            throw new IllegalArgumentException("weight '" + name + "' has no layer/parameter form");
        }
        return last;
    }
}
