package org.cnnzoo.transfer;

/**
 * The new classifier put on a backbone: a linear softmax layer, or a small MLP (one hidden ReLU layer of
 * {@code hidden} units with dropout) before it.
 */
public record Head(int hidden, double dropout) {
    public static final Head LINEAR = new Head(0, 0);

    public Head {
        if (hidden < 0 || dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("head: hidden units must be >= 0 and dropout in [0, 1), got "
                    + hidden + ", " + dropout);
        }
    }

    public static Head mlp(int hidden, double dropout) {
        if (hidden < 1) {
            throw new IllegalArgumentException("an MLP head needs at least one hidden unit");
        }
        return new Head(hidden, dropout);
    }

    /** "linear" or "mlp:HIDDEN[:DROPOUT]". */
    public static Head parse(String text) {
        if (text.equals("linear")) {
            return LINEAR;
        }
        String[] parts = text.split(":");
        try {
            if (parts[0].equals("mlp") && (parts.length == 2 || parts.length == 3)) {
                return mlp(Integer.parseInt(parts[1]), parts.length == 3 ? Double.parseDouble(parts[2]) : 0.5);
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("head must be 'linear' or 'mlp:HIDDEN[:DROPOUT]' (e.g. mlp:256:0.5), got '"
                + text + "'");
    }

    @Override
    public String toString() {
        return hidden == 0 ? "linear" : "mlp:" + hidden + ":" + dropout;
    }
}
