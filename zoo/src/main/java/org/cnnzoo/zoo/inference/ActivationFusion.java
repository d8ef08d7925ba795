package org.cnnzoo.zoo.inference;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.List;

/**
 * Moves a separate activation vertex into the convolution or dense layer before it, which then applies it to its
 * own output: one vertex and one activation array fewer per block. The zoo keeps activations as vertices of their
 * own (torchvision's module paths, and DL4J's batch norm ignores an activation); after {@link BatchNormFolding}
 * most of them follow a convolution directly.
 */
final class ActivationFusion {
    private ActivationFusion() {
    }

    static List<String> apply(GraphRewrite g) {
        List<String> fused = new ArrayList<>();
        for (String act : List.copyOf(g.conf.getVertices().keySet())) {
            if (!(g.layer(act) instanceof ActivationLayer activation) || !g.changeable(act)
                    || g.inputs(act).size() != 1 || g.layerVertex(act).getPreProcessor() != null) {
                continue;
            }
            String source = g.inputs(act).get(0);
            Layer layer = g.layer(source);
            boolean fusable = BatchNormFolding.isConvolution(layer)
                    || layer != null && layer.getClass() == DenseLayer.class;
            if (fusable && g.changeable(source) && g.consumers(source).size() == 1
                    && BatchNormFolding.isIdentity((BaseLayer) layer)) {
                ((BaseLayer) layer).setActivationFn(activation.getActivationFn());
                g.bypass(act);
                fused.add(act);
            }
        }
        return fused;
    }
}
