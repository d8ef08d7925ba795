package org.cnnzoo.zoo.weights;

import java.util.Map;

/**
 * One known weight file, as data: which network it fits, where it comes from, how to check it, what the images
 * must look like for it, and what it achieves.
 *
 * @param sha256 null when no published hash was checked here: the first download's hash is then recorded
 */
public record WeightsEntry(String id, String architecture, String format, String url, String sha256, Long size,
                           String licence, Preprocessing preprocessing, Map<String, Object> metadata) {

    /**
     * The images the weights expect: shorter side resized to {@code resize}, centre {@code crop}, values in
     * {@code range}, then (x - mean) / std per channel, channels in {@code channels} order.
     */
    public record Preprocessing(int resize, int crop, double[] mean, double[] std, String channels, String range) {
    }

    /** The file name in the store: the id plus the format's extension. */
    public String fileName() {
        return id + (format.equals("safetensors") ? ".safetensors" : "." + format);
    }
}
