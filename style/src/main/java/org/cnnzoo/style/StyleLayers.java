package org.cnnzoo.style;

import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Which activations a style transfer compares: one content layer, and style layers with their weights λ (the
 * course's J_style = Σ λ_l J_style^[l]). The presets are data attached to the networks they fit, found by their
 * vertex names; any other network needs its layers named.
 *
 * @param name    what the preset is, in words
 * @param content the content layer
 * @param style   the style layers, with weights
 * @param costs   the cost weights that suit these layers (their activations differ in scale from network to
 *                network), used unless others are given
 */
public record StyleLayers(String name, String content, List<Weighted> style, CostWeights costs) {

    /**
     * alpha, beta and the total-variation weight of {@code J = alpha J_content + beta J_style + variation TV}.
     */
    public record CostWeights(double alpha, double beta, double variation) {
        /** The course's: alpha 10, beta 40, no smoothing. */
        public static final CostWeights COURSE = new CostWeights(10, 40, 0);
    }

    /** A style layer and its weight λ. */
    public record Weighted(String layer, double weight) {
        public Weighted {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("the weight of style layer " + layer + " must be a number >= 0, not "
                        + weight);
            }
        }
    }

    public StyleLayers {
        style = List.copyOf(style);
        costs = costs == null ? CostWeights.COURSE : costs;
        if (style.isEmpty()) {
            throw new IllegalArgumentException("name at least one style layer");
        }
    }

    /**
     * VGG-19 as in the paper and the course: content conv4_2, style conv1_1 ... conv5_1 weighted 0.2 each, all
     * after their ReLU, under torchvision's module paths (the zoo's VGG applies each ReLU inside its convolution).
     */
    public static final StyleLayers VGG19 = equal("VGG-19's conv4_2 / conv1_1..conv5_1 (the paper's)", "features.21",
            CostWeights.COURSE, "features.0", "features.5", "features.10", "features.19", "features.28");

    /**
     * Keras' MobileNet v2 (nsfwjs's network and Keras Applications' weights): the expansion ReLUs that open the
     * stages at 112, 56, 28 and 14 px for style, and block 8's residual sum for content, all in the ImageNet-trained
     * part (through block 10) of nsfwjs's network. Its style costs come out about a hundred times smaller than
     * the content cost at the course's weights, so beta is 4000, with light smoothing against the high-frequency
     * texture of its first, stride-2 layer (chosen by looking at the astronaut in Starry Night's style, README).
     */
    public static final StyleLayers KERAS_MOBILENET_V2 = equal("Keras MobileNet v2's stage-opening ReLUs",
            "block_8_add", new CostWeights(10, 4000, 0.005), "Conv1_relu", "block_1_expand_relu", "block_3_expand_relu", "block_6_expand_relu",
            "block_10_expand_relu");

    public static final List<StyleLayers> PRESETS = List.of(VGG19, KERAS_MOBILENET_V2);

    /** Style layers weighted equally, summing to 1. */
    public static StyleLayers equal(String name, String content, CostWeights costs, String... style) {
        List<Weighted> weighted = new ArrayList<>();
        for (String s : style) {
            weighted.add(new Weighted(s, 1.0 / style.length));
        }
        return new StyleLayers(name, content, weighted, costs);
    }

    /** The first preset whose layers the network has. */
    public static Optional<StyleLayers> presetFor(ComputationGraph graph) {
        return PRESETS.stream().filter(p -> p.layers().stream().allMatch(l -> graph.getConfiguration()
                .getVertices().containsKey(l))).findFirst();
    }

    /** Every layer read, content first, each once. */
    public List<String> layers() {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        all.add(content);
        style.forEach(w -> all.add(w.layer()));
        return List.copyOf(all);
    }
}
