package org.cnnzoo.datasets;

import java.util.ArrayList;
import java.util.List;

/** How many images each class has, and a readable report of it. */
public record ClassBalance(List<String> classes, int[] counts) {

    /** Class names for a message: all of them when few, else how many with the first and last. */
    public static String names(List<String> classes) {
        if (classes.size() <= 12) {
            return classes.toString();
        }
        return String.format(java.util.Locale.ROOT, "%,d classes [%s, %s, %s, ..., %s]", classes.size(), classes.get(0),
                classes.get(1), classes.get(2), classes.get(classes.size() - 1));
    }

    public static ClassBalance of(ImageSource source) {
        int[] counts = new int[source.classes().size()];
        for (int i = 0; i < source.size(); i++) {
            counts[source.label(i)]++;
        }
        return new ClassBalance(source.classes(), counts);
    }

    public int total() {
        int t = 0;
        for (int c : counts) {
            t += c;
        }
        return t;
    }

    /** Largest class size over smallest (1 when balanced). */
    public double imbalance() {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c : counts) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        return min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
    }

    /** A table with one line per class: name, count, share and a bar; a warning line when imbalanced 3:1 or worse. */
    public String report() {
        int width = Math.max(5, classes.stream().mapToInt(String::length).max().orElse(5));
        int max = 1;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            lines.add(String.format("%-" + width + "s %7d %6.1f%%  %s", classes.get(i), counts[i],
                    100.0 * counts[i] / Math.max(1, total()), "#".repeat((int) Math.round(30.0 * counts[i] / max))));
        }
        lines.add(String.format("%-" + width + "s %7d", "total", total()));
        if (imbalance() >= 3) {
            lines.add(String.format("warning: the largest class has %.1fx the images of the smallest;"
                    + " consider class weights or more images of the small classes", imbalance()));
        }
        return String.join(System.lineSeparator(), lines);
    }
}
