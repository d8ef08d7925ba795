package org.cnnzoo.zoo.inference;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vectorised swish against ND4J's, on the arrays a network hands it: whole, in a workspace, views, doubles. */
class FastSwishTest {
    static double worst(INDArray fast, INDArray reference) {
        return fast.castTo(DataType.DOUBLE).sub(reference.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    @Test
    void equalsNd4jsSwish() {
        // the build runs tests with the Vector API module, as the launcher runs the command line
        assertTrue(FastSwish.vectorised(), "the JVM lacks --add-modules=jdk.incubator.vector");
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
        try (var ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "FastSwishTest")) {
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
}
