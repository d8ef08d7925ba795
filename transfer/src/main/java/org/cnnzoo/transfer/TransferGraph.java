package org.cnnzoo.transfer;

import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.cnnzoo.zoo.build.Stages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a trained network into one for new classes: the old classifier is replaced by a new {@link Head}, and
 * everything up to a chosen vertex (or block) is frozen. Frozen layers keep their parameters and run in inference
 * mode (batch norm uses its running statistics); the frozen state is part of the configuration, so it survives
 * saving and loading. Works for any single-input ComputationGraph: zoo networks and imported models alike.
 */
public final class TransferGraph {
    /** The name of the new classifier layer. */
    public static final String OUTPUT = "head.out";

    private TransferGraph() {
    }

    /** The vertex whose activations feed the classifier: the output layer's input, skipping dropout. */
    public static String penultimate(ComputationGraph graph) {
        String output = graph.getConfiguration().getNetworkOutputs().get(0);
        String vertex = graph.getConfiguration().getVertexInputs().get(output).get(0);
        while (isDropout(graph, vertex)) {
            vertex = graph.getConfiguration().getVertexInputs().get(vertex).get(0);
        }
        return vertex;
    }

    /** An imported model with its own classifier layers taken off, and what was taken. */
    public record Features(ComputationGraph graph, String featureVertex, List<String> dropped) {
    }

