package org.cnnzoo.zoo.inference;

import org.cnnzoo.zoo.graph.FastSwish;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.impl.ActivationSwish;

/**
 * Swaps ND4J's swish for {@link FastSwish} in every layer that applies it (the same function, vectorised): values
 * change only by the rounding of two exponentials, so kept vertices may be swapped too. The zoo's own networks are
 * built with it already.
 */
final class VectorActivations {
    private VectorActivations() {
    }

    /** @return how many layers apply the vectorised swish afterwards (swapped or built with it) */
    static int apply(GraphRewrite g) {
        int vectorised = 0;
        for (String name : g.conf.getVertices().keySet()) {
            Layer layer = g.layer(name);
            if (layer instanceof BaseLayer base && base.getActivationFn() instanceof ActivationSwish) {
                base.setActivationFn(new FastSwish());
            } else if (layer instanceof ActivationLayer act && act.getActivationFn() instanceof ActivationSwish) {
                act.setActivationFn(new FastSwish());
            }
            if (layer instanceof BaseLayer base && base.getActivationFn() instanceof FastSwish
                    || layer instanceof ActivationLayer act && act.getActivationFn() instanceof FastSwish) {
                vectorised++;
            }
        }
        return vectorised;
    }
}
