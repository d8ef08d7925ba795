package org.cnnzoo.zoo.inference;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.impl.ActivationSwish;

/**
 * Swaps ND4J's swish for {@link FastSwish} in every layer that applies it (the same function, vectorised): values
 * change only by the rounding of two exponentials, so kept vertices may be swapped too.
 */
final class VectorActivations {
    private VectorActivations() {
    }

    /** @return how many layers were swapped */
    static int apply(GraphRewrite g) {
        int swapped = 0;
        for (String name : g.conf.getVertices().keySet()) {
            Layer layer = g.layer(name);
            if (layer instanceof BaseLayer base && base.getActivationFn() instanceof ActivationSwish) {
                base.setActivationFn(new FastSwish());
                swapped++;
            } else if (layer instanceof ActivationLayer act && act.getActivationFn() instanceof ActivationSwish) {
                act.setActivationFn(new FastSwish());
                swapped++;
            }
        }
        return swapped;
    }
}
