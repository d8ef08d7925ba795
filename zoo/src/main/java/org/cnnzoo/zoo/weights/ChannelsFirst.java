package org.cnnzoo.zoo.weights;

import org.cnnzoo.zoo.graph.NchwToNhwc;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes an imported channels-last network (Keras, TF.js) take channels-first images like every other network of
 * the project: a new input {@value #INPUT} feeds a vertex, named as the old input, that permutes NCHW to NHWC.
 * Every layer keeps its name and parameters.
 */
public final class ChannelsFirst {
    /** The input of an adapted network. */
    public static final String INPUT = "input_nchw";

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
        String old = conf.getNetworkInputs().get(0);
        Map<String, GraphVertex> vertices = new LinkedHashMap<>(conf.getVertices());
        vertices.put(old, new PreprocessorVertex(new NchwToNhwc()));
        Map<String, List<String>> inputs = new LinkedHashMap<>(conf.getVertexInputs());
        inputs.put(old, List.of(INPUT));
        conf.setVertices(vertices);
        conf.setVertexInputs(inputs);
        conf.setNetworkInputs(new ArrayList<>(List.of(INPUT)));
        // the cached order names the old input as a network input; it is worked out again from the vertices
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        ComputationGraph adapted = new ComputationGraph(conf);
        adapted.init();
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() > 0) {
                adapted.getLayer(name).setParams(layer.params());
            }
        }
        return adapted;
    }
}
