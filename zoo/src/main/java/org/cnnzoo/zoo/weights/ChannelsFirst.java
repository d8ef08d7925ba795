package org.cnnzoo.zoo.weights;

import org.cnnzoo.zoo.graph.NchwToNhwc;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;
import java.util.Map;

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

    /** The network unchanged when it is already channels-first, else adapted. */
    public static ComputationGraph adapt(ComputationGraph graph) {
        if (!isChannelsLast(graph)) {
            return graph;
        }
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        if (conf.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("only networks with one image input can be adapted to channels-first");
        }
        String input = conf.getNetworkInputs().get(0);
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (!e.getValue().contains(input)) {
                continue;
            }
            if (!(conf.getVertices().get(e.getKey()) instanceof LayerVertex reader)) {
                throw new IllegalArgumentException("the input of this network goes straight into " + e.getKey()
                        + ", which is not a layer; it cannot be adapted to channels-first");
            }
            InputPreProcessor own = reader.getPreProcessor();
            reader.setPreProcessor(own == null ? new NchwToNhwc() : new ComposableInputPreProcessor(new NchwToNhwc(), own));
        }
        ComputationGraph adapted = new ComputationGraph(conf);
        adapted.init(graph.params().dup(), false);
        return adapted;
    }
}
