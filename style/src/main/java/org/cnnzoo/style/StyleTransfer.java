package org.cnnzoo.style;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.zoo.inference.FrozenFeatures;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Neural style transfer (Gatys et al.; the course's week 4): a fixed pretrained network, one content image and one
 * or more style images; the generated image G is optimised, not the network, to lower
 * {@code J(G) = alpha J_content(C, G) + beta J_style(S, G) + variation TV(G)} ({@link StyleCosts}), with several
 * style images' costs weighted and summed.
 *
 * <p>The gradient with respect to G comes from DL4J's own backward pass through the network
 * ({@link FrozenFeatures}), so any network of the project can be used. Adam (ND4J's) updates the pixels, RGB in
 * [0, 1], which are clipped to [0, 1] after each step and normalised as the network expects before every pass.
 */
public final class StyleTransfer {
    private final FrozenFeatures features;
    private final StyleLayers layers;
    private final Normalization normalization;
    private final int contentIndex;
    private final int[] styleIndex;

    /** The costs of one step's image (before that step's update). */
    public record Step(int step, double total, double content, double style, double variation) {
    }

    /** Told each step; the picture is made only when asked for. */
    public interface Listener {
        void step(Step step, java.util.function.Supplier<INDArray> picture);
    }

    /** The generated picture (1 x 3 x H x W, RGB in [0, 1]) and the costs of every step, the final image's last. */
    public record Result(INDArray picture, List<Step> history) {
        public Result {
            history = List.copyOf(history);
        }
    }

    public StyleTransfer(ComputationGraph network, StyleLayers layers, Normalization normalization) {
        this.layers = layers;
        this.normalization = normalization;
        List<String> read = layers.layers();
        this.features = FrozenFeatures.of(network, read);
        this.contentIndex = read.indexOf(layers.content());
        this.styleIndex = layers.style().stream().mapToInt(w -> read.indexOf(w.layer())).toArray();
    }

    public StyleLayers layers() {
        return layers;
    }

    /** What was changed in the network's copy, in words. */
    public List<String> notes() {
        return features.notes();
    }

    /** The network's input for pictures in [0, 1]. */
    INDArray normalise(INDArray pictures) {
        INDArray x = pictures.dup();
        for (int c = 0; c < x.size(1); c++) {
            INDArray channel = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c));
            channel.subi(normalization.mean(c)).divi(normalization.std(c));
        }
        return x;
    }

    /** The read layers' activations for one picture in [0, 1]. */
    public INDArray[] activations(INDArray picture) {
        INDArray[] acts = features.forward(normalise(picture));
        for (int i = 0; i < acts.length; i++) {
            acts[i] = acts[i].dup('c');
        }
        return acts;
    }

    /** The Gram matrices of a picture's style layers, in the order of {@link StyleLayers#style()}. */
    public INDArray[] grams(INDArray picture) {
        INDArray[] acts = activations(picture);
        INDArray[] grams = new INDArray[styleIndex.length];
        for (int l = 0; l < grams.length; l++) {
            grams[l] = StyleCosts.gram(acts[styleIndex[l]]);
        }
        return grams;
    }

    /**
     * The targets: the content image's content activation, and the style images' Gram matrices per style layer
     * mixed by the style weights. Computed once, for {@link #costs}.
     */
    public record Targets(INDArray content, List<INDArray[]> grams, double[] styleWeights) {
    }

    /**
     * @param content      1 x 3 x H x W in [0, 1]
     * @param styles       the style images, each 1 x 3 x H x W like the content (see {@link Pictures#covering})
     * @param styleWeights one weight per style image
     */
    public Targets targets(INDArray content, List<INDArray> styles, double[] styleWeights) {
        check(content, "the content image");
        if (styles.isEmpty() || styles.size() != styleWeights.length) {
            throw new IllegalArgumentException("give one weight per style image: " + styles.size() + " images, "
                    + styleWeights.length + " weights");
        }
        for (double w : styleWeights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("style image weights must be numbers >= 0, not " + w);
            }
        }
        List<INDArray[]> grams = new ArrayList<>();
        for (INDArray style : styles) {
            check(style, "a style image");
            if (!Arrays.equals(style.shape(), content.shape())) {
                throw new IllegalArgumentException("style images must have the content image's size "
                        + Arrays.toString(content.shape()) + ", got " + Arrays.toString(style.shape()));
            }
            grams.add(grams(style));
        }
        return new Targets(activations(content)[contentIndex], grams, styleWeights.clone());
    }

    private static void check(INDArray picture, String what) {
        if (picture.rank() != 4 || picture.size(0) != 1 || picture.size(1) != 3) {
            throw new IllegalArgumentException(what + " must be 1 x 3 x H x W, got " + Arrays.toString(picture.shape()));
        }
    }

    /** The costs of a picture and the gradient of the total with respect to its pixels. */
    public StyleCosts.Cost costs(INDArray picture, Targets targets, StyleOptions options, double[] parts) {
        INDArray[] acts = features.forward(normalise(picture));
        INDArray[] grads = new INDArray[acts.length];
        StyleCosts.Cost content = StyleCosts.content(targets.content(), acts[contentIndex]);
        grads[contentIndex] = content.gradient().muli(options.alpha());
        double style = 0;
        for (int l = 0; l < styleIndex.length; l++) {
            INDArray a = acts[styleIndex[l]];
            double lambda = layers.style().get(l).weight();
            for (int s = 0; s < targets.grams().size(); s++) {
                double w = lambda * targets.styleWeights()[s];
                if (w == 0) {
                    continue;
                }
                StyleCosts.Cost cost = StyleCosts.style(targets.grams().get(s)[l], a);
                style += w * cost.value();
                INDArray g = cost.gradient().muli(options.beta() * w);
                int at = styleIndex[l];
                grads[at] = grads[at] == null ? g : grads[at].addi(g);
            }
        }
        INDArray gradient = features.backward(grads).dup();
        for (int c = 0; c < 3; c++) {
            gradient.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                    .divi(normalization.std(c));
        }
        double variation = 0;
        if (options.variation() > 0) {
            StyleCosts.Cost tv = StyleCosts.totalVariation(picture);
            variation = tv.value();
            gradient.addi(tv.gradient().muli(options.variation()));
        }
        double total = options.alpha() * content.value() + options.beta() * style + options.variation() * variation;
        if (parts != null) {
            parts[0] = content.value();
            parts[1] = style;
            parts[2] = variation;
        }
        return new StyleCosts.Cost(total, gradient);
    }

    /** The picture the optimisation starts from. */
    public static INDArray start(INDArray content, StyleOptions options) {
        INDArray start = content.castTo(DataType.FLOAT).dup('c');
        if (options.start() == StyleOptions.Start.CONTENT) {
            return start;
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        float[] noise = new float[(int) start.length()];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = options.start() == StyleOptions.Start.NOISE ? (float) random.nextDouble()
                    : (float) ((random.nextDouble() * 2 - 1) * options.noise());
        }
        INDArray n = Nd4j.create(noise, start.shape(), 'c');
        INDArray out = options.start() == StyleOptions.Start.NOISE ? n : start.addi(n);
        return clip(out);
    }

    private static INDArray clip(INDArray picture) {
        return org.nd4j.linalg.ops.transforms.Transforms.min(
                org.nd4j.linalg.ops.transforms.Transforms.max(picture, 0.0, false), 1.0, false);
    }

    /** Runs the optimisation; the listener (may be null) hears every step, the final image's too. */
    public Result run(INDArray content, Targets targets, StyleOptions options, Listener listener) {
        INDArray picture = start(content, options);
        long n = picture.length();
        GradientUpdater<?> adam = new Adam(options.learningRate())
                .instantiate(Nd4j.zeros(DataType.FLOAT, 1, 2 * n), true);
        List<Step> history = new ArrayList<>();
        double[] parts = new double[3];
        for (int step = 0; step <= options.steps(); step++) {
            StyleCosts.Cost cost = costs(picture, targets, options, parts);
            Step record = new Step(step, cost.value(), parts[0], parts[1], parts[2]);
            history.add(record);
            if (listener != null) {
                INDArray current = picture;
                listener.step(record, current::dup);
            }
            if (step == options.steps()) {
                break;
            }
            INDArray update = cost.gradient().reshape('c', 1, n).dup('c');
            adam.applyUpdater(update, step, 0);
            picture.subi(update.reshape('c', picture.shape()));
            clip(picture);
        }
        return new Result(picture, history);
    }
}
