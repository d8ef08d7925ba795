package org.cnnzoo.zoo.inference;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Swish, x sigmoid(x), computed in place by a vectorised kernel ({@link SwishKernel}, the JDK's Vector API) where
 * the JVM has the {@code jdk.incubator.vector} module and the array is a whole float buffer; otherwise by ND4J, as
 * {@link ActivationSwish}. ND4J's swish runs one exponential at a time and was 45% of EfficientNet-B0's inference
 * (bench/RESULTS.md). The backward pass is ND4J's: this is an inference rewrite.
 */
public final class FastSwish extends BaseActivationFunction {
    /** Whether this JVM runs the vectorised kernel (started with {@code --add-modules jdk.incubator.vector}). */
    public static boolean vectorised() {
        return Holder.AVAILABLE;
    }

    private static final class Holder {
        static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        if (Holder.AVAILABLE && in.dataType() == DataType.FLOAT && !in.isView()
                && in.offset() + in.length() < Integer.MAX_VALUE / 4) {
            SwishKernel.inPlace(in.data().asNio(), in.offset(), in.length());
            return in;
        }
        return new ActivationSwish().getActivation(in, training);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
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
