package org.cnnzoo.datasets;

/**
 * How pixel values become network inputs: x = (pixel / 255 - mean[c]) / std[c], per channel in RGB order (one
 * value for grey images). The values must match the ones the network's weights were trained with.
 */
public record Normalization(String name, double[] mean, double[] std) {

    /** Pixels scaled to [0, 1]. */
    public static final Normalization UNIT = new Normalization("unit", new double[]{0}, new double[]{1});
    /** ImageNet statistics, as torchvision's and timm's weights expect. */
    public static final Normalization IMAGENET = new Normalization("imagenet",
            new double[]{0.485, 0.456, 0.406}, new double[]{0.229, 0.224, 0.225});
    /** Pixels scaled to [-1, 1]. */
    public static final Normalization SYMMETRIC = new Normalization("symmetric", new double[]{0.5}, new double[]{0.5});

    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("normalisation needs as many means as standard deviations");
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("standard deviations must be positive");
            }
        }
    }

    /** One of the named normalisations: imagenet, unit or symmetric. @throws IllegalArgumentException naming them */
    public static Normalization named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "imagenet" -> IMAGENET;
            case "unit" -> UNIT;
            case "symmetric" -> SYMMETRIC;
            default -> throw new IllegalArgumentException("--normalization is imagenet, unit or symmetric, not '" + name + "'");
        };
    }

    /** These values under the name of the known normalisation that has them, else under {@code name}. */
    public static Normalization of(String name, double[] mean, double[] std) {
        for (Normalization known : new Normalization[]{UNIT, IMAGENET, SYMMETRIC}) {
            if (java.util.Arrays.equals(known.mean, mean) && java.util.Arrays.equals(known.std, std)) {
                return known;
            }
        }
        return new Normalization(name, mean, std);
    }

    /** The mean for channel c (a single value applies to every channel). */
    public double mean(int c) {
        return mean[mean.length == 1 ? 0 : c];
    }

    public double std(int c) {
        return std[std.length == 1 ? 0 : c];
    }
}
