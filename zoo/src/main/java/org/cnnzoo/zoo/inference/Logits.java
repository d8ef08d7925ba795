package org.cnnzoo.zoo.inference;

import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classifier's raw scores before softmax, as PyTorch models return them: DL4J's output layer applies its softmax
 * itself, so the logits are computed from the output layer's input, weights and bias.
 */
public final class Logits {
    private Logits() {
    }

    public static INDArray of(ComputationGraph graph, INDArray input) {
        String output = graph.getConfiguration().getNetworkOutputs().get(0);
        String feed = graph.getConfiguration().getVertexInputs().get(output).get(0);
        LayerVertex conf = (LayerVertex) graph.getConfiguration().getVertices().get(output);
        if (conf.getPreProcessor() != null) {
            throw new IllegalArgumentException("logits need a classifier fed with flat features; " + output
                    + " reshapes its input");
        }
        INDArray features = graph.feedForward(input, false).get(feed);
        var layer = graph.getLayer(output);
        return features.mmul(layer.getParam("W")).addRowVector(layer.getParam("b"));
    }
}
