package org.cnnzoo.transfer.search;

import java.util.List;
import java.util.Locale;

/**
 * One setting a search can vary: its name in a space, its type, the values it may take, and what it means.
 *
 * @param words the allowed values of a {@link Type#WORD} parameter
 */
public record Parameter(String name, Type type, double min, double max, boolean minInclusive, List<String> words,
                        String help) {

    /** Real numbers (learning rates), integers (widths, counts) or one of a few words (updaters). */
    public enum Type { REAL, INTEGER, WORD }

    static Parameter real(String name, double min, boolean minInclusive, double max, String help) {
        return new Parameter(name, Type.REAL, min, max, minInclusive, List.of(), help);
    }

    static Parameter integer(String name, int min, int max, String help) {
        return new Parameter(name, Type.INTEGER, min, max, true, List.of(), help);
    }

    static Parameter word(String name, List<String> words, String help) {
        return new Parameter(name, Type.WORD, 0, 0, true, words, help);
    }

    /**
     * The value as the parameter's type (Double, Integer or String).
     *
     * @throws IllegalArgumentException naming the parameter and its allowed values
     */
    public Object check(Object value) {
        switch (type) {
            case WORD -> {
                String w = String.valueOf(value).toLowerCase(Locale.ROOT);
                if (!words.contains(w)) {
                    throw new IllegalArgumentException(name + ": '" + value + "' is not one of " + String.join(", ", words));
                }
                return w;
            }
            case INTEGER -> {
                double d = number(value);
                if (d != Math.rint(d)) {
                    throw new IllegalArgumentException(name + " takes whole numbers, got " + value);
                }
                inRange(d);
                return (int) d;
            }
            default -> {
                double d = number(value);
                inRange(d);
                return d;
            }
        }
    }

    double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes a number, got '" + value + "'");
        }
    }

    private void inRange(double d) {
        boolean low = minInclusive ? d >= min : d > min;
        if (!low || d > max || Double.isNaN(d)) {
            throw new IllegalArgumentException(name + " must be in " + (minInclusive ? "[" : "(") + format(min) + ", "
                    + format(max) + "], got " + format(d));
        }
    }

    /** Short and exact: 32, 0.5, 1e-4 (Java would write 1.0E-4). */
    static String format(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e9) {
            return String.valueOf((long) d);
        }
        String s = String.valueOf(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        return (mantissa.endsWith(".0") ? mantissa.substring(0, mantissa.length() - 2) : mantissa) + "e" + s.substring(e + 1);
    }

    /** One line for help texts: name, type and range. */
    public String describe() {
        String range = switch (type) {
            case WORD -> String.join("|", words);
            case INTEGER -> "integer " + format(min) + ".." + format(max);
            case REAL -> "real " + (minInclusive ? "[" : "(") + format(min) + ", " + format(max) + "]";
        };
        return name + " (" + range + "): " + help;
    }
}
