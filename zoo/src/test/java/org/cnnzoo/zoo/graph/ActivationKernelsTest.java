package org.cnnzoo.zoo.graph;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vectorised swish and ReLU6 against ND4J's, forward and backward, on the arrays a network hands them: whole, in a
 * workspace, views, doubles.
 */
class ActivationKernelsTest {
    static double worst(INDArray fast, INDArray reference) {
        return fast.castTo(DataType.DOUBLE).sub(reference.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    @Test
    void equalsNd4jsSwish() {
        // the build runs tests with the Vector API module, as the launcher runs the command line
        assertTrue(Vectors.available(), "the JVM lacks --add-modules=jdk.incubator.vector");
        Nd4j.getRandom().setSeed(5);
        // 1M + 3 elements: many parallel chunks and a scalar tail; values well past where sigmoid saturates
        for (long n : new long[]{7, 1_000_003}) {
            INDArray x = Nd4j.randn(DataType.FLOAT, n).muli(20);
            x.putScalar(0, Float.NaN);
            x.putScalar(1, -200f);
            INDArray reference = new ActivationSwish().getActivation(x.dup(), false);
            INDArray in = x.dup();
            INDArray out = new FastSwish().getActivation(in, false);
            assertSame(in, out, "computed in place");
            assertTrue(Float.isNaN(out.getFloat(0)));
            out.putScalar(0, 0f);
            reference.putScalar(0, 0f);
            assertEquals(0, worst(out, reference), 2e-5, "n=" + n);
        }
        // an NHWC activation allocated in a workspace, as inside a network
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().initialSize(64L << 20).build();
        try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "ActivationKernelsTest")) {
            Nd4j.create(DataType.FLOAT, 1000);                      // not at the workspace's start
            INDArray x = Nd4j.randn(DataType.FLOAT, 2, 7, 7, 33).muli(4);
            INDArray reference = new ActivationSwish().getActivation(x.dup(), false);
            assertEquals(0, worst(new FastSwish().getActivation(x, false), reference), 2e-6);
        }
        // a view and a double array take ND4J's path, with the same values
        INDArray matrix = Nd4j.randn(DataType.FLOAT, 6, 10);
        INDArray column = matrix.getColumn(3);
        INDArray reference = new ActivationSwish().getActivation(column.dup(), false);
        assertEquals(0, worst(new FastSwish().getActivation(column, false), reference), 1e-7);
        INDArray doubles = Nd4j.randn(DataType.DOUBLE, 50);
        assertEquals(0, worst(new FastSwish().getActivation(doubles.dup(), false),
                new ActivationSwish().getActivation(doubles.dup(), false)), 1e-12);
    }

    @Test
    void backwardEqualsNd4jsSwish() {
        assertTrue(Vectors.available(), "the JVM lacks --add-modules=jdk.incubator.vector");
        Nd4j.getRandom().setSeed(6);
        for (long n : new long[]{7, 1_000_003}) {
            INDArray x = Nd4j.randn(DataType.FLOAT, n).muli(20);
            x.putScalar(1, -200f);
            INDArray dy = Nd4j.randn(DataType.FLOAT, n);
            INDArray reference = new ActivationSwish().backprop(x.dup(), dy).getFirst();
            INDArray in = x.dup();
            INDArray dx = new FastSwish().backprop(in, dy).getFirst();
            assertSame(in, dx, "computed in place");
            assertEquals(0, worst(dx, reference), 2e-5, "n=" + n);
        }
        // a gradient that is a view takes ND4J's path, with the same values
        INDArray x = Nd4j.randn(DataType.FLOAT, 6, 10);
        INDArray dy = Nd4j.randn(DataType.FLOAT, 10, 6).transpose();
        INDArray reference = new ActivationSwish().backprop(x.dup(), dy.dup()).getFirst();
        assertEquals(0, worst(new FastSwish().backprop(x.dup(), dy).getFirst(), reference), 1e-7);
    }

    @Test
    void relu6EqualsNd4jsForwardAndBackward() {
        assertTrue(Vectors.available(), "the JVM lacks --add-modules=jdk.incubator.vector");
        Nd4j.getRandom().setSeed(8);
        for (long n : new long[]{7, 1_000_003}) {
            // values around both kinks, and exactly on them
            INDArray x = Nd4j.randn(DataType.FLOAT, n).muli(5).addi(3);
            x.putScalar(0, 0f);
            x.putScalar(1, 6f);
            INDArray dy = Nd4j.randn(DataType.FLOAT, n);
            INDArray in = x.dup();
            INDArray out = new FastRelu6().getActivation(in, true);
            assertSame(in, out, "computed in place");
            assertEquals(0, worst(out, new ActivationReLU6().getActivation(x.dup(), true)), 0, "forward n=" + n);
            INDArray grad = x.dup();
            assertSame(grad, new FastRelu6().backprop(grad, dy).getFirst());
            assertEquals(0, worst(grad, new ActivationReLU6().backprop(x.dup(), dy).getFirst()), 0, "backward n=" + n);
        }
    }

    /** ReLU's and ReLU6's backward pass from the output, into a third array, equal to ND4J's from the input. */
    @Test
    void reluBackwardFromTheOutputEqualsNd4jsFromTheInput() {
        Nd4j.getRandom().setSeed(9);
        for (long n : new long[]{5, 1_000_003}) {
            INDArray x = Nd4j.randn(DataType.FLOAT, n).muli(5).addi(3);
            x.putScalar(0, 0f);
            x.putScalar(1, 6f);
            INDArray dy = Nd4j.randn(DataType.FLOAT, n);
            for (boolean six : new boolean[]{false, true}) {
                INDArray y = six ? new FastRelu6().getActivation(x.dup(), true)
                        : new org.nd4j.linalg.activations.impl.ActivationReLU().getActivation(x.dup(), true);
                INDArray out = Nd4j.createUninitialized(DataType.FLOAT, n);
                INDArray dyBefore = dy.dup();
                ActivationKernels.reluBackward(y.data().asNio(), y.offset(), dy.data().asNio(), dy.offset(),
                        out.data().asNio(), out.offset(), n, six);
                INDArray expected = six ? new ActivationReLU6().backprop(x.dup(), dy.dup()).getFirst()
                        : new org.nd4j.linalg.activations.impl.ActivationReLU().backprop(x.dup(), dy.dup()).getFirst();
                assertEquals(0, worst(out, expected), 0, "six=" + six + " n=" + n);
                assertEquals(0, worst(dy, dyBefore), 0, "the incoming gradient is left as it was");
            }
        }
    }
}
