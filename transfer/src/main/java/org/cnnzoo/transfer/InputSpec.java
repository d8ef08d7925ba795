package org.cnnzoo.transfer;

import org.cnnzoo.augmentation.Pipeline;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.zoo.InputShape;

/** What the network's images look like: their size and channels, and the normalisation of their values. */
public record InputSpec(InputShape shape, Normalization normalization) {

    /** A normalisation and why it was chosen, in words. */
    public record Chosen(Normalization normalization, String why) {
    }

    /**
     * The rule every command and job follows: the user's choice, else what the base records (a run's
     * normalisation, a weights entry's), else ImageNet's statistics; an override of a recorded one is said.
     *
     * @param user       the user's choice, or null
     * @param recorded   what the base records, or null
     * @param recordedBy where that comes from, in words
     */
    public static Chosen normalization(Normalization user, Normalization recorded, String recordedBy) {
        if (user != null) {
            return new Chosen(user, recorded != null && !sameValues(user, recorded)
                    ? "normalisation " + describe(user) + " from --normalization, overriding " + describe(recorded)
                    + " recorded by " + recordedBy : null);
        }
        if (recorded != null) {
            return new Chosen(recorded, "normalisation from " + recordedBy + ": " + describe(recorded));
        }
        return new Chosen(Normalization.IMAGENET, "normalisation: imagenet (nothing records how the base's training"
                + " images were scaled; give --normalization if it was otherwise)");
    }

    private static boolean sameValues(Normalization a, Normalization b) {
        return java.util.Arrays.equals(a.mean(), b.mean()) && java.util.Arrays.equals(a.std(), b.std());
    }

    /** A normalisation in words: its name and values. */
    public static String describe(Normalization n) {
        return n.name() + " (mean " + java.util.Arrays.toString(n.mean()) + ", std " + java.util.Arrays.toString(n.std())
                + ")";
    }

    public InputSpec withNormalization(Normalization other) {
        return new InputSpec(shape, other);
    }

    /** Batches of {@code data} as this input, augmented by {@code pipeline} when given. */
    public ImageIterator iterator(ImageSource data, int batch, Pipeline pipeline, boolean shuffle, long seed, int threads) {
        return ImageIterator.builder(data).batchSize(batch).input(shape.height(), shape.width(), shape.channels())
                .normalization(normalization).augmenter(pipeline).shuffle(shuffle).seed(seed).threads(threads).build();
    }

    /** How the feature cache names this input. */
    String key() {
        return shape.height() + "x" + shape.width() + "x" + shape.channels();
    }
}
