package org.cnnzoo.zoo.graph;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLU6, min(max(x, 0), 6), with its backward pass in place on the JDK's Vector API ({@link ActivationKernels})
 * where the JVM has the module and the arrays are whole float buffers; otherwise ND4J's {@link ActivationReLU6}.
 * ND4J's relu6_bp took 30% of MobileNet v2's training step (bench/RESULTS.md). The zoo's networks are built with it.
 */
public final class FastRelu6 extends BaseActivationFunction {
    /** ND4J's: as fast as the kernel (measured), so only the backward pass has one. */
    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return new ActivationReLU6().getActivation(in, training);
    }

    /** Overwrites {@code in}, as ND4J's activations do (DL4J hands them a copy of the layer's input). */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        if (Vectors.takes(in) && Vectors.takes(epsilon) && in.length() == epsilon.length()
                && java.util.Arrays.equals(in.shape(), epsilon.shape())) {
            ActivationKernels.relu6Backward(in.data().asNio(), in.offset(), epsilon.data().asNio(), epsilon.offset(),
                    in.length());
            return new Pair<>(in, null);
        }
        return new ActivationReLU6().backprop(in, epsilon);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FastRelu6;
    }

    @Override
    public int hashCode() {
        return FastRelu6.class.hashCode();
    }

    @Override
    public String toString() {
        return "relu6";
    }
}
