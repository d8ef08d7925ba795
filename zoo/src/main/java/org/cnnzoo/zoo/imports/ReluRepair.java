package org.cnnzoo.zoo.imports;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/**
 * Keras' ReLU layers import as DL4J ReLUs with threshold 0 and negative slope 0 given explicitly (MobileNet v2's
 * ReLU6 as max 6). With those two set, DL4J M2.1 differentiates through its leaky-ReLU backward op, which returns
 * wrong gradients inside a graph (checked against finite differences), so fine-tuning and input gradients through
 * an imported network would be wrong. The same function with threshold and slope left unset takes DL4J's plain ReLU
 * backward pass, which is right.
 */
final class ReluRepair {
    private ReluRepair() {
    }

    /** The graph unchanged when no layer needs it, else a copy with such ReLUs replaced. */
    static ComputationGraph apply(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        int replaced = 0;
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                if (layer instanceof ActivationLayer a && plain(a.getActivationFn()) != null) {
                    a.setActivationFn(plain(a.getActivationFn()));
                    replaced++;
                } else if (layer instanceof BaseLayer b && plain(b.getActivationFn()) != null) {
                    b.setActivationFn(plain(b.getActivationFn()));
                    replaced++;
                }
            }
        }
        if (replaced == 0) {
            return graph;
        }
        ComputationGraph repaired = new ComputationGraph(conf);
        repaired.init(graph.params().dup(), false);
        return repaired;
    }

    /** The same ReLU with threshold and slope unset, or null when the function is not such a ReLU. */
    static IActivation plain(IActivation fn) {
        if (fn instanceof ActivationReLU r && (r.getThreshold() != null || r.getNegativeSlope() != null)
                && zeroOrUnset(r.getThreshold()) && zeroOrUnset(r.getNegativeSlope())) {
            return new ActivationReLU(r.getMax(), null, null);
        }
        return null;
    }

    private static boolean zeroOrUnset(Double value) {
        return value == null || value == 0.0;
    }
}
