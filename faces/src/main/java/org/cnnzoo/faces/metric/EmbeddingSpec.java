package org.cnnzoo.faces.metric;

import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.zoo.InputShape;

import java.util.List;

/**
 * What an embedding run is: the backbone it was built on and where it was cut, the input and its normalisation,
 * the embedding's size, the objective it was trained with (in words) and the classes it saw in training.
 */
public record EmbeddingSpec(String backbone, String features, InputShape input, Normalization normalization,
                            int size, String objective, List<String> trainClasses) {
    public EmbeddingSpec {
        trainClasses = List.copyOf(trainClasses);
    }
}
