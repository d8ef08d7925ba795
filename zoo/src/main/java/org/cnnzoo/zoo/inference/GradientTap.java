package org.cnnzoo.zoo.inference;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.BaseInputPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.ComposableInputPreProcessor;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * A preprocessor that passes activations through unchanged and, on the way back, copies the error it sees out of
 * DL4J's workspaces: placed where the layers read the network's input, it catches the gradient with respect to
 * the input, summed over every reader. Copies of the tap (DL4J clones configurations) share what they catch.
 */
final class GradientTap extends BaseInputPreProcessor {
    private static final class Caught {
        INDArray sum;
    }

    private final transient Caught caught;

    private GradientTap(Caught caught) {
        this.caught = caught;
    }

    /** Taps the input of every layer that reads the network's single input. */
    static GradientTap applyAtInput(ComputationGraphConfiguration conf) {
        GradientTap tap = new GradientTap(new Caught());
        String input = conf.getNetworkInputs().get(0);
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (!e.getValue().contains(input)) {
                continue;
            }
            if (!(conf.getVertices().get(e.getKey()) instanceof LayerVertex reader)) {
                throw new IllegalArgumentException("the input goes straight into " + e.getKey() + ", not a layer:"
                        + " its gradient cannot be read there");
            }
            InputPreProcessor own = reader.getPreProcessor();
            reader.setPreProcessor(own == null ? tap.clone() : new ComposableInputPreProcessor(tap.clone(), own));
        }
        return tap;
    }

    void reset() {
        caught.sum = null;
    }

    /** The summed error that reached the input in the latest backward pass, or null. */
    INDArray gradient() {
        return caught.sum;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return input;
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            caught.sum = caught.sum == null ? output.dup() : caught.sum.addi(output);
        }
        return output;
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return inputType;
    }

    @Override
    public GradientTap clone() {
        return new GradientTap(caught);
    }
}
