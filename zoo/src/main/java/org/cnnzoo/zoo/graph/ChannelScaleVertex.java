package org.cnnzoo.zoo.graph;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;

/**
 * x * s for x of shape [N,C,H,W] and s of shape [N,C,1,1]: the rescaling step of squeeze-and-excitation.
 *
 * <p>DL4J's element-wise product already broadcasts at run time (forward and backward), but its configuration
 * rejects inputs of different spatial sizes. This vertex accepts exactly the squeeze-excite case and is otherwise
 * DL4J's product vertex.
 */
public class ChannelScaleVertex extends ElementWiseVertex {

    public ChannelScaleVertex() {
        super(Op.Product);
    }

    @Override
    public ChannelScaleVertex clone() {
        return new ChannelScaleVertex();
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 2 || !(inputs[0] instanceof InputType.InputTypeConvolutional x)
                || !(inputs[1] instanceof InputType.InputTypeConvolutional s)) {
            throw new InvalidInputTypeException("channel scale needs a [C,H,W] input and a [C,1,1] scale");
        }
        if (s.getChannels() != x.getChannels() || s.getHeight() != 1 || s.getWidth() != 1) {
            throw new InvalidInputTypeException("channel scale: scale " + s + " does not match input " + x);
        }
        return x;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelScaleVertex;
    }

    @Override
    public int hashCode() {
        return ChannelScaleVertex.class.hashCode();
    }
}
