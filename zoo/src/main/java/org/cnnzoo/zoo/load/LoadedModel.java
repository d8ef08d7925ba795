package org.cnnzoo.zoo.load;

import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.build.Stages;
import org.cnnzoo.zoo.weights.WeightsEntry;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.nio.file.Path;
import java.util.List;

/**
 * A network ready to use, with everything needed to feed it and to say where it came from.
 *
 * @param graph             the network (a zoo network with its weights, a run's model, an imported model)
 * @param name              how records and cache keys name it, e.g. {@code resnet50 + resnet50.IMAGENET1K_V2}
 * @param kind              what the model reference was
 * @param input             the input it takes
 * @param preprocessing     how images must be prepared for it; null when nothing records it (a random network,
 *                          a state dict that is not a known entry, an imported file)
 * @param preprocessingFrom where the preprocessing comes from, in words (null with it)
 * @param classes           the class names of its output, in order; null when unknown
 * @param weights           the catalogue entry of its weights, when known
 * @param weightsFile       the weights file that was loaded (or the model file / run folder), null for random
 * @param randomWeights     a zoo network initialised from the seed, not from weights
 * @param backboneOnly      its classifier is not usable (published as features only): never predict with it
 * @param stages            its stages, from the builder for zoo networks and runs made from them, else from names
 * @param notes             what loading let pass or chose, in words, for the user to see
 */
public record LoadedModel(ComputationGraph graph, String name, Kind kind, InputShape input,
                          WeightsEntry.Preprocessing preprocessing, String preprocessingFrom, List<String> classes,
                          WeightsEntry weights, Path weightsFile, boolean randomWeights, boolean backboneOnly,
                          Stages stages, List<String> notes) {

    /** What a model reference named. */
    public enum Kind {
        /** A zoo network by name, with or without weights. */
        ZOO,
        /** A run folder written by transfer or the demo. */
        RUN,
        /** A DL4J model zip. */
        DL4J,
        /** A Keras HDF5 model, or Keras weights in a topology the project ships. */
        KERAS,
        /** A TensorFlow.js layers model. */
        TFJS;

        /** Whether the model was imported whole from another framework's file (its classifier is its own). */
        public boolean imported() {
            return this == DL4J || this == KERAS || this == TFJS;
        }
    }

    public LoadedModel {
        classes = classes == null ? null : List.copyOf(classes);
        notes = List.copyOf(notes);
    }

}
