package org.cnnzoo.zoo.imports;

import org.cnnzoo.zoo.graph.NchwToNhwc;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Makes an imported channels-last network (Keras, TF.js) take channels-first images like every other network of
 * the project: the layers that read the input first permute it from NCHW to NHWC. Vertices, names and parameters
 * stay as they were, so the network can be frozen, cut and given a new head like a zoo network.
 */
public final class ChannelsFirst {
    private ChannelsFirst() {
    }

    /** Whether the network's convolutions expect channels-last data. */
    public static boolean isChannelsLast(ComputationGraph graph) {
        for (GraphVertex v : graph.getConfiguration().getVertices().values()) {
            if (v instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                if (layer instanceof ConvolutionLayer conv) {
                    return conv.getCnn2dDataFormat() == CNN2DFormat.NHWC;
                }
            }
        }
        return false;
    }

    /**
     * What every import ends with: channels-first input ({@link #adapt}), then the repairs that give DL4J's
     * backward pass right gradients through what Keras' import builds ({@link ReluRepair},
     * {@link ChannelsLastActivations}), so imported networks fine-tune correctly.
     */
    static ComputationGraph finish(ComputationGraph imported) {
        return ChannelsLastActivations.apply(ReluRepair.apply(adapt(imported)));
    }

    /** The network unchanged when it is already channels-first, else adapted. */
    public static ComputationGraph adapt(ComputationGraph graph) {
        if (!isChannelsLast(graph)) {
            return graph;
        }
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        NchwToNhwc.insertAtInput(conf);
        ComputationGraph adapted = new ComputationGraph(conf);
        adapted.init(graph.params().dup(), false);
        return adapted;
    }
}
