package org.cnnzoo.zoo.graph;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.BaseInputPreProcessor;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * Turns channels-first images (N, C, H, W) into channels-last (N, H, W, C), and gradients back. DL4J's own
 * PermutePreprocessor applies the same permutation in both directions, which is wrong for the gradient.
 */
public class NchwToNhwc extends BaseInputPreProcessor {

    /**
     * Makes a channels-last network take channels-first images: each layer reading the network's single input
     * permutes it first (a vertex added in front would be lost by DL4J's TransferLearning builder).
     */
    public static void insertAtInput(ComputationGraphConfiguration conf) {
        if (conf.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("only networks with one image input can take channels-first images");
        }
        String input = conf.getNetworkInputs().get(0);
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (!e.getValue().contains(input)) {
                continue;
            }
            if (!(conf.getVertices().get(e.getKey()) instanceof LayerVertex reader)) {
                throw new IllegalArgumentException("the input of this network goes straight into " + e.getKey()
                        + ", which is not a layer; it cannot take channels-first images");
            }
            InputPreProcessor own = reader.getPreProcessor();
            // an input transform works on channels-first images, so it goes before the permutation
            reader.setPreProcessor(own == null ? new NchwToNhwc() : own instanceof ChannelAffine
                    ? new ComposableInputPreProcessor(own, new NchwToNhwc())
                    : new ComposableInputPreProcessor(new NchwToNhwc(), own));
        }
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, input.permute(0, 2, 3, 1), 'c');
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, output.permute(0, 3, 1, 2), 'c');
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) inputType;
        return InputType.convolutional(in.getHeight(), in.getWidth(), in.getChannels(), CNN2DFormat.NHWC);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NchwToNhwc;
    }

    @Override
    public int hashCode() {
        return NchwToNhwc.class.hashCode();
    }
}
