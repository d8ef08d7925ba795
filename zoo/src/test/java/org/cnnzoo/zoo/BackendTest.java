package org.cnnzoo.zoo;

import org.cnnzoo.zoo.models.ResNet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** oneDNN is really in use by default, and the thread setting that keeps a busy second core from costing 3x is set. */
class BackendTest {

    @Test
    void theOneDnnBuildIsLoaded() {
        Backend.init();
        assertEquals("-onednn", Backend.extension());
        assertTrue(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend").equalsIgnoreCase("CPU"));
        assertTrue(BaseMKLDNNHelper.mklDnnEnabled(), "DL4J does not see oneDNN: is the Nd4jCpu shim on the class path?");
    }

    @Test
    void convolutionBatchNormAndPoolingRunOnOneDnnHelpers() {
        ComputationGraph graph = ResNet.resnet18().optInput(64, 64, 3).optClasses(10).init();
        assertInstanceOf(MKLDNNConvHelper.class, graph.getLayer("conv1").getHelper());
        assertInstanceOf(MKLDNNBatchNormHelper.class, graph.getLayer("bn1").getHelper());
        assertInstanceOf(MKLDNNSubsamplingHelper.class, graph.getLayer("maxpool").getHelper());
    }

    @Test
    void oneDnnGivesTheSameInferenceAsDl4jsOwnKernels() {
        ComputationGraph withHelpers = ResNet.resnet18().optInput(64, 64, 3).optClasses(10).init();
        String previous = System.getProperty("org.eclipse.deeplearning4j.helpers.disable");
        ComputationGraph without;
        try {
            System.setProperty("org.eclipse.deeplearning4j.helpers.disable", "true");
            without = ResNet.resnet18().optInput(64, 64, 3).optClasses(10).init();
        } finally {
            System.setProperty("org.eclipse.deeplearning4j.helpers.disable", previous);
        }
        assertEquals(null, without.getLayer("conv1").getHelper());
        without.setParams(withHelpers.params());
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        INDArray a = withHelpers.outputSingle(input);
        INDArray b = without.outputSingle(input);
        assertTrue(a.equalsWithEps(b, 1e-5), "oneDNN and built-in outputs differ:\n" + a + "\n" + b);
    }

    @Test
    void openMpThreadsSleepInsteadOfSpinning() {
        // set by the build (surefire) and by ./cnnzoo; without it a busy second core costs 3x
        assertTrue(Backend.ompWaitPolicyIsPassive(), "OMP_WAIT_POLICY=PASSIVE is not set for this JVM");
    }
}
