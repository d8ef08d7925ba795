package org.cnnzoo.zoo.load;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.build.Stages;
import org.cnnzoo.zoo.imports.ImportedModel;
import org.cnnzoo.zoo.weights.StateDictLoader;
import org.cnnzoo.zoo.weights.WeightStore;
import org.cnnzoo.zoo.weights.Weights;
import org.cnnzoo.zoo.weights.WeightsEntry;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The one place that turns a model reference and a weights reference into a network ready to use, for every
 * command and for Java users: {@code ModelLoader.load(ModelRequest.of("resnet50", store).withWeights("resnet50"))}
 * gives torchvision's default ResNet-50 weights (fetched and checked if needed), built as torchvision builds it for
 * them, with their preprocessing and ImageNet's class names.
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    /**
     * @throws IllegalArgumentException when a reference names nothing usable, or weights do not fit the network,
     *                                  saying what would
     * @throws IOException              when a file cannot be read, fetched or verified
     */
    public static LoadedModel load(ModelRequest request) throws IOException {
        Path path = Path.of(request.model());
        if (Files.exists(path)) {
            if (request.weights() != null) {
                throw new IllegalArgumentException("--weights goes with a zoo network name; " + request.model()
                        + " already has its weights");
            }
            for (ModelSource source : ServiceLoader.load(ModelSource.class)) {
                Optional<LoadedModel> loaded = source.load(path, request);
                if (loaded.isPresent()) {
                    return loaded.get();
                }
            }
            if (Files.isDirectory(path)) {
                throw new IllegalArgumentException(path + " is not a run folder (it has no run.json and model.zip): give"
                        + " a run written by 'cnnzoo transfer', a model file or a zoo network name");
            }
            return imported(path, request);
        }
        if (!Zoo.has(request.model())) {
            throw new IllegalArgumentException("--model " + request.model() + " is neither a run folder, a model file"
                    + " nor a zoo network ('cnnzoo models' lists the networks)");
        }
        return zoo(request);
    }

    private static LoadedModel imported(Path file, ModelRequest request) throws IOException {
        ImportedModel m = ImportedModel.load(file);
        InputShape said = m.height() > 0 ? new InputShape(m.height(), m.width(), m.channels()) : null;
        InputShape input = request.input() != null ? request.input() : said;
        if (input == null) {
            throw new IllegalArgumentException("--model " + file + " is a file that does not say its input size: give its"
                    + " input size with --input H,W,C");
        }
        LoadedModel.Kind kind = switch (m.format()) {
            case "dl4j" -> LoadedModel.Kind.DL4J;
            case "tfjs" -> LoadedModel.Kind.TFJS;
            default -> LoadedModel.Kind.KERAS;
        };
        // no builder: stages are read from the layer names
        return new LoadedModel(m.graph(), file.toString(), kind, input, null, null, null, null, file, false, false,
                Stages.byNames(m.graph()), List.of());
    }

    private static LoadedModel zoo(ModelRequest request) throws IOException {
        Architecture<?> arch = Zoo.get(request.model()).create();
        if (request.weights() == null) {
            if (request.input() != null) {
                arch.optInput(request.input().height(), request.input().width(), request.input().channels());
            }
            if (request.classes() != null) {
                arch.optClasses(request.classes());
            }
            ComputationGraph graph = arch.optSeed(request.seed()).init();
            return new LoadedModel(graph, arch.name(), LoadedModel.Kind.ZOO, shape(arch), null, null, null, null,
                    null, true, false, arch.stages(), List.of());
        }
        WeightStore.Resolved weights = request.store().resolve(request.weights(), request.fetching());
        WeightsEntry entry = weights.entry();
        if (entry != null && !entry.architecture().equals(arch.name())) {
            throw new IllegalArgumentException("weights " + entry.id() + " are for " + entry.architecture() + ", not "
                    + arch.name() + ": 'cnnzoo weights list --model " + arch.name() + "' shows the ones that fit");
        }
        if (entry != null && WeightsEntry.KERAS_WEIGHTS.equals(entry.format())) {
            return keras(arch, entry, weights.file(), request);
        }
        InputShape input = request.input() != null ? request.input()
                : entry != null ? InputShape.rgb(entry.preprocessing().crop()) : shape(arch);
        arch.optInput(input.height(), input.width(), input.channels());
        if (entry != null) {
            arch.optTransformInput(entry.build().transformInput());
        }
        if (request.classes() != null) {
            arch.optClasses(request.classes());
        }
        ComputationGraph graph = arch.optSeed(request.seed()).init();
        List<String> notes = new ArrayList<>();
        boolean backboneOnly = entry != null && entry.backboneOnly();
        notes.addAll(Weights.load(graph, weights.file(),
                new StateDictLoader.Options(arch.auxiliaryPrefixes(), false, backboneOnly)));
        if (arch.transformInput()) {
            notes.add("input re-normalised inside the network as torchvision does for these weights (transform_input)");
        }
        WeightsEntry.Preprocessing preprocessing = null;
        String from = null;
        if (entry != null) {
            WeightsEntry.Preprocessing p = entry.preprocessing().supported(entry.id());
            preprocessing = input.height() == p.crop() ? p : new WeightsEntry.Preprocessing(p.resizeFor(input.height()),
                    input.height(), p.interpolation(), p.mean(), p.std(), p.channels(), p.range());
            from = "weights " + entry.id();
        } else if (input.channels() == 3) {
            // every state dict in torchvision's or timm's names was trained on ImageNet-normalised images, the
            // shorter side scaled to 8/7 of the crop: the best assumption for a file no entry describes
            preprocessing = new WeightsEntry.Preprocessing((int) Math.round(input.height() * 8.0 / 7), input.height(),
                    "bilinear", new double[]{0.485, 0.456, 0.406}, new double[]{0.229, 0.224, 0.225}, "RGB", "0-1");
            from = "torchvision's ImageNet preprocessing, assumed: " + weights.file().getFileName()
                    + " is not a known entry";
        }
        List<String> classes = !backboneOnly && outputs(graph) == Weights.IMAGENET_CLASSES.size()
                ? Weights.IMAGENET_CLASSES : null;
        String name = arch.name() + " + " + (entry != null ? entry.id() : weights.file().getFileName().toString());
        return new LoadedModel(graph, name, LoadedModel.Kind.ZOO, input, preprocessing, from, classes, entry,
                weights.file(), false, backboneOnly, arch.stages(), notes);
    }

    private static LoadedModel keras(Architecture<?> arch, WeightsEntry entry, Path file, ModelRequest request)
            throws IOException {
        ImportedModel keras = ImportedModel.fromKerasWeights(file, entry.topology());
        InputShape fixed = new InputShape(keras.height(), keras.width(), keras.channels());
        if (request.input() != null && !request.input().equals(fixed)) {
            throw new IllegalArgumentException("weights " + entry.id() + " come with their Keras network, whose input"
                    + " is fixed at " + fixed);
        }
        return new LoadedModel(keras.graph(), arch.name() + " + " + entry.id(), LoadedModel.Kind.KERAS, fixed,
                entry.preprocessing().supported(entry.id()), "weights " + entry.id(), Weights.IMAGENET_CLASSES, entry,
                file, false, entry.backboneOnly(), Stages.byNames(keras.graph()), List.of("weights " + entry.id() + " come with their own Keras"
                + " network (" + entry.topology() + "), used instead of the zoo's " + arch.name()));
    }

    private static InputShape shape(Architecture<?> arch) {
        return new InputShape(arch.height(), arch.width(), arch.channels());
    }

    private static long outputs(ComputationGraph graph) {
        String out = graph.getConfiguration().getNetworkOutputs().get(0);
        if (graph.getConfiguration().getVertices().get(out) instanceof LayerVertex lv
                && lv.getLayerConf().getLayer() instanceof BaseOutputLayer o) {
            return o.getNOut();
        }
        return -1;
    }
}
