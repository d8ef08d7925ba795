package org.cnnzoo.transfer;

import org.cnnzoo.datasets.EmbeddedFashionMnist;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.datasets.Part;
import org.cnnzoo.datasets.Signals;
import org.cnnzoo.zoo.models.Conv1dNet;
import org.cnnzoo.zoo.models.Conv3dNet;
import org.cnnzoo.zoo.summary.ModelSummary;
import org.cnnzoo.zoo.summary.Summarizer;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The course's 1D and 3D convolutions: the builder's networks have the summary's shapes and parameter counts (held
 * against DL4J's own), and both train on real images read as 1D and 3D data (Fashion-MNIST rows as sequences;
 * Fashion-MNIST pictures sliding across clips, labelled by direction), evaluated on clips and sequences of the
 * held-out test images.
 */
class OneAndThreeDimensionsTest {

    /** The summary's parameters and every vertex's shape against what DL4J computes on an example. */
    static void assertSummaryMatchesDl4j(ComputationGraphConfiguration conf, INDArray example, ModelSummary summary) {
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertEquals(graph.numParams(), summary.params().total());
        Map<String, INDArray> acts = graph.feedForward(example, false);
        for (var layer : summary.layers()) {
            long[] shape = acts.get(layer.name()).shape();
            long[] dl4j = java.util.Arrays.copyOfRange(shape, 1, shape.length);
            long[] ours = layer.shape().stream().mapToLong(Long::longValue).toArray();
            assertEquals(java.util.Arrays.toString(dl4j), java.util.Arrays.toString(ours), layer.name());
        }
    }

    /** One epoch in batches of examples drawn in an order from the seed (DL4J's list iterator cannot merge 5-d ones). */
    static void fitEpoch(ComputationGraph graph, DataSet data, int batch, long seed) {
        int n = data.numExamples();
        List<Long> order = new java.util.ArrayList<>();
        for (long i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        for (int start = 0; start < n; start += batch) {
            long[] rows = order.subList(start, Math.min(n, start + batch)).stream().mapToLong(Long::longValue).toArray();
            INDArray x = data.getFeatures().get(new org.nd4j.linalg.indexing.SpecifiedIndex(rows),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all());
            INDArray y = data.getLabels().get(new org.nd4j.linalg.indexing.SpecifiedIndex(rows),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            graph.fit(new DataSet(x, y));
        }
    }

    /** The examples in an order drawn from the seed (the list is a copy; the data set is left as it was). */
    static List<DataSet> shuffled(DataSet data, long seed) {
        List<DataSet> all = new java.util.ArrayList<>(data.asList());
        java.util.Collections.shuffle(all, new java.util.Random(seed));
        return all;
    }

    static double accuracy(ComputationGraph graph, DataSet test) {
        Evaluation e = new Evaluation();
        e.eval(test.getLabels(), graph.outputSingle(false, test.getFeatures()));
        return e.accuracy();
    }

    @Test
    @Timeout(600)
    void oneDimensionalNetworkReadsFashionRowsAsSequences() throws Exception {
        ComputationGraphConfiguration conf = Conv1dNet.build(28, 28, 10, 7, new Adam(2e-3));
        ModelSummary summary = Summarizer.of("conv1d", conf, InputType.recurrent(28, 28));
        // conv1d 3 x 28 -> 32: (3*28+1)*32 = 2,720; 3 x 32 -> 64: (3*32+1)*64 = 6,208; fc (64+1)*10 = 650
        assertEquals(2_720 + 6_208 + 650, summary.params().total());
        // multiply-adds: 28 steps x 32 x 84, 14 steps x 64 x 96, 64 x 10
        assertEquals(28L * 32 * 84 + 14L * 64 * 96 + 640, summary.macs());
        assertSummaryMatchesDl4j(conf, Nd4j.rand(2, 28, 28), summary);

        ImageSource train = EmbeddedFashionMnist.load(Part.TRAIN);
        ImageSource test = EmbeddedFashionMnist.load(Part.TEST);
        DataSet sequences = Signals.rows(train);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        double before = accuracy(graph, Signals.rows(test));
        for (int epoch = 0; epoch < 6; epoch++) {
            graph.fit(new ListDataSetIterator<>(shuffled(sequences, epoch), 32));
        }
        double after = accuracy(graph, Signals.rows(test));
        System.err.printf("1D: Fashion-MNIST rows, test accuracy %.3f before training, %.3f after%n", before, after);
        assertTrue(after > 0.70, "test accuracy " + after);
    }

    @Test
    @Timeout(900)
    void threeDimensionalNetworkTellsWhichWayAPictureSlides() throws Exception {
        ComputationGraphConfiguration conf = Conv3dNet.build(6, 28, 28, 1, 4, 7, new Adam(2e-3));
        InputType input = InputType.convolutional3D(org.deeplearning4j.nn.conf.layers.Convolution3D.DataFormat.NCDHW,
                6, 28, 28, 1);
        ModelSummary summary = Summarizer.of("conv3d", conf, input);
        // 3x3x3 x 1 -> 8: (27+1)*8 = 224; 3x3x3 x 8 -> 16: (216+1)*16 = 3,472; fc (16+1)*4 = 68
        assertEquals(224 + 3_472 + 68, summary.params().total());
        assertEquals(List.of(16L, 3L, 7L, 7L), summary.layer("features.3").shape());
        assertSummaryMatchesDl4j(conf, Nd4j.rand(2, 1, 6, 28, 28), summary);

        // every second training image, and the first 400 test images (40 per class)
        ImageSource train = EmbeddedFashionMnist.load(Part.TRAIN).subset(java.util.stream.IntStream.range(0, 1500).map(i -> i * 2).toArray());
        ImageSource test = EmbeddedFashionMnist.load(Part.TEST).subset(java.util.stream.IntStream.range(0, 400).toArray());
        DataSet clips = Signals.motionClips(train, 6, 2, 1);
        DataSet testClips = Signals.motionClips(test, 6, 2, 2);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        double before = accuracy(graph, testClips);
        for (int epoch = 0; epoch < 4; epoch++) {
            fitEpoch(graph, clips, 32, epoch);
        }
        double after = accuracy(graph, testClips);
        System.err.printf("3D: sliding Fashion-MNIST clips, test accuracy %.3f before training, %.3f after%n", before, after);
        assertTrue(after > 0.9, "test accuracy " + after);
    }
}
