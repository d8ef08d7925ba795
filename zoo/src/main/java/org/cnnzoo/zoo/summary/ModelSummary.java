package org.cnnzoo.zoo.summary;

import java.util.List;

/**
 * The cost of a network at one input size: every vertex in order, and totals. Multiply-adds count convolutions and
 * fully connected layers (one per weight per output position), the convention of torchvision's published GFLOPs.
 */
public record ModelSummary(String name, Input input, Params params, long macs, List<LayerSummary> layers) {

    /** The input of one example. */
    public record Input(long height, long width, long channels) {
    }

    /** The vertex of that name. @throws IllegalArgumentException if there is none */
    public LayerSummary layer(String vertex) {
        return layers.stream().filter(l -> l.name().equals(vertex)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no vertex named " + vertex + " in " + name));
    }

    /** A fixed-width table for a terminal: one line per vertex, then the totals. */
    public String toTable() {
        int nameWidth = Math.max(6, layers.stream().mapToInt(l -> l.name().length()).max().orElse(6));
        String format = "%-" + nameWidth + "s  %-22s  %-16s  %,13d  %,15d%n";
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s at %dx%dx%d (height x width x channels)%n%n", name, input.height(), input.width(),
                input.channels()));
        out.append(String.format("%-" + nameWidth + "s  %-22s  %-16s  %13s  %15s%n", "vertex", "type", "output",
                "params", "multiply-adds"));
        for (LayerSummary l : layers) {
            out.append(String.format(format, l.name(), l.type(), shapeText(l.shape()), l.params().total(), l.macs()));
        }
        out.append(String.format("%nparameters: %,d trainable, %,d in total (with batch-norm statistics)%n",
                params.trainable(), params.total()));
        out.append(String.format("multiply-adds: %,d (%.2f G)%n", macs, macs / 1e9));
        return out.toString();
    }

    /** An image's [C, H, W] as HxWxC, like the header line; other shapes as they are. */
    static String shapeText(List<Long> shape) {
        List<Long> ordered = shape.size() == 3 ? List.of(shape.get(1), shape.get(2), shape.get(0)) : shape;
        StringBuilder s = new StringBuilder();
        for (Long d : ordered) {
            s.append(s.length() == 0 ? "" : "x").append(d);
        }
        return s.toString();
    }
}
