package org.cnnzoo.transfer;

import org.cnnzoo.zoo.build.Stages;
import org.cnnzoo.zoo.load.LoadedModel;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;

/**
 * The network transfer starts from: its graph (weights loaded, cut where its own classifier had to go), the name
 * records and cache keys know it by, its stages, and whether its weights are random.
 *
 * @param features where the network was cut for its features (imports and features-only weights), else null
 * @param dropped  the classifier layers taken off there, in order
 */
public record Backbone(ComputationGraph graph, String name, Stages stages, boolean random, String features,
                       List<String> dropped) {

    public Backbone {
        stages = stages == null ? Stages.byNames(graph) : stages.on(graph);
        dropped = List.copyOf(dropped);
    }

    /** A graph with stages read from its names (a network the project did not build) and trained weights. */
    public static Backbone of(ComputationGraph graph, String name) {
        return new Backbone(graph, name, null, false, null, List.of());
    }

    /**
     * A loaded model as a backbone. Imported Keras/TF.js/DL4J models and weights published for features only lose
     * their own classifier chain (dense, dropout, activation layers), so a new head sits on the features; zoo
     * networks and runs keep their hidden classifier layers, as torchvision does, and only the last is replaced.
     */
    public static Backbone of(LoadedModel m) {
        if (m.kind().imported() || m.backboneOnly()) {
            TransferGraph.Features cut = TransferGraph.withoutClassifier(m.graph());
            return new Backbone(cut.graph(), m.name(), m.stages(), m.randomWeights(), cut.featureVertex(),
                    cut.dropped());
        }
        return new Backbone(m.graph(), m.name(), m.stages(), m.randomWeights(), null, List.of());
    }

    /** The same network under the given stages (a zoo network's, from its builder). */
    public Backbone withStages(Stages builderStages) {
        return new Backbone(graph, name, builderStages, random, features, dropped);
    }

    /** The same network marked as randomly initialised (trained whole rather than frozen). */
    public Backbone withRandom(boolean isRandom) {
        return new Backbone(graph, name, stages, isRandom, features, dropped);
    }
}
