package org.cnnzoo.zoo.inference;

import org.cnnzoo.zoo.Architecture;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.graph.NchwToNhwc;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrozenFeaturesTest {

    /** f(x) = sum over layers of sum(w_l * a_l(x)^2) / 2, with its gradient with respect to each activation. */
    static double objective(INDArray[] acts, INDArray[] weights, INDArray[] gradients) {
        double f = 0;
        for (int i = 0; i < acts.length; i++) {
            f += acts[i].mul(acts[i]).muli(weights[i]).sumNumber().doubleValue() / 2;
            if (gradients != null) {
                gradients[i] = acts[i].mul(weights[i]);
            }
        }
        return f;
    }

    /**
     * The input gradient through networks with batch norms (random running statistics, so that DL4J's own
     * minibatch-statistics backward pass would be wrong), residual additions, and chosen layers that feed each
     * other, matches central finite differences in double precision.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet18|layer1.0.bn2,layer2.1.relu,layer1.0.conv1", "mobilenet_v2|features.3.conv.2,features.5.conv.1,features.2.conv.0"})
    void inputGradientMatchesFiniteDifferences(String spec) {
        String[] parts = spec.split("\\|");
        Architecture<?> arch = Zoo.get(parts[0]).create().optSeed(5).optInput(32, 32, 3);
        ComputationGraph net = arch.init();
        InferenceGraphTest.randomiseBatchNorms(net, 9);
        net = net.convertDataType(DataType.DOUBLE);
        List<String> layers = List.of(parts[1].split(","));
        FrozenFeatures features = FrozenFeatures.of(net, layers);

        Nd4j.getRandom().setSeed(13);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 32, 32).subi(0.5).muli(2);
        INDArray[] acts = features.forward(x);
        INDArray[] expected = net.output(layers, false, new INDArray[]{x}, null);
        INDArray[] weights = new INDArray[acts.length];
        for (int i = 0; i < acts.length; i++) {
            assertArrayEquals(expected[i].shape(), acts[i].shape(), layers.get(i));
            assertTrue(expected[i].sub(acts[i]).amaxNumber().doubleValue() < 1e-9, layers.get(i));
            weights[i] = Nd4j.rand(DataType.DOUBLE, acts[i].shape());
        }
        INDArray[] grads = new INDArray[acts.length];
        objective(acts, weights, grads);
        INDArray gradient = features.backward(grads).dup();
        assertArrayEquals(x.shape(), gradient.shape());

        Random random = new Random(17);
        double h = 1e-5;
        for (int k = 0; k < 12; k++) {
            long[] at = {0, random.nextInt(3), random.nextInt(32), random.nextInt(32)};
            double v = x.getDouble(at);
            x.putScalar(at, v + h);
            double up = objective(features.forward(x), weights, null);
            x.putScalar(at, v - h);
            double down = objective(features.forward(x), weights, null);
            x.putScalar(at, v);
            double numeric = (up - down) / (2 * h);
            double analytic = gradient.getDouble(at);
            assertEquals(numeric, analytic, 1e-6 * Math.max(1, Math.abs(numeric)),
                    parts[0] + " at " + Arrays.toString(at));
        }
    }

    /** A channels-last network (as imported from Keras) gives channels-first activations and takes such gradients. */
    @Test
    void channelsLastNetworksSpeakChannelsFirst() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("input").setInputTypes(InputType.convolutional(8, 8, 3, CNN2DFormat.NHWC))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false)
                        .dataFormat(CNN2DFormat.NHWC).activation(Activation.IDENTITY).build(), "input")
                .addLayer("bn", new BatchNormalization.Builder().dataFormat(CNN2DFormat.NHWC).build(), "conv")
                .addLayer("pool", new SubsamplingLayer.Builder(2, 2).stride(2, 2).dataFormat(CNN2DFormat.NHWC)
                        .build(), "bn")
                .setOutputs("pool").build();
        NchwToNhwc.insertAtInput(conf);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        InferenceGraphTest.randomiseBatchNorms(net, 3);
        FrozenFeatures features = FrozenFeatures.of(net, List.of("bn", "pool"));
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 8, 8);
        INDArray[] acts = features.forward(x);
        assertArrayEquals(new long[]{1, 4, 6, 6}, acts[0].shape());
        assertArrayEquals(new long[]{1, 4, 3, 3}, acts[1].shape());
        INDArray expected = net.outputSingle(false, x).permute(0, 3, 1, 2);
        assertTrue(expected.sub(acts[1]).amaxNumber().doubleValue() < 1e-9);

        INDArray w = Nd4j.rand(DataType.DOUBLE, acts[0].shape());
        INDArray gradient = features.backward(w, null).dup();
        long[] at = {0, 1, 4, 5};
        double h = 1e-5;
        double v = x.getDouble(at);
        x.putScalar(at, v + h);
        double up = features.forward(x)[0].mul(w).sumNumber().doubleValue();
        x.putScalar(at, v - h);
        double down = features.forward(x)[0].mul(w).sumNumber().doubleValue();
        assertEquals((up - down) / (2 * h), gradient.getDouble(at), 1e-7);
    }

    /**
     * A channels-last convolution with its ReLU inside (as Keras' Conv2D(activation='relu') imports): in float,
     * where DL4J runs it through oneDNN, the gradient is the float64 one's (DL4J's own fused backward pass is 97%
     * off there).
     */
    @Test
    void channelsLastConvolutionsWithTheirActivationInside() {
        org.cnnzoo.zoo.Backend.init();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("input").setInputTypes(InputType.convolutional(16, 16, 3, CNN2DFormat.NHWC))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .activation(Activation.RELU).build(), "input")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC)
                        .activation(Activation.RELU).build(), "conv")
                .setOutputs("conv2").build();
        NchwToNhwc.insertAtInput(conf);
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        net.params().muli(3);
        List<String> layers = List.of("conv", "conv2");
        FrozenFeatures exact = FrozenFeatures.of(net, layers);
        FrozenFeatures single = FrozenFeatures.of(net.convertDataType(DataType.FLOAT), layers);
        assertEquals(List.of("2 activations taken out of channels-last convolutions"), single.notes());
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 16, 16);
        INDArray[] acts = exact.forward(x);
        INDArray[] w = {Nd4j.rand(DataType.DOUBLE, acts[0].shape()), Nd4j.rand(DataType.DOUBLE, acts[1].shape())};
        INDArray expected = exact.backward(w).dup();
        INDArray[] singleActs = single.forward(x.castTo(DataType.FLOAT));
        assertTrue(acts[1].sub(singleActs[1].castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-4);
        INDArray actual = single.backward(w[0].castTo(DataType.FLOAT), w[1].castTo(DataType.FLOAT)).castTo(DataType.DOUBLE);
        double relative = expected.sub(actual).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertTrue(relative < 1e-5, "float gradient off by " + relative);
    }

    @Test
    void namesWhatItCannotUse() {
        ComputationGraph net = Zoo.get("resnet18").create().optInput(32, 32, 3).init();
        var unknown = assertThrows(IllegalArgumentException.class, () -> FrozenFeatures.of(net, List.of("layer9")));
        assertTrue(unknown.getMessage().contains("layer9"), unknown.getMessage());
        String output = net.getConfiguration().getNetworkOutputs().get(0);
        var head = assertThrows(IllegalArgumentException.class, () -> FrozenFeatures.of(net, List.of(output)));
        assertTrue(head.getMessage().contains("hidden layer"), head.getMessage());
        assertEquals(List.of("layer1.0.conv1"), FrozenFeatures.of(net, List.of("layer1.0.conv1")).layers());
    }
}
