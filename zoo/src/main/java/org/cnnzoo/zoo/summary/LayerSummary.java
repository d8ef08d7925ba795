package org.cnnzoo.zoo.summary;

import java.util.List;

/**
 * One vertex of a graph: what it is, what feeds it, the shape it outputs for one example ([C,H,W] for images,
 * [C,D,H,W] for volumes, [N] for flat activations), its parameters and its multiply-adds.
 */
public record LayerSummary(String name, String type, List<String> inputs, List<Long> shape, Params params, long macs) {
}
