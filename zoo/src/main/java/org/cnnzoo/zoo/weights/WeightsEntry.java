package org.cnnzoo.zoo.weights;

import java.util.Map;

/**
 * One known weight file, as data: which network it fits, where it comes from, how to check it, what the images
 * must look like for it, and what it achieves.
 *
 * @param sha256 null when no published hash was checked here: the first download's hash is then recorded
 */
public record WeightsEntry(String id, String architecture, String format, String url, String sha256, Long size,
                           String licence, Preprocessing preprocessing, Map<String, Object> metadata, String topology) {

    /** State dicts in torchvision/timm key names, loaded into the zoo's network {@code architecture}. */
    public static final String SAFETENSORS = "safetensors";
    /**
     * Keras weights without the architecture (save_weights, as Keras Applications publish them), loaded into the
     * Keras topology named by {@code topology} (a resource of the project) instead of the zoo's network.
     */
    public static final String KERAS_WEIGHTS = "keras-h5-weights";

    /** An entry in the zoo's own layout (no Keras topology). */
    public WeightsEntry(String id, String architecture, String format, String url, String sha256, Long size,
                        String licence, Preprocessing preprocessing, Map<String, Object> metadata) {
        this(id, architecture, format, url, sha256, size, licence, preprocessing, metadata, null);
    }

    /**
     * The images the weights expect: shorter side resized to {@code resize}, centre {@code crop}, values in
     * {@code range}, then (x - mean) / std per channel, channels in {@code channels} order.
     */
    public record Preprocessing(int resize, int crop, double[] mean, double[] std, String channels, String range) {

        /**
         * Checks that the project's pipeline can produce these inputs: RGB values scaled to [0, 1] before the mean
         * and standard deviation.
         *
         * @throws IllegalArgumentException naming what is not supported
         */
        public Preprocessing supported(String id) {
            if (!"RGB".equals(channels) || !"0-1".equals(range)) {
                throw new IllegalArgumentException("weights " + id + " expect " + channels + " values in " + range
                        + "; only RGB in 0-1 is supported");
            }
            return this;
        }
    }

    /** The file name in the store: the id plus the format's extension. */
    public String fileName() {
        return id + switch (format) {
            case SAFETENSORS -> ".safetensors";
            case KERAS_WEIGHTS -> ".h5";
            default -> "." + format;
        };
    }
}
