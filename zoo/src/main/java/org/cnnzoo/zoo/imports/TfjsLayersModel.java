package org.cnnzoo.zoo.imports;

import org.cnnzoo.zoo.weights.Tensor;
import org.cnnzoo.zoo.weights.Safetensors;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnnzoo.common.SafePaths;
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
            return ChannelsFirst.adapt(keras.getComputationGraph(true));
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
        for (JsonNode group : manifest) {
            ByteBuffer data = ByteBuffer.wrap(concatenate(modelJson, group)).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode spec : group.get("weights")) {
                String name = spec.get("name").asText();
                long[] shape = new long[spec.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = spec.get("shape").get(i).asLong();
                }
                float[] values = decode(data, spec, name, modelJson);
                int slash = layerSeparator(name, layers);
                byLayer.computeIfAbsent(name.substring(0, slash), k -> new LinkedHashMap<>())
                        .put(name.substring(slash + 1), Nd4j.create(values, shape, 'c'));
            }
            if (data.hasRemaining()) {
                throw new IOException(modelJson + ": " + data.remaining() + " bytes of the shards " + group.get("paths")
                        + " are not described by the manifest");
            }
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

    /** The dtype a tensor is stored in: its quantisation's, else its own (float32 when unsaid). */
    private static String storedType(JsonNode spec) {
        JsonNode q = spec.get("quantization");
        return q != null ? q.path("dtype").asText("") : spec.path("dtype").asText("float32");
    }

    private static int width(String stored, String name, Path modelJson) throws IOException {
        return switch (stored) {
            case "uint8" -> 1;
            case "uint16", "float16" -> 2;
            case "float32", "int32" -> 4;
            default -> throw new IOException(modelJson + ": weight " + name + " has dtype '" + stored
                    + "', not one of uint8, uint16, float16, float32, int32");
        };
    }

    /**
     * The bytes a manifest entry says its tensor takes, with its shape checked first: dimensions are whole numbers
     * from 0 up and the product stays within {@link #MAX_WEIGHT_BYTES}.
     */
    static long tensorBytes(JsonNode spec, Path modelJson) throws IOException {
        String name = spec.path("name").asText("");
        JsonNode shape = spec.get("shape");
        if (name.isEmpty() || shape == null || !shape.isArray()) {
            throw new IOException(modelJson + ": a weight entry lacks its name or shape");
        }
        long count = 1;
        for (JsonNode d : shape) {
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw new IOException(modelJson + ": weight " + name + " has shape " + shape + "; dimensions must be"
                        + " whole numbers from 0 up");
            }
            long dim = d.asLong();
            count = dim != 0 && count > MAX_WEIGHT_BYTES / dim ? MAX_WEIGHT_BYTES + 1 : count * dim;
        }
        long bytes = count * width(storedType(spec), name, modelJson);
        if (count > MAX_WEIGHT_BYTES || bytes > MAX_WEIGHT_BYTES) {
            throw new IOException(modelJson + ": weight " + name + " of shape " + shape + " is larger than "
                    + MAX_WEIGHT_BYTES + " bytes; refused");
        }
        return bytes;
    }

    /** The most bytes of weights a TF.js model may declare: the heap must hold them once. */
    static final long MAX_WEIGHT_BYTES = Integer.MAX_VALUE - 8;

    /**
     * The shards of one group, read after checking that each lies in the model's folder, that none is listed
     * twice, and that their sizes add up to the bytes the manifest's tensors take: a hostile manifest can make this
     * read neither another file nor more than it describes.
     */
    private static byte[] concatenate(Path modelJson, JsonNode group) throws IOException {
        JsonNode paths = group.get("paths");
        if (paths == null || !paths.isArray()) {
            throw new IOException(modelJson + ": a weightsManifest group has no \"paths\" list");
        }
        long declared = 0;
        for (JsonNode spec : group.get("weights")) {
            declared += tensorBytes(spec, modelJson);
            if (declared > MAX_WEIGHT_BYTES) {
                throw new IOException(modelJson + " declares more than " + MAX_WEIGHT_BYTES + " bytes of weights in one"
                        + " group; refused");
            }
        }
        Path folder = modelJson.toAbsolutePath().getParent();
        java.util.Set<Path> seen = new java.util.HashSet<>();
        java.util.List<Path> shards = new java.util.ArrayList<>();
        long total = 0;
        for (JsonNode p : paths) {
            Path shard = SafePaths.inside(folder, p.asText(), modelJson);
            if (!seen.add(shard)) {
                throw new IOException(modelJson + " lists the shard '" + p.asText() + "' twice; refused");
            }
            shards.add(shard);
            total += Files.size(shard);
        }
        if (total != declared) {
            throw new IOException(modelJson + ": its shards " + paths + " hold " + total + " bytes but its tensors take "
                    + declared + "; the files do not belong together (re-export or re-download the model)");
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream((int) declared);
        for (Path shard : shards) {
            all.write(Files.readAllBytes(shard));
        }
        return all.toByteArray();
    }

    private static float[] decode(ByteBuffer data, JsonNode spec, String name, Path modelJson) throws IOException {
        long bytes = tensorBytes(spec, modelJson);
        String stored = storedType(spec);
        int width = width(stored, name, modelJson);
        long count = bytes / width;
        JsonNode q = spec.get("quantization");
        if (data.remaining() < count * width) {
            throw new IOException(modelJson + ": the shards end inside weight " + name + " (" + count + " x " + stored + ")");
        }
        double scale = q != null && q.has("scale") ? q.get("scale").asDouble() : 1;
        double min = q != null && q.has("min") ? q.get("min").asDouble() : 0;
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (stored) {
                case "uint8" -> (float) ((data.get() & 0xff) * scale + min);
                case "uint16" -> (float) ((data.getShort() & 0xffff) * scale + min);
                case "float16" -> Tensor.halfToFloat(data.getShort());
                case "int32" -> data.getInt();
                default -> data.getFloat();
            };
        }
        return out;
    }
}
