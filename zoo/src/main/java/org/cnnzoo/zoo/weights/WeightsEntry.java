package org.cnnzoo.zoo.weights;

import java.util.List;
import java.util.Map;

/**
 * One known weight file, as data, like torchvision's weight enums: which network it fits and how that network must
 * be built for it, where the file comes from and how to check it, what the images must look like, and what it
 * achieves.
 *
 * @param aliases      other names it answers to: a network's name alone, or NAME.DEFAULT, for its default weights
 * @param sha256       the whole file's SHA-256 when published; null: the first download's hash is recorded and
 *                     enforced after
 * @param sha256Prefix the leading hex digits of the SHA-256 that the publisher puts in the file name (torchvision:
 *                     8), checked on every download and every use; null when none is published
 * @param topology     for Keras weights, the Keras topology (a resource of the project) they load into
 * @param build        how the network must be built for these weights
 * @param backboneOnly the classifier is not usable (torchvision's VGG-16 FEATURES: NaN): features only
 */
public record WeightsEntry(String id, List<String> aliases, String architecture, String format, String url,
                           String sha256, String sha256Prefix, Long size, String licence, Preprocessing preprocessing,
                           Map<String, Object> metadata, String topology, Build build, boolean backboneOnly) {

    /** State dicts in torchvision/timm key names, loaded into the zoo's network {@code architecture}. */
    public static final String SAFETENSORS = "safetensors";
    /** A PyTorch checkpoint ({@code torch.save} of a state dict), loaded like {@link #SAFETENSORS}. */
    public static final String PYTORCH = "pytorch";
    /**
     * Keras weights without the architecture (save_weights, as Keras Applications publish them), loaded into the
     * Keras topology named by {@code topology} (a resource of the project) instead of the zoo's network.
     */
    public static final String KERAS_WEIGHTS = "keras-h5-weights";

    public WeightsEntry {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        metadata = metadata == null ? Map.of() : metadata;
        build = build == null ? Build.PLAIN : build;
    }

    /** An entry in the zoo's own layout with no aliases, prefix or build options. */
    public WeightsEntry(String id, String architecture, String format, String url, String sha256, Long size,
                        String licence, Preprocessing preprocessing, Map<String, Object> metadata) {
        this(id, List.of(), architecture, format, url, sha256, null, size, licence, preprocessing, metadata, null,
                Build.PLAIN, false);
    }

    /** The same entry with another id, download address and hash: a local copy of published weights. */
    public WeightsEntry withSource(String newId, String newUrl, String newSha256) {
        return new WeightsEntry(newId, List.of(), architecture, format, newUrl, newSha256, null, size, licence,
                preprocessing, metadata, topology, build, backboneOnly);
    }

    /** Whether the entry answers to this name: its id or an alias. */
    public boolean answersTo(String name) {
        return id.equals(name) || aliases.contains(name);
    }

    /** How the network is built for these weights. */
    public record Build(boolean transformInput) {
        public static final Build PLAIN = new Build(false);
    }

    /**
     * The images the weights expect: shorter side resized to {@code resize} (0: straight to the crop) with
     * {@code interpolation} ({@code bilinear}, {@code bicubic}, or {@code auto} for runs the project trained; null
     * means bilinear), centre {@code crop}, values in {@code range}, then (x - mean) / std per channel (one value:
     * every channel), channels in {@code channels} order ({@code RGB} or {@code GRAY}).
     */
    public record Preprocessing(int resize, int crop, String interpolation, double[] mean, double[] std,
                                String channels, String range) {

        public Preprocessing {
            interpolation = interpolation == null ? "bilinear" : interpolation;
            if (!List.of("bilinear", "bicubic", "auto").contains(interpolation)) {
                throw new IllegalArgumentException("interpolation must be bilinear, bicubic or auto (the project's"
                        + " training default), not " + interpolation);
            }
        }

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

        /** The shorter side for an input of {@code side} pixels, in the same proportion as resize to crop. */
        public int resizeFor(int side) {
            return (int) Math.round((double) resize * side / crop);
        }
    }

    /**
     * The file name in the store: a PyTorch entry keeps its published name (the one torch.hub caches, with its hash
     * prefix), others are the id plus the format's extension.
     */
    public String fileName() {
        return switch (format) {
            case PYTORCH -> url.substring(url.lastIndexOf('/') + 1);
            case SAFETENSORS -> id + ".safetensors";
            case KERAS_WEIGHTS -> id + ".h5";
            default -> id + "." + format;
        };
    }
}