    /**
     * For imported Keras / TF.js models, whose classifier may be several dense, dropout and activation layers
     * (nsfwjs: pooling, dense 256, dropout, dense 5): the chain of such single-input layers that ends in the output
     * is taken off and a plain output layer of the same classes is fed from the vertex before it, so a new head
     * sits on the network's features rather than on its old classifier. Zoo networks keep their classifier's
     * hidden layers as torchvision does (only the last layer is replaced), so this is for imports only.
     */
    public static Features withoutClassifier(ComputationGraph graph) {
        var conf = graph.getConfiguration();
        if (conf.getNetworkOutputs().size() != 1) {
            return new Features(graph, penultimate(graph), List.of());
        }
        String output = conf.getNetworkOutputs().get(0);
        java.util.List<String> chain = new java.util.ArrayList<>(List.of(output));
        String vertex = conf.getVertexInputs().get(output).get(0);
        while (isClassifierLayer(graph, vertex) && consumers(graph, vertex) == 1) {
            chain.add(vertex);
            vertex = conf.getVertexInputs().get(vertex).get(0);
        }
        if (chain.size() == 1) {
            return new Features(graph, vertex, List.of());
        }
        // the first layer after the features tells their size and any reshaping they need
        long features = -1;
        InputPreProcessor reshape = null;
        for (int i = chain.size() - 1; i >= 0 && features < 0; i--) {
            LayerVertex lv = (LayerVertex) conf.getVertices().get(chain.get(i));
            if (lv.getLayerConf().getLayer() instanceof FeedForwardLayer ff && ff.getNIn() > 0
                    && !(ff instanceof DropoutLayer)) {
                features = ff.getNIn();
                reshape = lv.getPreProcessor();
            } else if (reshape == null) {
                reshape = lv.getPreProcessor();
            }
        }
        long classes = ((FeedForwardLayer) ((LayerVertex) conf.getVertices().get(output)).getLayerConf().getLayer()).getNOut();
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(graph);
        for (String v : chain) {
            b.removeVertexAndConnections(v);
        }
        b.addLayer(output, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(features).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), reshape, vertex);
        b.setOutputs(output);
        java.util.Collections.reverse(chain);
        return new Features(b.build(), vertex, List.copyOf(chain));
    }

    private static boolean isClassifierLayer(ComputationGraph graph, String vertex) {
        var conf = graph.getConfiguration().getVertices().get(vertex);
        return conf instanceof LayerVertex lv && graph.getConfiguration().getVertexInputs().get(vertex).size() == 1
                && (lv.getLayerConf().getLayer() instanceof DenseLayer || lv.getLayerConf().getLayer() instanceof DropoutLayer
                || lv.getLayerConf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer);
    }

    private static int consumers(ComputationGraph graph, String vertex) {
        int n = 0;
        for (List<String> inputs : graph.getConfiguration().getVertexInputs().values()) {
            n += java.util.Collections.frequency(inputs, vertex);
        }
        return n;
    }

    private static boolean isDropout(ComputationGraph graph, String vertex) {
        var conf = graph.getConfiguration().getVertices().get(vertex);
        return conf instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof DropoutLayer;
    }

    /**
     * Resolves what the user named: a vertex, or a stage (then its last vertex).
     *
     * @throws IllegalArgumentException listing the stages when the name matches neither
     */
    public static String resolve(ComputationGraph graph, Stages stages, String vertexOrStage) {
        if (graph.getVertex(vertexOrStage) != null) {
            return vertexOrStage;
        }
        Map<String, String> last = stages.lastVertexByStage(graph);
        String vertex = last.get(vertexOrStage);
        if (vertex == null) {
            throw new IllegalArgumentException("'" + vertexOrStage + "' is neither a vertex nor a block of this network;"
                    + " blocks: " + String.join(", ", last.keySet()));
        }
        return vertex;
    }

    /**
     * The vertex that leaves the last {@code trainable} stages before the classifier trainable: 0 freezes
     * everything up to the penultimate vertex.
     */
    public static String freezeForTrainableBlocks(ComputationGraph graph, Stages stages, int trainable) {
        String penultimate = penultimate(graph);
        Map<String, String> last = stages.lastVertexByStage(graph);
        List<String> names = new java.util.ArrayList<>(last.keySet());
        int end = names.indexOf(stages.stageOf(penultimate));
        if (trainable == 0 || end < 0) {
            return penultimate;
        }
        // stages holding feature layers (before the pooling/classifier stages)
        int featureEnd = end;
        while (featureEnd > 0 && !hasParams(graph, stages, names.get(featureEnd))) {
            featureEnd--;
        }
        int frozenLast = featureEnd - trainable;
        if (frozenLast < 0) {
            throw new IllegalArgumentException("the network has only " + (featureEnd + 1) + " blocks with parameters"
                    + " before its classifier; cannot leave " + trainable + " trainable");
        }
        return last.get(names.get(frozenLast));
    }

    private static boolean hasParams(ComputationGraph graph, Stages stages, String stage) {
        for (var v : graph.getVertices()) {
            if (stage.equals(stages.stageOf(v.getVertexName())) && v.hasLayer() && v.getLayer().numParams() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A new graph: {@code base} with its classifier replaced by {@code head} for {@code classes} classes and
     * everything up to and including the vertex {@code frozenUntil} frozen ({@code null}: nothing
     * frozen).
     */
    public static ComputationGraph build(ComputationGraph base, int classes, Head head, String frozenUntil,
                                         IUpdater updater, long seed) {
        return build(base, classes, head, frozenUntil, updater, 0, seed);
    }

    /** As {@link #build(ComputationGraph, int, Head, String, IUpdater, long)}, with L2 regularisation of the head. */
    public static ComputationGraph build(ComputationGraph base, int classes, Head head, String frozenUntil,
                                         IUpdater updater, double l2, long seed) {
        if (l2 < 0) {
            throw new IllegalArgumentException("l2 must be >= 0, got " + l2);
        }
        if (base.getConfiguration().getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("transfer learning needs a network with one input");
        }
        String output = base.getConfiguration().getNetworkOutputs().get(0);
        String penultimate = penultimate(base);
        TransferLearning.GraphBuilder b = new TransferLearning.GraphBuilder(base)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(updater).seed(seed).build());
        for (String extra : base.getConfiguration().getNetworkOutputs()) {
            if (!extra.equals(output)) {
                for (String v : exclusiveAncestors(base, extra, output)) {
                    b.removeVertexAndConnections(v);
                }
            }
        }
        // the old classifier and the dropout between it and the features go; the head brings its own, fed with
        // what the old classifier was fed (its input size and any reshaping preprocessor)
        LayerVertex oldOutput = (LayerVertex) base.getConfiguration().getVertices().get(output);
        long features = ((FeedForwardLayer) oldOutput.getLayerConf().getLayer()).getNIn();
        InputPreProcessor reshape = oldOutput.getPreProcessor();
        String feed = base.getConfiguration().getVertexInputs().get(output).get(0);
        b.removeVertexAndConnections(output);
        while (!feed.equals(penultimate)) {
            String next = base.getConfiguration().getVertexInputs().get(feed).get(0);
            b.removeVertexAndConnections(feed);
            feed = next;
        }
        String input = penultimate;
        if (head.hidden() > 0) {
            b.addLayer("head.fc1", new DenseLayer.Builder().nIn(features).nOut(head.hidden()).activation(Activation.RELU)
                    .weightInit(WeightInit.RELU).l2(l2).build(), reshape, input);
            input = "head.fc1";
            features = head.hidden();
            reshape = null;
            if (head.dropout() > 0) {
                b.addLayer("head.dropout", new DropoutLayer.Builder(1 - head.dropout()).nIn(features).nOut(features)
                        .build(), input);
                input = "head.dropout";
            }
        }
        Layer out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(features).nOut(classes)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).l2(l2).build();
        b.addLayer(OUTPUT, out, reshape, input);
        b.setOutputs(OUTPUT);
        if (frozenUntil != null) {
            if (base.getVertex(frozenUntil) == null) {
                throw new IllegalArgumentException("no vertex '" + frozenUntil + "' to freeze up to (resolve a block"
                        + " name with TransferGraph.resolve first)");
            }
            b.setFeatureExtractor(frozenUntil);
        }
        return b.build();
    }

    /** The vertices feeding {@code extraOutput} that the main output does not need (an auxiliary classifier). */
    private static Set<String> exclusiveAncestors(ComputationGraph g, String extraOutput, String mainOutput) {
        Set<String> needed = ancestors(g, mainOutput);
        Set<String> extra = ancestors(g, extraOutput);
        extra.removeAll(needed);
        return extra;
    }

    /** The vertex and every vertex it depends on, inputs included. */
    public static Set<String> ancestors(ComputationGraph g, String vertex) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(vertex));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (seen.add(v)) {
                List<String> inputs = g.getConfiguration().getVertexInputs().get(v);
                if (inputs != null) {
                    todo.addAll(inputs);
                }
            }
        }
        seen.removeAll(g.getConfiguration().getNetworkInputs());
        return seen;
    }
}
