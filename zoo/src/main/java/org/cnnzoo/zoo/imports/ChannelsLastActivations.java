package org.cnnzoo.zoo.imports;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes the activation out of every channels-last convolution into an activation layer after it: with oneDNN,
 * DL4J M2.1's backward pass of an NHWC convolution with a ReLU inside gives input gradients about 97% off (checked
 * against the same layer in float64), so fine-tuning an imported Keras network with Conv2D(activation='relu')
 * would train its earlier layers on wrong gradients. The activation layer takes the convolution's name, so what
 * reads it and what the user names is unchanged; the convolution becomes NAME + {@link #LINEAR}.
 */
public final class ChannelsLastActivations {
    /** The suffix of a convolution whose activation was moved out. */
    public static final String LINEAR = ":linear";

    private ChannelsLastActivations() {
    }

    /** Whether a layer is a channels-last convolution with an activation inside. */
    public static boolean needsSplit(org.deeplearning4j.nn.conf.layers.Layer layer) {
        return layer instanceof ConvolutionLayer c && c.getCnn2dDataFormat() == CNN2DFormat.NHWC
                && c.getActivationFn() != null && !(c.getActivationFn() instanceof ActivationIdentity);
    }

    /**
     * Splits one vertex of a configuration in place: NAME becomes the activation layer reading NAME:linear, the
     * convolution without activation. Returns the convolution's new name.
     */
    public static String split(ComputationGraphConfiguration conf, String name) {
        LayerVertex vertex = (LayerVertex) conf.getVertices().remove(name);
        List<String> inputs = conf.getVertexInputs().remove(name);
        ConvolutionLayer conv = (ConvolutionLayer) vertex.getLayerConf().getLayer();
        ActivationLayer activation = new ActivationLayer.Builder().activation(conv.getActivationFn()).build();
        activation.setLayerName(name);
        conv.setActivationFn(Activation.IDENTITY.getActivationFunction());
        String linear = name + LINEAR;
        conv.setLayerName(linear);
        conf.getVertices().put(linear, vertex);
        conf.getVertexInputs().put(linear, inputs);
        NeuralNetConfiguration activationConf = vertex.getLayerConf().clone();
        activationConf.setLayer(activation);
        conf.getVertices().put(name, new LayerVertex(activationConf, null));
        conf.getVertexInputs().put(name, new ArrayList<>(List.of(linear)));
        return linear;
    }

    /** The graph unchanged when no convolution needs it, else a copy with the activations split out. */
    public static ComputationGraph apply(ComputationGraph graph) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        Map<String, String> renamed = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : List.copyOf(conf.getVertices().entrySet())) {
            if (e.getValue() instanceof LayerVertex lv && needsSplit(lv.getLayerConf().getLayer())) {
                renamed.put(split(conf, e.getKey()), e.getKey());
            }
        }
        if (renamed.isEmpty()) {
            return graph;
        }
        ComputationGraph split = new ComputationGraph(conf);
        split.init();
        for (var layer : split.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            var source = graph.getLayer(renamed.getOrDefault(name, name));
            if (source != null && layer.numParams() > 0) {
                layer.setParams(source.params().dup());
            }
        }
        return split;
    }
}
