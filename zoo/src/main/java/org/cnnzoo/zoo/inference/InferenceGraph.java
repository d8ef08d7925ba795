package org.cnnzoo.zoo.inference;

import org.cnnzoo.zoo.graph.Vectors;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A trained graph rewritten for fast inference, the way the project runs every prediction, evaluation and
 * featurization: batch norms folded into the convolutions before them, activation vertices fused into the layer
 * before them, and the activations laid out channels-last (NHWC), each measured faster in bench/RESULTS.md. It
 * computes the same function as the source graph (to float rounding) and still takes NCHW images; the source graph
 * is left as it was and stays the one to train.
 *
 * <p>Vertices named as kept keep their activations exactly, so they can be read with {@link #output(List, INDArray)},
 * which returns 4-d activations channels-first whatever the layout inside.
 */
public final class InferenceGraph {
    /** Which rewrites to apply. */
    public record Options(boolean foldBatchNorm, boolean fuseActivations, boolean channelsLast) {
        /** Everything that was measured to pay (bench/RESULTS.md). */
        public static Options fastest() {
            return new Options(true, true, true);
        }

        /** The source graph's configuration as it is. */
        public static Options none() {
            return new Options(false, false, false);
        }
    }

    private final ComputationGraph graph;
    private final boolean channelsLast;
    private final List<String> changes;

    private InferenceGraph(ComputationGraph graph, boolean channelsLast, List<String> changes) {
        this.graph = graph;
        this.channelsLast = channelsLast;
        this.changes = List.copyOf(changes);
    }

    /** The fastest form of a trained graph, keeping the named vertices' activations readable. */
    public static InferenceGraph of(ComputationGraph trained, String... kept) {
        return of(trained, Options.fastest(), List.of(kept));
    }

    public static InferenceGraph of(ComputationGraph trained, Options options, Collection<String> kept) {
        Set<String> keep = new LinkedHashSet<>(kept);
        for (String name : keep) {
            if (trained.getConfiguration().getVertices().get(name) == null) {
                throw new IllegalArgumentException("the network has no vertex named '" + name + "'");
            }
        }
        GraphRewrite rewrite = new GraphRewrite(trained, keep);
        List<String> changes = new ArrayList<>();
        if (options.foldBatchNorm()) {
            changes.add(BatchNormFolding.apply(rewrite).size() + " batch norms folded into their convolutions");
        }
        if (options.fuseActivations()) {
            changes.add(ActivationFusion.apply(rewrite).size() + " activations fused into the layer before");
        }
        int vectorised = options.fuseActivations() && Vectors.available() ? VectorActivations.apply(rewrite) : 0;
        if (vectorised > 0) {
            changes.add(vectorised + " swish activations vectorised");
        }
        boolean nhwc = false;
        if (options.channelsLast()) {
            var obstacle = ChannelsLastLayout.obstacle(rewrite);
            if (obstacle.isEmpty()) {
                ChannelsLastLayout.apply(rewrite);
                nhwc = true;
                changes.add("activations channels-last (NHWC)");
            } else {
                changes.add("activations left as they were: " + obstacle.get());
            }
        }
        return new InferenceGraph(rewrite.build(), nhwc, changes);
    }

    /** The rewritten graph (NCHW input; its inner activations are NHWC when {@link #channelsLast()}). */
    public ComputationGraph graph() {
        return graph;
    }

    public boolean channelsLast() {
        return channelsLast;
    }

    /** What was rewritten, in words. */
    public List<String> changes() {
        return changes;
    }

    /** The network's single output for a batch of NCHW images. */
    public INDArray output(INDArray images) {
        return graph.outputSingle(false, images);
    }

    /** The named vertices' activations for a batch of NCHW images; 4-d ones channels-first. */
    public INDArray[] output(List<String> vertices, INDArray images) {
        INDArray[] out = graph.output(vertices, false, new INDArray[]{images}, null);
        if (channelsLast) {
            for (int i = 0; i < out.length; i++) {
                if (out[i].rank() == 4) {
                    out[i] = out[i].permute(0, 3, 1, 2).dup('c');
                }
            }
        }
        return out;
    }
}
