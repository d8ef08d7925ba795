package org.cnnzoo.zoo.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cnnzoo.common.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (what timm and the Hugging Face hub publish): an 8-byte little-endian header length, a
 * JSON header mapping each tensor name to its dtype, shape and byte range, then the raw little-endian data.
 * Reads F32, F16, BF16 and F64 tensors into float arrays; writes F32.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    /** Every tensor of a file, in the header's order. @throws IOException naming the file and the problem */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size < 8) {
                throw new IOException(file + " is not a safetensors file (" + size + " bytes)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > size - 8 || headerLength > 100_000_000) {
                throw new IOException(file + " is not a safetensors file (header length " + headerLength + ")");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            channel.read(headerBytes, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IOException(file + " is not a safetensors file (its header is not JSON: "
                        + e.getOriginalMessage() + ")");
            }
            if (header == null || !header.isObject()) {
                throw new IOException(file + " is not a safetensors file (its header is not a JSON object)");
            }
            long dataStart = 8 + headerLength;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            java.util.List<long[]> ranges = new java.util.ArrayList<>();
            java.util.List<String> names = new java.util.ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                String name = e.getKey();
                JsonNode dtypeNode = t.get("dtype");
                JsonNode shapeNode = t.get("shape");
                JsonNode offsets = t.get("data_offsets");
                if (dtypeNode == null || !dtypeNode.isTextual() || shapeNode == null || !shapeNode.isArray()
                        || offsets == null || !offsets.isArray() || offsets.size() != 2) {
                    throw new IOException(file + ": tensor " + name + " lacks a dtype, a shape or two data_offsets in the"
                            + " header; the file is damaged or not safetensors");
                }
                String dtype = dtypeNode.asText();
                long[] shape = new long[shapeNode.size()];
                for (int i = 0; i < shape.length; i++) {
                    JsonNode d = shapeNode.get(i);
                    if (!d.isIntegralNumber() || d.asLong() < 0) {
                        throw new IOException(file + ": tensor " + name + " has shape " + shapeNode
                                + "; dimensions must be whole numbers from 0 up");
                    }
                    shape[i] = d.asLong();
                }
                long begin = offsets.get(0).asLong();
                long end = offsets.get(1).asLong();
                if (begin < 0 || end < begin || dataStart + end > size) {
                    throw new IOException(file + ": tensor " + name + " lies outside the file (truncated?)");
                }
                ranges.add(new long[]{begin, end});
                names.add(name);
                ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, end - begin)
                        .order(ByteOrder.LITTLE_ENDIAN);
                Tensor tensor = new Tensor(shape, decode(file, name, dtype, data, shape));
                for (float v : tensor.values()) {
                    if (!Float.isFinite(v)) {
                        throw new IOException(file + ": tensor " + name + " holds " + v + " values; weights must be"
                                + " finite (a damaged or diverged checkpoint)");
                    }
                }
                tensors.put(name, tensor);
            }
            requireDisjoint(file, names, ranges);
            return tensors;
        }
    }

    /** Tensors whose byte ranges overlap would share bytes: a damaged or crafted header. */
    private static void requireDisjoint(Path file, java.util.List<String> names, java.util.List<long[]> ranges)
            throws IOException {
        Integer[] order = new Integer[ranges.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> ranges.get(i)[0]));
        for (int k = 1; k < order.length; k++) {
            long[] previous = ranges.get(order[k - 1]);
            long[] current = ranges.get(order[k]);
            if (current[0] < previous[1] && current[1] > current[0]) {
                throw new IOException(file + ": tensors " + names.get(order[k - 1]) + " and " + names.get(order[k])
                        + " overlap in the file; the header is damaged");
            }
        }
    }

    private static float[] decode(Path file, String name, String dtype, ByteBuffer data, long[] shape) throws IOException {
        long count = 1;
        for (long d : shape) {
            count = d != 0 && count > Integer.MAX_VALUE / d ? Long.MAX_VALUE : count * d;
        }
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            case "F64" -> 8;
            default -> throw new IOException(file + ": tensor " + name + " has dtype " + dtype
                    + "; supported are F32, F16, BF16, F64");
        };
        if (data.remaining() != count * width) {
            throw new IOException(file + ": tensor " + name + " has " + data.remaining() + " bytes for " + count
                    + " values of " + dtype);
        }
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case "F32" -> data.getFloat();
                case "F64" -> (float) data.getDouble();
                case "F16" -> Tensor.halfToFloat(data.getShort());
                default -> Float.intBitsToFloat((data.getShort() & 0xFFFF) << 16);       // BF16
            };
        }
        return out;
    }

    /** Writes F32 tensors, atomically (a temporary file moved into place). */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = 4L * e.getValue().values().length;
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        AtomicFiles.write(file, tmp -> {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
                out.write(length.array());
                out.write(headerBytes);
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
                for (Tensor t : tensors.values()) {
                    for (float v : t.values()) {
                        if (!chunk.hasRemaining()) {
                            out.write(chunk.array(), 0, chunk.position());
                            chunk.clear();
                        }
                        chunk.putFloat(v);
                    }
                }
                out.write(chunk.array(), 0, chunk.position());
            }
        });
    }
}
