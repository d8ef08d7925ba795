package org.cnnzoo.zoo.weights;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Loading weights into a zoo graph from the files people have, and the ImageNet class names that go with them. */
public final class Weights {
    /** The 1,000 ImageNet class names in classifier order (from Debian's opencv-doc; see the SOURCE note). */
    public static final List<String> IMAGENET_CLASSES = readClasses();

    private Weights() {
    }

    /**
     * Loads a safetensors state dict (torchvision / timm key names) or the parameters of a DL4J model zip of the
     * same architecture into {@code graph}.
     *
     * @throws IllegalArgumentException when the file does not fit the network, listing every mismatch
     */
    public static void load(ComputationGraph graph, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("weights file " + file + " does not exist");
        }
        String name = file.getFileName().toString().toLowerCase();
        if (name.endsWith(".safetensors")) {
            StateDictLoader.load(graph, Safetensors.read(file), false);
        } else if (name.endsWith(".zip")) {
            copyLayers(ModelSerializer.restoreComputationGraph(file.toFile(), false), graph, file);
        } else {
            throw new IllegalArgumentException("weights file " + file + ": expected .safetensors (torchvision/timm) or a"
                    + " DL4J model .zip");
        }
    }

    private static void copyLayers(ComputationGraph from, ComputationGraph into, Path file) {
        List<String> problems = new ArrayList<>();
        for (Layer layer : into.getLayers()) {
            String v = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            var source = from.getVertex(v);
            if (source == null || !source.hasLayer()) {
                problems.add("missing " + v);
            } else if (!Arrays.equals(source.getLayer().params().shape(), layer.params().shape())) {
                problems.add("shape of " + v + ": file " + Arrays.toString(source.getLayer().params().shape())
                        + ", network " + Arrays.toString(layer.params().shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(file + " does not fit the network: " + String.join("; ", problems));
        }
        for (Layer layer : into.getLayers()) {
            if (layer.numParams() > 0) {
                layer.setParams(from.getVertex(layer.conf().getLayer().getLayerName()).getLayer().params());
            }
        }
    }

    private static List<String> readClasses() {
        try (InputStream in = Weights.class.getResourceAsStream("/org/cnnzoo/zoo/imagenet-classes.txt")) {
            if (in == null) {
                throw new IllegalStateException("imagenet-classes.txt is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
