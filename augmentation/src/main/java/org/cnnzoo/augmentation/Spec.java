package org.cnnzoo.augmentation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a pipeline written as a short spec: comma-separated steps {@code op[:value[:option]][@probability]}, e.g.
 * {@code flip:0.5,crop:0.08-1.0,rotate:15,shear:0.2,color:0.1,warp:0.1}.
 *
 * <table>
 *   <caption>Operations</caption>
 *   <tr><td>{@code flip:P}, {@code vflip:P}</td><td>mirror left-right / top-bottom with probability P (default 0.5)</td></tr>
 *   <tr><td>{@code crop:MIN-MAX}</td><td>random crop of MIN..MAX of the area (0-1], resized back; {@code crop:S} = S-1</td></tr>
 *   <tr><td>{@code rotate:DEG[:fill]}</td><td>rotation by up to +-DEG degrees (0-180]; fill constant, reflect or replicate</td></tr>
 *   <tr><td>{@code shear:S[:fill]}</td><td>shear of up to +-S on both axes (0-1]</td></tr>
 *   <tr><td>{@code color:S}</td><td>per-channel offsets of up to +-S of the value range (0-1]</td></tr>
 *   <tr><td>{@code pca:S}</td><td>AlexNet's PCA lighting with strength S (0-1], 0.1 in the paper</td></tr>
 *   <tr><td>{@code jitter:S}</td><td>brightness, contrast and saturation factors in [1-S, 1+S], S in (0, 1)</td></tr>
 *   <tr><td>{@code hue:H}</td><td>hue turned by up to +-H of the colour circle (0-0.5]</td></tr>
 *   <tr><td>{@code warp:S}</td><td>local warping by up to S of the image size (0-0.25]</td></tr>
 * </table>
 * Every step except the flips applies always unless {@code @P} gives a probability.
 */
public final class Spec {
    static final List<String> OPERATIONS = List.of("flip", "vflip", "crop", "rotate", "shear", "color", "pca", "jitter",
            "hue", "warp");

    private Spec() {
    }

    /** @throws IllegalArgumentException naming the step and what is wrong with it */
    public static Pipeline parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty augmentation spec; example: flip:0.5,crop:0.08-1.0,rotate:15");
        }
        List<Pipeline.Step> steps = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String token = raw.trim();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("empty step in '" + spec + "' (two commas in a row?)");
            }
            try {
                steps.add(step(token));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("augmentation step '" + token + "': " + e.getMessage(), e);
            }
        }
        return new Pipeline(steps);
    }

    private static Pipeline.Step step(String token) {
        String body = token;
        Double probability = null;
        int at = token.indexOf('@');
        if (at >= 0) {
            probability = number(token.substring(at + 1), "probability");
            body = token.substring(0, at);
        }
        String[] parts = body.split(":", -1);
        String op = parts[0].toLowerCase(Locale.ROOT);
        if (!OPERATIONS.contains(op)) {
            throw new IllegalArgumentException("unknown operation '" + parts[0] + "'; known: " + String.join(", ", OPERATIONS));
        }
        if (parts.length > (op.equals("rotate") || op.equals("shear") ? 3 : 2)) {
            throw new IllegalArgumentException("too many ':' parts");
        }
        String value = parts.length > 1 ? parts[1] : null;
        if (value == null && !op.endsWith("flip")) {
            throw new IllegalArgumentException(op + " needs a value, e.g. " + example(op));
        }
        Operation operation = switch (op) {
            case "flip", "vflip" -> {
                double p = value == null ? 0.5 : number(value, "probability");
                if (probability != null) {
                    throw new IllegalArgumentException("give the flip probability once, as " + op + ":P");
                }
                probability = p;
                yield new Mirror(op.equals("vflip"));
            }
            case "crop" -> {
                int dash = value.indexOf('-');
                yield dash < 0 ? new RandomCrop(number(value, "crop scale"), 1.0)
                        : new RandomCrop(number(value.substring(0, dash), "crop scale"),
                        number(value.substring(dash + 1), "crop scale"));
            }
            case "rotate" -> new Rotate(number(value, "degrees"), fill(parts));
            case "shear" -> new Shear(number(value, "shear"), fill(parts));
            case "color" -> new ColorShift(number(value, "colour shift"));
            case "pca" -> new PcaLighting(number(value, "PCA strength"));
            case "jitter" -> new ColorJitter(number(value, "jitter"), 0);
            case "hue" -> new ColorJitter(0, number(value, "hue"));
            case "warp" -> new Warp(number(value, "warp strength"));
            default -> throw new IllegalStateException(op);
        };
        return new Pipeline.Step(operation, probability == null ? 1.0 : probability);
    }

    private static Fill fill(String[] parts) {
        if (parts.length < 3) {
            return Fill.CONSTANT;
        }
        try {
            return Fill.valueOf(parts[2].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fill '" + parts[2] + "'; use constant, reflect or replicate");
        }
    }

    private static double number(String text, String what) {
        try {
            double v = Double.parseDouble(text.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, got '" + text + "'");
        }
    }

    private static String example(String op) {
        return switch (op) {
            case "crop" -> "crop:0.08-1.0";
            case "rotate" -> "rotate:15";
            case "shear" -> "shear:0.2";
            case "color" -> "color:0.1";
            case "pca" -> "pca:0.1";
            case "jitter" -> "jitter:0.4";
            case "hue" -> "hue:0.1";
            case "warp" -> "warp:0.05";
            default -> op;
        };
    }

    /** A number as short as it can be written (0.5, 15, 0.08). */
    static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
