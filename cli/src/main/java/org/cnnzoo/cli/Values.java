package org.cnnzoo.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters that check numbers where picocli reads them, so every command refuses the same bad values with the
 * same words (picocli adds the option's name): counts from 1, counts from 0, and learning rates.
 */
final class Values {
    private Values() {
    }

    /** A whole number from 1 up (epochs, batch size, top classes, counts). */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return atLeast(text, 1);
        }
    }

    /** A whole number from 0 up (patience, blocks, extra views). */
    static final class NonNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String text) {
            return atLeast(text, 0);
        }
    }

    /** A learning rate: finite, above 0 and at most 10 (beyond that training only diverges). */
    static final class LearningRate implements ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            double v;
            try {
                v = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + text + "' is not a number; a learning rate is e.g. 1e-3");
            }
            if (!(v > 0 && v <= 10)) {
                throw new TypeConversionException("'" + text + "' is no learning rate: give a number above 0 and at"
                        + " most 10, e.g. 1e-3");
            }
            return v;
        }
    }

    /** An input size H,W,C. */
    static final class Input implements ITypeConverter<org.cnnzoo.zoo.InputShape> {
        @Override
        public org.cnnzoo.zoo.InputShape convert(String text) {
            try {
                return org.cnnzoo.zoo.InputShape.parse(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    private static int atLeast(String text, int min) {
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a whole number");
        }
        if (v < min) {
            throw new TypeConversionException("'" + text + "' must be a whole number from " + min + " up");
        }
        return v;
    }
}
