package org.cnnzoo.zoo.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.common.SafePaths;
import org.cnnzoo.zoo.weights.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a TensorFlow.js weights manifest: tensor names, shapes and storage types, and the binary shards
 * beside the manifest that hold them. A layers model embeds the manifest in its {@code model.json}; packages that
 * define their networks in code (face-api) ship a bare {@code *-weights_manifest.json}. Values stored as uint8 or
 * uint16 are dequantised ({@code value = q * scale + min}), float16 widened. Shapes are TensorFlow's (filters
 * {@code [kh, kw, in, out]}).
 */
public final class TfjsWeights {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TfjsWeights() {
    }

    /** The tensors of a bare weights manifest (a JSON list of groups), by name in the manifest's order. */
    public static Map<String, Tensor> read(Path manifestFile) throws IOException {
        JsonNode manifest;
        try {
            manifest = JSON.readTree(manifestFile.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(manifestFile + " is not valid JSON (" + e.getOriginalMessage() + "): give a TF.js"
                    + " weights manifest as tensorflowjs writes it");
        }
        if (manifest == null || !manifest.isArray()) {
            throw new IOException(manifestFile + " is not a TF.js weights manifest (a JSON list of groups with"
                    + " \"paths\" and \"weights\")");
        }
        return read(manifestFile, manifest);
    }

    /**
     * The tensors of the manifest's groups, each group's shards read from the folder of {@code jsonFile}.
     *
     * @throws IOException naming the file: a shard outside the folder or listed twice, sizes that disagree with
     *                     the shapes, a tensor name used twice, an unknown storage type
     */
    static Map<String, Tensor> read(Path jsonFile, JsonNode manifest) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            JsonNode weights = group.get("weights");
            if (weights == null || !weights.isArray()) {
                throw new IOException(jsonFile + ": a weights manifest group has no \"weights\" list");
            }
            ByteBuffer data = ByteBuffer.wrap(concatenate(jsonFile, group)).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode spec : weights) {
                String name = spec.get("name").asText();
                long[] shape = new long[spec.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = spec.get("shape").get(i).asLong();
                }
                if (tensors.put(name, new Tensor(shape, decode(data, spec, name, jsonFile))) != null) {
                    throw new IOException(jsonFile + " names the weight " + name + " twice; refused");
                }
            }
            if (data.hasRemaining()) {
                throw new IOException(jsonFile + ": " + data.remaining() + " bytes of the shards " + group.get("paths")
                        + " are not described by the manifest");
            }
        }
        return tensors;
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
        Set<Path> seen = new HashSet<>();
        List<Path> shards = new ArrayList<>();
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
