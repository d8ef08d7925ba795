package org.cnnzoo.zoo.imports;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Imports a whole Keras model saved as HDF5 ({@code model.save("x.h5")}, e.g. Keras Applications files) through
 * DL4J's Keras import, as a ComputationGraph taking channels-first input like the zoo's networks.
 */
public final class KerasH5 {
    private KerasH5() {
    }

    /** @throws IOException naming the file and DL4J's reason when it cannot be imported */
    public static ComputationGraph load(Path h5) throws IOException {
        if (!Files.isRegularFile(h5)) {
            throw new IOException("Keras model file " + h5 + " does not exist");
        }
        requireHdf5(h5);
        try {
            return ChannelsFirst.finish(KerasModelImport.importKerasModelAndWeights(h5.toString(), false));
        } catch (InvalidKerasConfigurationException e) {
            if (String.valueOf(e.getMessage()).contains("Sequential")) {
                return sequential(h5);
            }
            throw new IOException(h5 + " cannot be imported: " + e.getMessage(), e);
        } catch (UnsupportedKerasConfigurationException e) {
            throw new IOException(h5 + " uses what DL4J's Keras import does not support: " + e.getMessage(), e);
        }
    }

    /**
     * Keras weights saved without their architecture (save_weights; Keras Applications' files), loaded into a
     * Keras topology the project ships: {@code keras/NAME.json} among its resources.
     */
    public static ComputationGraph loadWeights(Path h5, String topology) throws IOException {
        String resource = "/org/cnnzoo/zoo/keras/" + topology + ".json";
        String json;
        try (var in = KerasH5.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no Keras topology '" + topology + "' among the project's resources");
            }
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        if (!Files.isRegularFile(h5)) {
            throw new IOException("Keras weights file " + h5 + " does not exist");
        }
        requireHdf5(h5);
        try {
            return ChannelsFirst.finish(new org.deeplearning4j.nn.modelimport.keras.KerasModel().modelBuilder()
                    .modelJson(json).weightsHdf5FilenameNoRoot(h5.toString()).enforceTrainingConfig(false)
                    .buildModel().getComputationGraph());
        } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException e) {
            throw new IOException(h5 + " does not fit the Keras topology " + topology + ": " + e.getMessage(), e);
        }
    }

    private static ComputationGraph sequential(Path h5) throws IOException {
        try {
            return ChannelsFirst.finish(KerasModelImport.importKerasSequentialModelAndWeights(h5.toString(), false)
                    .toComputationGraph());
        } catch (InvalidKerasConfigurationException | UnsupportedKerasConfigurationException e) {
            throw new IOException(h5 + " cannot be imported: " + e.getMessage(), e);
        }
    }

    /**
     * HDF5's signature, at offset 0 or after a user block of 512, 1024, 2048... bytes: checked before the HDF5
     * library sees the file, which answers anything else with pages of diagnostics.
     */
    static void requireHdf5(Path file) throws IOException {
        byte[] signature = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        long size = Files.size(file);
        try (var channel = java.nio.channels.FileChannel.open(file)) {
            for (long offset = 0; offset + 8 <= size; offset = offset == 0 ? 512 : offset * 2) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
                channel.read(b, offset);
                if (java.util.Arrays.equals(b.array(), signature)) {
                    return;
                }
            }
        }
        throw new IOException(file + " is not an HDF5 file (no HDF5 signature): give a Keras .h5 file saved by"
                + " model.save or save_weights");
    }
}
