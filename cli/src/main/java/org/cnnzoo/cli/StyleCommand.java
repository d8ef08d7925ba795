package org.cnnzoo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.style.CostPlot;
import org.cnnzoo.style.Pictures;
import org.cnnzoo.style.StyleLayers;
import org.cnnzoo.style.StyleOptions;
import org.cnnzoo.style.StyleTransfer;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.load.LoadedModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code cnnzoo style}: neural style transfer with a fixed pretrained network. */
@Command(name = "style", mixinStandardHelpOptions = true,
        description = "Neural style transfer: a picture with the content of one image in the style of others,"
                + " optimised through a fixed pretrained network (VGG-19 as in the paper by default).")
final class StyleCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = "--content", required = true, paramLabel = "IMG", description = "The content image.")
    Path content;

    @Option(names = "--style", required = true, paramLabel = "IMG", description = "A style image (repeat for several).")
    List<Path> styles = new ArrayList<>();

    @Option(names = "--style-weights", split = ",", paramLabel = "W1,W2", description = "One weight per style image"
            + " (default: equal, summing to 1).")
    List<Double> styleWeights = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "OUT.png", description = "The picture to write; beside it"
            + " OUT-costs.png (the costs per step) and OUT-costs.json.")
    Path out;

    @Option(names = "--network", paramLabel = "NAME|FILE", description = "A zoo network (with --weights; default vgg19"
            + " with torchvision's ImageNet weights) or a Keras .h5 / TF.js model.json (with --normalization).")
    String network = "vgg19";

    @Option(names = "--weights", paramLabel = "ID|FILE", description = "Weights for a zoo network (default: its"
            + " default ImageNet weights from 'cnnzoo weights list').")
    String weights;

    @Option(names = "--normalization", description = "With a model file: imagenet, unit or symmetric, as the"
            + " network's training images were scaled.")
    String normalization;

    @Option(names = "--content-layer", paramLabel = "VERTEX", description = "The content layer (default: the preset"
            + " for the network, e.g. VGG-19's conv4_2 = features.21).")
    String contentLayer;

    @Option(names = "--style-layers", split = ",", paramLabel = "VERTEX[:WEIGHT]", description = "Style layers with"
            + " optional weights lambda (default: equal, summing to 1), e.g. features.0,features.5:0.5.")
    List<String> styleLayers = new ArrayList<>();

    @Option(names = "--steps", description = "Adam steps (default 300).")
    int steps = StyleOptions.defaults().steps();

    @Option(names = "--size", paramLabel = "PX", description = "The content image's longer side in pixels (default 256).")
    int size = 256;

    @Option(names = "--alpha", description = "Weight of the content cost (default: the layer preset's; 10, the"
            + " course's, for VGG-19 and chosen layers).")
    Double alpha;

    @Option(names = "--beta", description = "Weight of the style cost (default: the layer preset's; 40, the course's,"
            + " for VGG-19 and chosen layers; 4000 for Keras MobileNet v2).")
    Double beta;

    @Option(names = "--tv", description = "Weight of the total-variation smoothing (default: the layer preset's; 0"
            + " for VGG-19 and chosen layers, 0.005 for Keras MobileNet v2).")
    Double variation;

    @Option(names = "--lr", description = "Adam's step size on pixels in [0, 1] (default 0.02).")
    double learningRate = StyleOptions.defaults().learningRate();

    @Option(names = "--start", description = "content-noise (the course's), noise (the paper's) or content"
            + " (default content-noise).")
    String start = "content-noise";

    @Option(names = "--noise", description = "With --start content-noise: uniform noise in [-N, N] (default 0.25).")
    double noise = StyleOptions.defaults().noise();

    @Option(names = "--seed", description = "Seeds the starting noise: same seed, same picture (default 1).")
    long seed = 1;

    @Option(names = "--snapshot-every", paramLabel = "K", description = "Also write OUT-stepNNNN.png every K steps.")
    int snapshotEvery;

    @Option(names = "--offline", description = "Never download weights.")
    boolean offline;

    @Option(names = "--overwrite", description = "Replace an existing OUT.png.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--out " + out + " must be a .png file");
        }
        String stem = out.getFileName().toString().replaceFirst("(?i)\\.png$", "");
        for (Path written : List.of(out, out.resolveSibling(stem + "-costs.png"),
                out.resolveSibling(stem + "-costs.json"))) {
            if (Files.exists(written) && !overwrite) {
                throw new IllegalArgumentException(written + " already exists: give --overwrite to replace it");
            }
        }
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("--snapshot-every must be 0 (none) or a number of steps, not " + snapshotEvery);
        }
        for (Path p : concat(content, styles)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(p + " is not a file");
            }
        }
        // checked before anything is loaded: the cost weights themselves come with the layers
        new StyleOptions(alpha == null ? 0 : alpha, beta == null ? 0 : beta, variation == null ? 0 : variation, steps,
                learningRate, start(start), noise, seed);
        double[] mix = mix();

        LoadedModel model = load(err);
        Normalization norm = normalization(model);
        StyleLayers layers = layers(model);
        StyleLayers.CostWeights suggested = layers.costs();
        StyleOptions options = new StyleOptions(alpha != null ? alpha : suggested.alpha(),
                beta != null ? beta : suggested.beta(), variation != null ? variation : suggested.variation(), steps,
                learningRate, start(start), noise, seed);
        StyleTransfer transfer = new StyleTransfer(model.graph(), layers, norm);
        err.println("layers: content " + layers.content() + "; style " + layers.style().stream()
                .map(w -> w.layer() + " " + String.format(Locale.ROOT, "%.3g", w.weight())).toList()
                + " (" + layers.name() + ")");
        err.printf(Locale.ROOT, "J = %s J_content + %s J_style%s%n", options.alpha(), options.beta(),
                options.variation() > 0 ? " + " + options.variation() + " TV" : "");
        transfer.notes().forEach(n -> err.println(model.name() + ": " + n));

        INDArray contentPicture = Pictures.read(content, size);
        int h = (int) contentPicture.size(2);
        int w = (int) contentPicture.size(3);
        List<INDArray> stylePictures = new ArrayList<>();
        for (Path s : styles) {
            stylePictures.add(Pictures.covering(s, h, w));
        }
        err.printf("content %s at %dx%d; %d style image(s)%n", content, w, h, styles.size());
        StyleTransfer.Targets targets = transfer.targets(contentPicture, stylePictures, mix);

        Path dir = out.toAbsolutePath().getParent();
        long started = System.nanoTime();
        StyleTransfer.Result result;
        // a bar on a terminal; in a log, a line every tenth of the way (a bar's carriage returns would garble it)
        boolean terminal = System.console() != null;
        try (ProgressBar bar = terminal ? new ProgressBarBuilder().setTaskName("style").setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).continuousUpdate()
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build() : null) {
            IOException[] failed = new IOException[1];
            result = transfer.run(contentPicture, targets, options, (step, picture) -> {
                if (bar != null) {
                    bar.stepTo(step.step());
                    bar.setExtraMessage(String.format(Locale.ROOT, " J %.4g content %.4g style %.4g", step.total(),
                            step.content(), step.style()));
                } else if (step.step() % Math.max(1, steps / 10) == 0 || step.step() == steps) {
                    err.printf(Locale.ROOT, "step %d/%d: J %.6g, J_content %.6g, J_style %.6g%s%n", step.step(), steps,
                            step.total(), step.content(), step.style(),
                            options.variation() > 0 ? String.format(Locale.ROOT, ", TV %.6g", step.variation()) : "");
                    err.flush();
                }
                if (snapshotEvery > 0 && step.step() % snapshotEvery == 0 && step.step() < steps && failed[0] == null) {
                    try {
                        Pictures.writePng(dir.resolve(String.format(Locale.ROOT, "%s-step%04d.png", stem, step.step())),
                                picture.get());
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Pictures.writePng(out, result.picture());
        CostPlot.write(dir.resolve(stem + "-costs.png"), result.history(), options);
        writeHistory(dir.resolve(stem + "-costs.json"), model, layers, options, mix, result, seconds);

        StyleTransfer.Step first = result.history().get(0);
        StyleTransfer.Step last = result.history().get(result.history().size() - 1);
        stdout.printf(Locale.ROOT, "wrote %s (%dx%d) in %.1f s (%.2f steps/s)%n", out, w, h, seconds, steps / seconds);
        stdout.printf(Locale.ROOT, "J %.6g -> %.6g; J_content %.6g -> %.6g; J_style %.6g -> %.6g (%.1fx lower)%n",
                first.total(), last.total(), first.content(), last.content(), first.style(), last.style(),
                first.style() / last.style());
        return 0;
    }

    private static List<Path> concat(Path first, List<Path> rest) {
        List<Path> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    private static StyleOptions.Start start(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "content-noise" -> StyleOptions.Start.CONTENT_NOISE;
            case "noise" -> StyleOptions.Start.NOISE;
            case "content" -> StyleOptions.Start.CONTENT;
            default -> throw new IllegalArgumentException("--start is content-noise, noise or content, not '" + name + "'");
        };
    }

    private double[] mix() {
        if (styleWeights.isEmpty()) {
            double[] equal = new double[styles.size()];
            java.util.Arrays.fill(equal, 1.0 / styles.size());
            return equal;
        }
        if (styleWeights.size() != styles.size()) {
            throw new IllegalArgumentException("--style-weights has " + styleWeights.size() + " values for "
                    + styles.size() + " --style images");
        }
        return styleWeights.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private LoadedModel load(PrintWriter err) throws IOException {
        boolean zoo = !Files.exists(Path.of(network)) && Zoo.has(network);
        String weightsRef = zoo && weights == null ? network : weights;
        LoadedModel model = Loading.load(network, weightsRef, null, null, seed, err, offline);
        if (model.randomWeights()) {
            throw new IllegalArgumentException("--network " + network + " has no trained weights: style transfer needs"
                    + " a trained network (give --weights)");
        }
        return model;
    }

    private Normalization normalization(LoadedModel model) {
        if (normalization != null) {
            return Normalization.named(normalization);
        }
        if (model.preprocessing() != null) {
            return Normalization.of("weights", model.preprocessing().mean(), model.preprocessing().std());
        }
        throw new IllegalArgumentException("--network " + network + " does not record how its images were scaled:"
                + " give --normalization imagenet|unit|symmetric");
    }

    private StyleLayers layers(LoadedModel model) {
        StyleLayers preset = StyleLayers.presetFor(model.graph()).orElse(null);
        if (contentLayer == null && styleLayers.isEmpty()) {
            if (preset == null) {
                throw new IllegalArgumentException("no preset of layers fits --network " + network + ": name them with"
                        + " --content-layer and --style-layers ('cnnzoo summary' lists the vertices)");
            }
            return preset;
        }
        String c = contentLayer != null ? contentLayer : preset != null ? preset.content() : null;
        if (c == null) {
            throw new IllegalArgumentException("give --content-layer too: no preset fits --network " + network);
        }
        List<StyleLayers.Weighted> s = new ArrayList<>();
        if (styleLayers.isEmpty()) {
            if (preset == null) {
                throw new IllegalArgumentException("give --style-layers too: no preset fits --network " + network);
            }
            s.addAll(preset.style());
        } else {
            Map<String, Double> given = new LinkedHashMap<>();
            for (String spec : styleLayers) {
                int colon = spec.lastIndexOf(':');
                String name = colon < 0 ? spec : spec.substring(0, colon);
                double weight;
                try {
                    weight = colon < 0 ? Double.NaN : Double.parseDouble(spec.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--style-layers " + spec + ": the weight after ':' must be a"
                            + " number");
                }
                given.put(name, weight);
            }
            long unweighted = given.values().stream().filter(v -> v.isNaN()).count();
            if (unweighted > 0 && unweighted < given.size()) {
                throw new IllegalArgumentException("--style-layers: give a weight to every layer or to none");
            }
            given.forEach((name, weight) -> s.add(new StyleLayers.Weighted(name,
                    weight.isNaN() ? 1.0 / given.size() : weight)));
        }
        return new StyleLayers("chosen layers", c, s, preset != null ? preset.costs() : null);
    }

    private void writeHistory(Path file, LoadedModel model, StyleLayers layers, StyleOptions options, double[] mix,
                              StyleTransfer.Result result, double seconds) throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("content", content.toString());
        record.put("styles", styles.stream().map(Path::toString).toList());
        record.put("styleWeights", mix);
        record.put("network", model.name());
        record.put("layers", layers);
        record.put("options", options);
        record.put("size", List.of(result.picture().size(3), result.picture().size(2)));
        record.put("seconds", seconds);
        record.put("steps", result.history());
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), record));
    }
}
