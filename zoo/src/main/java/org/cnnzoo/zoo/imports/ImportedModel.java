package org.cnnzoo.zoo.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A whole network from a file, by its kind: a DL4J model zip, a Keras HDF5 model ({@code .h5}) or a TF.js layers
 * model ({@code model.json} beside its shards). Keras and TF.js files also say their input size.
 *
 * @param height 0 when the file does not say (DL4J zips)
 */
public record ImportedModel(ComputationGraph graph, int height, int width, int channels, String format) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IOException naming the file and what was expected */
    public static ImportedModel load(Path file) throws IOException {
        org.cnnzoo.zoo.Backend.init();
        return switch (ModelFormat.of(file)) {
            case DL4J -> new ImportedModel(ModelSerializer.restoreComputationGraph(file.toFile(), false), 0, 0, 0, "dl4j");
            case KERAS_H5 -> {
                ComputationGraph graph = KerasH5.load(file);
                String config;
                try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
                    config = archive.readAttributeAsJson("model_config");
                } catch (Exception e) {
                    throw new IOException(file + ": no model_config attribute (a weights-only file needs its"
                            + " architecture)", e);
                }
                yield withInput(graph, JSON.readTree(config), "keras-h5", file);
            }
            case TFJS -> {
                JsonNode topology;
                try {
                    topology = JSON.readTree(file.toFile()).path("modelTopology");
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IOException(file + " is not valid JSON (" + e.getOriginalMessage() + ", line "
                            + e.getLocation().getLineNr() + "): give a TF.js model.json as tensorflowjs writes it");
                }
                yield withInput(TfjsLayersModel.load(file), topology.has("model_config")
                        ? topology.get("model_config") : topology, "tfjs", file);
            }
        };
    }

    /** A store entry's Keras weights in the Keras topology it names (see {@link KerasH5#loadWeights}). */
    public static ImportedModel fromKerasWeights(Path h5, String topology) throws IOException {
        ComputationGraph graph = KerasH5.loadWeights(h5, topology);
        try (var in = ImportedModel.class.getResourceAsStream("/org/cnnzoo/zoo/keras/" + topology + ".json")) {
            return withInput(graph, JSON.readTree(in), "keras-h5-weights", h5);
        }
    }

    /** The input size from the Keras config's InputLayer ({@code batch_input_shape} [null, H, W, C]). */
    private static ImportedModel withInput(ComputationGraph graph, JsonNode modelConfig, String format, Path file) {
        for (JsonNode layer : modelConfig.path("config").path("layers")) {
            JsonNode shape = layer.path("config").path("batch_input_shape");
            if ("InputLayer".equals(layer.path("class_name").asText()) && shape.size() == 4 && shape.get(1).isNumber()) {
                return new ImportedModel(graph, shape.get(1).asInt(), shape.get(2).asInt(), shape.get(3).asInt(), format);
            }
        }
        return new ImportedModel(graph, 0, 0, 0, format);
    }
}
