package org.cnnzoo.transfer.search;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;

/** The optimisers a search can choose between, by name, with the usual defaults besides the learning rate. */
final class Updaters {
    static final List<String> NAMES = List.of("adam", "nesterovs", "sgd", "rmsprop");

    private Updaters() {
    }

    static IUpdater of(String name, double learningRate) {
        return switch (name) {
            // Adam's betas and epsilon are given explicitly: Arbiter's AdamSpace defaults all three to the learning rate
            case "adam" -> new Adam(learningRate, 0.9, 0.999, 1e-8);
            case "nesterovs" -> new Nesterovs(learningRate, 0.9);
            case "sgd" -> new Sgd(learningRate);
            case "rmsprop" -> new RmsProp(learningRate);
            default -> throw new IllegalArgumentException("unknown updater '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }
}
