package org.cnnzoo.transfer;

/**
 * How much of a pretrained network to train, as in the course: with little data only a new head on frozen
 * features; with more, also the last blocks; with a lot, everything.
 */
public enum Regime {
    HEAD, PARTIAL, FULL;

    /** Fewer images per class than this: head only. */
    public static final int HEAD_BELOW = 100;
    /** Fewer images per class than this (and at least HEAD_BELOW): the last block too. */
    public static final int PARTIAL_BELOW = 1000;

    /** The regime and the reason, chosen from the number of training images per class. */
    public record Choice(Regime regime, String reason) {
    }

    public static Choice auto(double imagesPerClass) {
        String per = String.format("%.0f training images per class", imagesPerClass);
        if (imagesPerClass < HEAD_BELOW) {
            return new Choice(HEAD, per + " (< " + HEAD_BELOW + "): little data, so only the new head is trained, on"
                    + " frozen features");
        }
        if (imagesPerClass < PARTIAL_BELOW) {
            return new Choice(PARTIAL, per + " (< " + PARTIAL_BELOW + "): the head, then the last block fine-tuned");
        }
        return new Choice(FULL, per + " (>= " + PARTIAL_BELOW + "): the head, then the whole network fine-tuned");
    }

    public static Regime parse(String text) {
        try {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("regime must be auto, head, partial or full; got '" + text + "'");
        }
    }
}
