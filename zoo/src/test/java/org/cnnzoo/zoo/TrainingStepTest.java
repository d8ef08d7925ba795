package org.cnnzoo.zoo;

import org.cnnzoo.zoo.models.GoogLeNet;
import org.cnnzoo.zoo.models.InceptionV3;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every network learns: one SGD step on one tiny random batch (2 images, 10 classes) at about the smallest input
 * the network accepts gives a finite loss lower than before.
 *
 * <p>The step is sized from the gradient: learning rate = 5% of the loss / |g|^2, so that to first order it removes
 * 5% of the loss. A fixed rate cannot serve all 24 networks: with tiny feature maps and a batch of 2, batch norm
 * makes some of them extremely steep (|g| in the hundreds for MobileNet v1 at 64x64, measured), and Adam's first
 * step moves every weight by its full rate whatever the gradient. A loss that then falls shows the gradients of
 * every vertex point downhill. The step and both loss evaluations draw the same dropout masks (same RNG seed).
 *
 * <p>Networks with batch norm get an input that leaves their last feature map at least 2x2: at 1x1 with a batch of
 * 2, each batch norm normalises two numbers and outputs +-1.
 */
class TrainingStepTest {
    private static final int CLASSES = 10;
    private static final double PREDICTED_DECREASE = 0.05;
    private static final long DROPOUT_SEED = 99;

    /** Input side per network: about the smallest that leaves batch norm at least 2x2 (LeNet-5: its own 32). */
    private static final Map<String, Integer> INPUT = Map.ofEntries(
            Map.entry("lenet5", 32), Map.entry("lenet5_1998", 32), Map.entry("alexnet", 64),
            Map.entry("vgg16", 32), Map.entry("vgg19", 32), Map.entry("inception_v3", 107));

    static Stream<Arguments> networks() {
        Stream<Arguments> zoo = Zoo.all().stream().map(e -> {
            int side = INPUT.getOrDefault(e.name(), 64);
            Architecture<?> arch = e.create();
            return Arguments.of(e.name(), arch.optInput(side, side, arch.channels()));
        });
        return Stream.concat(zoo, Stream.of(
                Arguments.of("googlenet+aux", GoogLeNet.googlenet().optAuxClassifiers(true).optInput(96, 96, 3)),
                Arguments.of("inception_v3+aux", InceptionV3.inceptionV3().optAuxClassifier(true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    @Timeout(240)
    void oneStepOnATinyBatchLowersTheLoss(String name, Architecture<?> arch) {
        double[] loss = step(arch, 1.0);
        assertTrue(Double.isFinite(loss[0]) && Double.isFinite(loss[1]), name + ": loss " + loss[0] + " -> " + loss[1]);
        assertTrue(loss[1] < loss[0], name + ": loss did not fall: " + loss[0] + " -> " + loss[1]
                + " with learning rate " + loss[2]);
    }

    /** Control: the same step uphill raises the loss, so the check above can fail. */
    @org.junit.jupiter.api.Test
    void theSameStepUphillRaisesTheLoss() {
        double[] loss = step(Zoo.get("resnet18").create().optInput(64, 64, 3), -1.0);
        assertTrue(loss[1] > loss[0], "ascent lowered the loss: " + loss[0] + " -> " + loss[1]);
    }

    /** One SGD step in the given direction (+1 descent, -1 ascent); returns loss before, after, learning rate. */
    private static double[] step(Architecture<?> arch, double direction) {
        ComputationGraph graph = arch.optClasses(CLASSES).optSeed(1).optUpdater(new Sgd(1e-3)).init();
        Nd4j.getRandom().setSeed(123);
        INDArray features = Nd4j.rand(DataType.FLOAT, 2, arch.channels(), arch.height(), arch.width());
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, CLASSES);
        labels.putScalar(0, 3, 1.0);
        labels.putScalar(1, 7, 1.0);
        int outputs = graph.getConfiguration().getNetworkOutputs().size();
        INDArray[] allLabels = new INDArray[outputs];
        java.util.Arrays.fill(allLabels, labels);
        MultiDataSet batch = new MultiDataSet(new INDArray[]{features}, allLabels);

        double before = trainingLoss(graph, batch);
        double learningRate = PREDICTED_DECREASE * before / squaredGradientNorm(graph, batch);
        graph.setLearningRate(direction * learningRate);
        Nd4j.getRandom().setSeed(DROPOUT_SEED);
        graph.fit(batch);
        return new double[]{before, trainingLoss(graph, batch), learningRate};
    }

    /** |g|^2 over trainable parameters (batch-norm running statistics are updated by averaging, not by gradient). */
    private static double squaredGradientNorm(ComputationGraph graph, MultiDataSet batch) {
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        Nd4j.getRandom().setSeed(DROPOUT_SEED);
        graph.computeGradientAndScore();
        double sum = 0;
        for (Map.Entry<String, INDArray> g : graph.gradient().gradientForVariable().entrySet()) {
            if (!g.getKey().endsWith("_mean") && !g.getKey().endsWith("_var")) {
                double norm = g.getValue().norm2Number().doubleValue();
                sum += norm * norm;
            }
        }
        assertTrue(sum > 0 && Double.isFinite(sum), "gradient norm " + sum);
        return sum;
    }

    private static double trainingLoss(ComputationGraph graph, MultiDataSet batch) {
        Nd4j.getRandom().setSeed(DROPOUT_SEED);
        return graph.score(batch, true);
    }
}
