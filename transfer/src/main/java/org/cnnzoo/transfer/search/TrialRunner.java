package org.cnnzoo.transfer.search;

import org.cnnzoo.transfer.Trainer;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.IOException;
import java.util.function.Supplier;

/** Trains one candidate of a kind of search. */
interface TrialRunner {

    /**
     * A trained candidate.
     *
     * @param scored       the network Arbiter's score function runs on the provider's validation data
     * @param whole        the whole network, ready to save as a run
     * @param history      its epochs
     * @param head         the head it carries, as {@code Head.toString()}
     * @param frozenUntil  the last frozen vertex
     * @param finetuned    what was fine-tuned (null: nothing)
     * @param augmentation the augmentation spec it trained with (null: none)
     */
    record Trained(ComputationGraph scored, Supplier<ComputationGraph> whole, Trainer.History history, String head, String frozenUntil, String finetuned,
                   String augmentation) {
    }

    /** Work shared by all candidates (featurizing, a base head); run once before the first candidate. */
    void prepare() throws IOException;

    /** Training and validation data; the candidate's values are the data parameters (batch size). */
    DataProvider data();

    Trained train(Trial trial) throws IOException;
}
