package org.cnnzoo.zoo.models;

/** Channel rounding shared by the width-scaled families (MobileNet, EfficientNet). */
final class Channels {
    private Channels() {
    }

    /**
     * The reference implementations' {@code _make_divisible}: round to the nearest multiple of the divisor, never
     * below the divisor and never more than 10% below the exact value.
     */
    static int makeDivisible(double value, int divisor) {
        int rounded = Math.max(divisor, (int) (value + divisor / 2.0) / divisor * divisor);
        if (rounded < 0.9 * value) {
            rounded += divisor;
        }
        return rounded;
    }
}
