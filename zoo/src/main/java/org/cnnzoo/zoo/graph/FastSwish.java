package org.cnnzoo.zoo.graph;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Swish, x sigmoid(x), computed in place by a vectorised kernel ({@link ActivationKernels}, the JDK's Vector API) where
 * the JVM has the {@code jdk.incubator.vector} module and the array is a whole float buffer; otherwise by ND4J, as
 * {@link ActivationSwish}. ND4J's swish runs one exponential at a time and was 45% of EfficientNet-B0's inference
 * (bench/RESULTS.md); its backward pass is vectorised the same way. The zoo's networks are built with it, and
 * inference rewrites put it in place of ND4J's swish in other networks.
 */
public final class FastSwish extends BaseActivationFunction {
    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        if (Vectors.takes(in)) {
            ActivationKernels.swish(in.data().asNio(), in.offset(), in.length());
            return in;
        }
        return new ActivationSwish().getActivation(in, training);
    }

    /** Overwrites {@code in}, as ND4J's activations do (DL4J hands them a copy of the layer's input). */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        if (Vectors.takes(in) && Vectors.takes(epsilon) && in.length() == epsilon.length()
                && java.util.Arrays.equals(in.shape(), epsilon.shape())) {
            ActivationKernels.swishBackward(in.data().asNio(), in.offset(), epsilon.data().asNio(), epsilon.offset(),
                    in.length());
            return new Pair<>(in, null);
        }
        return new ActivationSwish().backprop(in, epsilon);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FastSwish;
    }

    @Override
    public int hashCode() {
        return FastSwish.class.hashCode();
    }

    @Override
    public String toString() {
        return "swish";
    }
}
