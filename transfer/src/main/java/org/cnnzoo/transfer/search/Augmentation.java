package org.cnnzoo.transfer.search;

import java.util.Locale;

/** Augmentation as one number, so a search can treat its strength as a continuous parameter. */
public final class Augmentation {
    private Augmentation() {
    }

    /**
     * The augmentation spec of strength {@code s} in [0, 1]: none at 0; otherwise left-right flips, random crops of
     * {@code 1 - 0.6 s} to all of the area, rotations up to {@code 15 s} degrees and colour shifts up to
     * {@code 0.1 s}.
     *
     * @return null for no augmentation
     */
    public static String ofStrength(double s) {
        if (!(s >= 0 && s <= 1)) {
            throw new IllegalArgumentException("augmentation strength must be in [0, 1], got " + s);
        }
        if (s == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "flip:0.5,crop:%.3f-1.0,rotate:%.2f,color:%.3f", 1 - 0.6 * s,
                Math.max(0.01, 15 * s), Math.max(0.001, 0.1 * s));
    }
}
