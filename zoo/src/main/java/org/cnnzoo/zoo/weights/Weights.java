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
     * Loads weights into {@code graph} from a file of any {@link WeightFormat} that fits a zoo network: a state dict
     * (PyTorch checkpoint or safetensors, torchvision/timm key names) or a DL4J model zip of the same network.
     * {@link org.cnnzoo.zoo.load.ModelLoader} is the usual way in; this is the step it takes.
     *
     * @return what loading let pass, in words
     * @throws IllegalArgumentException when the file does not fit the network, listing every mismatch
     */
    public static List<String> load(ComputationGraph graph, Path file, StateDictLoader.Options options) throws IOException {
        WeightFormat format = WeightFormat.of(file);
        if (format.isStateDict()) {
            return StateDictLoader.load(graph, format.stateDict(file), options);
        }
        if (format == WeightFormat.DL4J) {
            copyLayers(ModelSerializer.restoreComputationGraph(file.toFile(), false), graph, file);
            return List.of();
        }
        throw new IllegalArgumentException(file + " is a " + format.description() + "; weights for a zoo network are a"
                + " PyTorch checkpoint, a safetensors file or a DL4J model zip (Keras weights load through their"
                + " catalogue entry, a whole Keras model goes to --model)");
    }

    /** {@link #load(ComputationGraph, Path, StateDictLoader.Options)} with every tensor required to match. */
    public static void load(ComputationGraph graph, Path file) throws IOException {
        load(graph, file, StateDictLoader.Options.STRICT);
    }

    /** Copies every parameterised layer of {@code from} into the same-named layer of {@code into}. */
    public static void copyLayers(ComputationGraph from, ComputationGraph into, Path file) {
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
