package org.cnnzoo.zoo.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/** The kinds of whole-model files, each recognised by its first bytes (not its name). */
public enum ModelFormat {
    /** A DL4J model zip ({@code ModelSerializer}: configuration.json, coefficients.bin). */
    DL4J("dl4j"),
    /** A Keras HDF5 model ({@code model.save("x.h5")}, with its architecture). */
    KERAS_H5("keras-h5"),
    /** A TensorFlow.js layers model ({@code model.json} beside its weight shards). */
    TFJS("tfjs");

    private final String label;

    ModelFormat(String label) {
        this.label = label;
    }

    /** The short name records use: dl4j, keras-h5, tfjs. */
    public String label() {
        return label;
    }

    /**
     * The format of a model file, from its content.
     *
     * @throws IOException naming the file and what was expected, with a hint when it is weights rather than a model
     */
    public static ModelFormat of(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("model file " + file + " does not exist");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(64);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                if (zip.getEntry("configuration.json") != null) {
                    return DL4J;
                }
                if (zip.stream().anyMatch(e -> e.getName().endsWith("/data.pkl"))) {
                    throw new IOException(file + " is a PyTorch checkpoint: weights, not a model; give it as --weights"
                            + " with the zoo network it fits (--model NAME)");
                }
            } catch (java.util.zip.ZipException e) {
                throw new IOException(file + " starts like a zip archive but cannot be read as one: " + e.getMessage());
            }
            throw new IOException(file + " is a zip archive but not a DL4J model (no configuration.json)");
        }
        if (head.length >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') {
            return KERAS_H5;
        }
        for (byte b : head) {
            if (!Character.isWhitespace(b)) {
                if (b == '{') {
                    return TFJS;
                }
                break;
            }
        }
        throw new IOException(file + ": expected a DL4J model .zip, a Keras .h5 model or a TF.js model.json");
    }
}
