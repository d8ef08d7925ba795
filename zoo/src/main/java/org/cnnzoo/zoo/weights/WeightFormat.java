package org.cnnzoo.zoo.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * The kinds of weight files, each recognised by its first bytes (not its name) and read in one place.
 * State-dict formats give tensors by torchvision/timm key; a DL4J zip gives a whole network's parameters.
 */
public enum WeightFormat {
    /** Hugging Face safetensors: an 8-byte header length, then a JSON header. */
    SAFETENSORS("safetensors"),
    /** {@code torch.save} of a state dict: a zip archive with {@code data.pkl}, or the legacy pickle stream. */
    PYTORCH("PyTorch checkpoint"),
    /** A DL4J model zip of the same network ({@code ModelSerializer}). */
    DL4J("DL4J model zip"),
    /** Keras weights (HDF5), which load into a Keras topology rather than a zoo network. */
    KERAS_H5("Keras HDF5");

    private final String description;

    WeightFormat(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Whether the format is a state dict in torchvision/timm names. */
    public boolean isStateDict() {
        return this == SAFETENSORS || this == PYTORCH;
    }

    /** The state dict of a file of this format. */
    public Map<String, Tensor> stateDict(Path file) throws IOException {
        return switch (this) {
            case SAFETENSORS -> Safetensors.read(file);
            case PYTORCH -> PyTorchCheckpoint.read(file);
            default -> throw new IllegalArgumentException(file + " is a " + description + ", not a state dict");
        };
    }

    /**
     * The format of a file, from its content.
     *
     * @throws IOException naming the file and the formats accepted when it is none of them
     */
    public static WeightFormat of(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("weights file " + file + " does not exist");
        }
        byte[] head = head(file, 16);
        if (isZip(head)) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                if (zip.stream().anyMatch(e -> e.getName().endsWith("/data.pkl"))) {
                    return PYTORCH;
                }
                if (zip.getEntry("configuration.json") != null) {
                    return DL4J;
                }
            } catch (IOException e) {
                throw new IOException(file + " starts like a zip archive but cannot be read as one: " + e.getMessage());
            }
            throw new IOException(file + " is a zip archive that is neither a PyTorch checkpoint (no data.pkl) nor a"
                    + " DL4J model (no configuration.json)");
        }
        if (head.length >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
            return KERAS_H5;
        }
        if (PyTorchCheckpoint.recognises(file)) {
            return PYTORCH;
        }
        if (head.length >= 9) {
            long length = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (length > 0 && length < Files.size(file) && head[8] == '{') {
                return SAFETENSORS;
            }
        }
        throw new IOException(file + " is not a weights file cnnzoo reads: expected a PyTorch checkpoint (.pth), a"
                + " safetensors file, a DL4J model zip or Keras HDF5 weights");
    }

    static boolean isZip(byte[] head) {
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    static byte[] head(Path file, int n) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        }
    }
}
