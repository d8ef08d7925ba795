package org.cnnzoo.zoo.graph;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.common.primitives.Pair;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;

/**
 * x * s for x of shape [N,C,H,W] and s of shape [N,C,1,1]: the rescaling step of squeeze-and-excitation.
 *
 * <p>DL4J's element-wise product already broadcasts at run time (forward and backward), but its configuration
 * rejects inputs of different spatial sizes. This vertex accepts exactly the squeeze-excite case and is otherwise
 * DL4J's product vertex, but for its forward pass: DL4J's copies x into the output and then multiplies in place (a
 * whole extra pass over the largest activations of EfficientNet, bench/RESULTS.md); this one multiplies into the
 * output directly, with the same multiply op, so values are identical; its backward pass likewise skips DL4J's
 * broadcast copy of s.
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
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        return new Impl(graph, name, idx, networkDatatype);
    }

    /** DL4J's product vertex with passes that broadcast s inside the multiply instead of copying it. */
    static final class Impl extends org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex {
        /**
         * DL4J's backward pass, still taken for mixed data types, reads how many inputs the forward pass had from this
         * private field, which only its own forward pass sets; set here to the same value (2).
         */
        private static final Field INPUTS_IN_FORWARD_PASS;

        static {
            try {
                INPUTS_IN_FORWARD_PASS = org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex.class
                        .getDeclaredField("nInForwardPass");
                INPUTS_IN_FORWARD_PASS.setAccessible(true);
            } catch (NoSuchFieldException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        Impl(ComputationGraph graph, String name, int index, DataType dataType) {
            super(graph, name, index, null, null, Op.Product, dataType);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoForward() || inputs.length != 2 || inputs[0].dataType() != dataType
                    || inputs[1].dataType() != dataType) {
                return super.doForward(training, workspaceMgr);
            }
            long[] shape = inputs[0].equalShapes(inputs[1]) ? inputs[0].shape()
                    : Shape.broadcastOutputShape(inputs[0].shape(), inputs[1].shape());
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape);
            Nd4j.exec(new MulOp(new INDArray[]{inputs[0], inputs[1]}, new INDArray[]{out}));
            try {
                INPUTS_IN_FORWARD_PASS.setInt(this, 2);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            return out;
        }

        /**
         * d(x s)/dx = dy s (broadcast) and d(x s)/ds = dy x summed over the spatial axes. DL4J's backward pass first
         * materialises s at x's full size with libnd4j's broadcast_to, which took 43% of EfficientNet-B0's training
         * step (about 100 ms a call, bench/RESULTS.md); the multiply op broadcasts by itself.
         */
        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoBackward() || inputs.length != 2 || epsilon.dataType() != dataType
                    || inputs[0].dataType() != dataType || inputs[1].dataType() != dataType) {
                return super.doBackward(tbptt, workspaceMgr);
            }
            INDArray[] gradients = new INDArray[2];
            for (int i = 0; i < 2; i++) {
                INDArray other = inputs[1 - i];
                if (inputs[i].equalShapes(epsilon)) {
                    gradients[i] = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, epsilon.shape());
                    Nd4j.exec(new MulOp(new INDArray[]{epsilon, other}, new INDArray[]{gradients[i]}));
                } else {
                    INDArray product = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, epsilon.shape());
                    Nd4j.exec(new MulOp(new INDArray[]{epsilon, other}, new INDArray[]{product}));
                    int[] summed = Shape.getBroadcastDimensions(inputs[i].shape(), epsilon.shape());
                    try (MemoryWorkspace ignored = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
                        gradients[i] = product.sum(true, summed);
                    }
                }
            }
            return new Pair<>(null, gradients);
        }
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
