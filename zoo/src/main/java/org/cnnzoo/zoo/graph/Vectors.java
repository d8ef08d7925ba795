package org.cnnzoo.zoo.graph;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether this JVM has the JDK's Vector API ({@code jdk.incubator.vector}, added by {@code --add-modules}); the
 * project's vectorised kernels are loaded only when it does, and ND4J's ops run otherwise.
 */
public final class Vectors {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Vectors() {
    }

    public static boolean available() {
        return AVAILABLE;
    }

    /** Whether a kernel may run on the array: a whole float buffer in C order, read as a flat run of floats. */
    static boolean takes(INDArray a) {
        return AVAILABLE && a.dataType() == DataType.FLOAT && !a.isView() && a.ordering() == 'c'
                && a.offset() + a.length() < Integer.MAX_VALUE / 4;
    }
}
