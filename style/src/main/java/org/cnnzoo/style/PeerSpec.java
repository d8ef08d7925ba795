package org.cnnzoo.style;

import org.cnnzoo.datasets.Normalization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A style transfer's settings as the PyTorch peer reads them (tools/reference/tfjs/keras_style_reference.py's
 * SPEC_JSON): layers with their weights, cost weights, the normalisation (one mean and std for every channel) and
 * the learning rate. The tests and {@code cnnzoo bench} hand it to the peer so that both sides optimise the same J.
 */
public final class PeerSpec {
    private PeerSpec() {
    }

    /** @param float64 whether the peer computes in float64 (for comparisons exact to rounding) */
    public static Map<String, Object> of(StyleLayers layers, StyleOptions options, Normalization normalization,
                                         boolean float64) {
        if (normalization.mean().length != 1 || normalization.std().length != 1) {
            throw new IllegalArgumentException("the peer takes one mean and one std for every channel");
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("content", layers.content());
        List<List<Object>> weighted = new ArrayList<>();
        layers.style().forEach(w -> weighted.add(List.of(w.layer(), w.weight())));
        spec.put("style", weighted);
        spec.put("alpha", options.alpha());
        spec.put("beta", options.beta());
        spec.put("variation", options.variation());
        spec.put("mean", normalization.mean(0));
        spec.put("std", normalization.std(0));
        spec.put("lr", options.learningRate());
        spec.put("double", float64);
        return spec;
    }
}
