package org.cnnzoo.detection.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A detection dataset as read: its class names (index = class index of the boxes), its samples, and what was
 * skipped while reading it (one line per kind of problem, naming the files).
 */
public record DetectionSet(String name, List<String> classes, List<DetectionSample> samples, List<String> warnings) {
    public DetectionSet {
        classes = List.copyOf(classes);
        samples = List.copyOf(samples);
        warnings = List.copyOf(warnings);
    }

    public int size() {
        return samples.size();
    }

    public int objects() {
        return samples.stream().mapToInt(s -> s.objects().size()).sum();
    }

    /**
     * Splits off every {@code k}-th sample (the last of each run of k) as a validation set: the samples are whole
     * pictures, so no picture is on both sides.
     */
    public DetectionSet[] holdOut(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("hold out every k-th sample needs k >= 2, got " + k);
        }
        List<DetectionSample> kept = new ArrayList<>();
        List<DetectionSample> held = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            (i % k == k - 1 ? held : kept).add(samples.get(i));
        }
        return new DetectionSet[]{new DetectionSet(name + " (training)", classes, kept, warnings),
                new DetectionSet(name + " (validation)", classes, held, List.of())};
    }
}
