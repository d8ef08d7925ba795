package org.cnnzoo.faces.metric;

import org.cnnzoo.transfer.TransferGraph;
import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.build.Stages;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An embedding network on any backbone: the backbone up to its features (the classifier's input, or a named stage or
 * vertex, pooled if it is still a grid), a dense layer to the embedding's size, and the objective it is trained with:
 * <ul>
 *   <li>a metric loss (triplet, contrastive) on the L2-normalised embedding, so that embeddings lie on the unit
 *   sphere as FaceNet's do;</li>
 *   <li>or, as the baseline a metric loss must beat, a softmax classifier over the training classes fed by the
 *   embedding layer (the classifier's penultimate features);</li>
 *   <li>or both, trained together.</li>
 * </ul>
 * Either way the embedding is the activation of {@link #EMBEDDING}, normalised to unit length when read.
 */
public final class EmbeddingNetwork {
    public static final String POOL = "embedding.pool";
    public static final String EMBEDDING = "embedding";
    public static final String NORMALISED = "embedding.l2";
    public static final String LOSS = "embedding.loss";
    public static final String CLASSIFIER = "embedding.classifier";

    private EmbeddingNetwork() {
    }

    /** The network and the backbone vertex its embedding is computed from. */
    public record Built(ComputationGraph graph, String features) {
    }

    /**
     * @param features    a stage or vertex of the backbone, or null for the input of its classifier (its last layer;
     *                    for imported models, of the chain of dense layers that ends it)
     * @param ownInput    the input the backbone was built for (to read the activation's shape there)
     * @param metric      the metric loss, or null
     * @param classifier  whether a softmax classifier over {@code classes} is trained on the embedding (beside the
     *                    metric loss, or alone)
     * @param frozenUntil a stage or vertex of the backbone up to which nothing is trained, or null
     */
    public static Built build(ComputationGraph backbone, Stages stages, String features, boolean imported,
                              InputShape ownInput, int size, ILossFunction metric, boolean classifier, int classes,
                              String frozenUntil,
                              IUpdater updater, long seed) {
        if (backbone.getConfiguration().getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("an embedding's backbone needs one input");
        }
        if (size < 2) {
            throw new IllegalArgumentException("an embedding needs at least 2 dimensions, got " + size);
        }
        String cut = features != null ? TransferGraph.resolve(backbone, stages, features)
                : imported ? TransferGraph.withoutClassifier(backbone).featureVertex() : TransferGraph.penultimate(backbone);
        Map<String, InputType> types = backbone.getConfiguration().getLayerActivationTypes(
                InputType.convolutional(ownInput.height(), ownInput.width(), ownInput.channels()));
        InputType type = types.get(cut);
        Set<String> keep = TransferGraph.ancestors(backbone, cut);
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(backbone)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(updater).seed(seed).build());
        for (String v : backbone.getConfiguration().getVertices().keySet()) {
            if (!keep.contains(v)) {
                b.removeVertexAndConnections(v);
            }
        }
        String from = cut;
        long width;
        if (type instanceof InputType.InputTypeConvolutional conv) {
            // imported TensorFlow networks keep their activations channels-last inside
            int[] spatial = conv.getFormat() == org.deeplearning4j.nn.conf.CNN2DFormat.NHWC ? new int[]{1, 2}
                    : new int[]{2, 3};
            b.addLayer(POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).poolingDimensions(spatial).build(), cut);
            from = POOL;
            width = conv.getChannels();
        } else if (type instanceof InputType.InputTypeFeedForward flat) {
            width = flat.getSize();
        } else {
            throw new IllegalArgumentException("the backbone's " + cut + " gives " + type + ", neither a grid nor a"
                    + " vector of features; name another stage or vertex");
        }
        b.addLayer(EMBEDDING, new DenseLayer.Builder().nIn(width).nOut(size).activation(Activation.IDENTITY)
                .weightInit(WeightInit.XAVIER).build(), from);
        head(b, metric, classifier, size, classes);
        if (frozenUntil != null) {
            String frozen = TransferGraph.resolve(backbone, stages, frozenUntil);
            if (!keep.contains(frozen)) {
                throw new IllegalArgumentException("--freeze-until " + frozenUntil + " is not below the features at "
                        + cut);
            }
            b.setFeatureExtractor(frozen);
        }
        return new Built(b.build(), cut);
    }

    /**
     * A trained embedding network (backbone and embedding layer, as {@link #build} made it) with its objective
     * replaced: to train a softmax classifier's encoding further with a metric loss, for instance. The backbone and
     * the embedding layer keep their parameters; the new objective's layers are initialised from {@code seed}.
     */
    public static ComputationGraph rehead(ComputationGraph trained, ILossFunction metric, boolean classifier,
                                          int classes, IUpdater updater, long seed) {
        if (trained.getLayer(EMBEDDING) == null) {
            throw new IllegalArgumentException("the network has no '" + EMBEDDING + "' layer: not an embedding network");
        }
        int size = (int) ((DenseLayer) trained.getLayer(EMBEDDING).conf().getLayer()).getNOut();
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(trained)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(updater).seed(seed).build());
        for (String v : List.of(LOSS, NORMALISED, CLASSIFIER)) {
            if (trained.getConfiguration().getVertices().containsKey(v)) {
                b.removeVertexAndConnections(v);
            }
        }
        head(b, metric, classifier, size, classes);
        return b.build();
    }

    /**
     * The objective above the embedding layer: a normalisation and the metric loss, a softmax classifier, or both
     * (outputs in that order).
     */
    private static void head(TransferLearning.GraphBuilder b, ILossFunction metric, boolean classifier, int size,
                             int classes) {
        if (metric == null && !classifier) {
            throw new IllegalArgumentException("an embedding needs a metric loss, a classifier or both");
        }
        List<String> outputs = new java.util.ArrayList<>();
        if (metric != null) {
            b.addVertex(NORMALISED, new L2NormalizeVertex(), EMBEDDING);
            b.addLayer(LOSS, new LossLayer.Builder().lossFunction(metric).activation(Activation.IDENTITY).build(),
                    NORMALISED);
            outputs.add(LOSS);
        }
        if (classifier) {
            if (classes < 2) {
                throw new IllegalArgumentException("a softmax classifier needs at least 2 training classes");
            }
            b.addLayer(CLASSIFIER, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(size).nOut(classes)
                    .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), EMBEDDING);
            outputs.add(CLASSIFIER);
        }
        b.setOutputs(outputs.toArray(String[]::new));
    }
}
