package org.cnnzoo.detection;

import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.models.LeNet5;
import org.cnnzoo.zoo.models.MobileNetV1;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlidingWindowsTest {

    @Test
    void theConvolutionalClassMapEqualsClassifyingEveryCrop() {
        ComputationGraph lenet = LeNet5.modern().optInput(28, 28, 1).optSeed(7).init();
        // LeNet-5 pools twice by 2: windows step 4 pixels; 28 + 4 x 5 by 28 + 4 x 3 gives a 6 x 4 map
        SlidingWindows windows = SlidingWindows.of(lenet, new InputShape(28, 28, 1), 48, 40);
        assertEquals(4, windows.stride());
        assertEquals(6, windows.rows());
        assertEquals(4, windows.columns());
        Nd4j.getRandom().setSeed(3);
        INDArray pictures = Nd4j.rand(DataType.FLOAT, 2, 1, 48, 40);
        INDArray map = windows.classMap(pictures);
        INDArray crops = windows.cropOneByOne(lenet, pictures);
        assertArrayEquals(new long[]{2, 10, 6, 4}, map.shape());
        double worst = Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.reduce.same.AMax(map.sub(crops)))
                .getDouble(0);
        assertTrue(worst < 1e-5, "the class map differs from the crops by up to " + worst);
        // probabilities over classes in every cell, not something that merely matches itself
        double off = map.sum(1).sub(1).amaxNumber().doubleValue();
        assertTrue(off < 1e-5, "class probabilities of a cell add up to 1 within " + off);
    }

    @Test
    void aClassifierThatPadsOrBranchesIsRefusedWithTheReason() {
        ComputationGraph mobilenet = MobileNetV1.mobilenetV1().optInput(32, 32, 3).optClasses(2).init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SlidingWindows.of(mobilenet, InputShape.rgb(32), 64, 64));
        assertTrue(e.getMessage().contains("pads"), e.getMessage());
        ComputationGraph lenet = LeNet5.modern().optInput(28, 28, 1).init();
        e = assertThrows(IllegalArgumentException.class, () -> SlidingWindows.of(lenet, new InputShape(28, 28, 1), 20, 40));
        assertTrue(e.getMessage().contains("smaller than the classifier's window 28x28"), e.getMessage());
    }
}
