package org.cnnzoo.style;

/**
 * How the generated image is optimised: J(G) = alpha J_content + beta J_style + variation TV(G), by Adam on the
 * pixels (RGB in [0, 1], clipped there after every step) for {@code steps} steps.
 *
 * @param alpha        weight of the content cost (the course's 10)
 * @param beta         weight of the style cost (the course's 40)
 * @param variation    weight of the total variation, 0 for none
 * @param steps        Adam steps
 * @param learningRate Adam's step size on [0, 1] pixels
 * @param start        where G starts
 * @param noise        for {@link Start#CONTENT_NOISE}: the content plus uniform noise in [-noise, noise]
 * @param seed         seeds the noise: the same seed gives the same picture
 */
public record StyleOptions(double alpha, double beta, double variation, int steps, double learningRate, Start start,
                           double noise, long seed) {

    /** The generated image's starting point. */
    public enum Start {
        /** The content image plus uniform noise (the course's choice). */
        CONTENT_NOISE,
        /** Uniform noise in [0, 1] (the paper's). */
        NOISE,
        /** The content image itself. */
        CONTENT
    }

    public StyleOptions {
        check("alpha", alpha);
        check("beta", beta);
        check("variation", variation);
        check("noise", noise);
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, not " + steps);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, not " + learningRate);
        }
        if (start == null) {
            throw new IllegalArgumentException("say where the generated image starts");
        }
    }

    private static void check(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("--" + name + " must be a number >= 0, not " + value);
        }
    }

    /** The course's weights (alpha 10, beta 40), no smoothing, from the content plus noise of 0.25. */
    public static StyleOptions defaults() {
        return new StyleOptions(10, 40, 0, 300, 0.02, Start.CONTENT_NOISE, 0.25, 1);
    }

    public StyleOptions withSteps(int value) {
        return new StyleOptions(alpha, beta, variation, value, learningRate, start, noise, seed);
    }

    /** These options with the cost weights a preset of layers suggests. */
    public StyleOptions withCosts(StyleLayers.CostWeights costs) {
        return new StyleOptions(costs.alpha(), costs.beta(), costs.variation(), steps, learningRate, start, noise, seed);
    }

    public StyleOptions withWeights(double contentWeight, double styleWeight) {
        return new StyleOptions(contentWeight, styleWeight, variation, steps, learningRate, start, noise, seed);
    }

    public StyleOptions withVariation(double value) {
        return new StyleOptions(alpha, beta, value, steps, learningRate, start, noise, seed);
    }

    public StyleOptions withLearningRate(double value) {
        return new StyleOptions(alpha, beta, variation, steps, value, start, noise, seed);
    }

    public StyleOptions withStart(Start value, double amplitude) {
        return new StyleOptions(alpha, beta, variation, steps, learningRate, value, amplitude, seed);
    }

    public StyleOptions withSeed(long value) {
        return new StyleOptions(alpha, beta, variation, steps, learningRate, start, noise, value);
    }
}
