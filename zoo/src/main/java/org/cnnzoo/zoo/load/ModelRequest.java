package org.cnnzoo.zoo.load;

import org.cnnzoo.zoo.InputShape;
import org.cnnzoo.zoo.weights.WeightStore;

import java.nio.file.Path;

/**
 * What to load: a model reference (a zoo network's name, a run folder, a DL4J zip, a Keras {@code .h5}, a TF.js
 * {@code model.json}) and, for a zoo network, a weights reference (an entry's id or alias such as
 * {@code resnet50.IMAGENET1K_V2}, {@code resnet50.DEFAULT} or {@code resnet50}; a file; a path in the store; a
 * SHA-256 or its first 8 digits).
 *
 * @param model    the model reference
 * @param weights  the weights reference, null for none (a zoo network then starts from the seed)
 * @param input    the input to build for, null for the weights' crop or the network's default
 * @param classes  the classifier's classes for a zoo network, null for the weights' (1000) or the default
 * @param seed     the seed of any weight that is initialised rather than loaded
 * @param store    where weights entries are kept and fetched into
 * @param fetching how a missing weights file may be fetched
 */
public record ModelRequest(String model, String weights, InputShape input, Integer classes, long seed,
                           WeightStore store, WeightStore.Fetching fetching) {

    public ModelRequest {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a model reference is required: a zoo network name, a run folder or"
                    + " a model file");
        }
    }

    /** A request for {@code model} with nothing else: the store in {@code storeDir}, downloads allowed, seed 42. */
    public static ModelRequest of(String model, Path storeDir) {
        return new ModelRequest(model, null, null, null, 42, new WeightStore(storeDir), WeightStore.Fetching.quiet());
    }

    /** The same with the store the command line uses ({@link org.cnnzoo.common.Home#weights()}). */
    public static ModelRequest of(String model) {
        return of(model, org.cnnzoo.common.Home.weights());
    }

    public ModelRequest withWeights(String reference) {
        return new ModelRequest(model, reference, input, classes, seed, store, fetching);
    }

    public ModelRequest withInput(InputShape shape) {
        return new ModelRequest(model, weights, shape, classes, seed, store, fetching);
    }

    public ModelRequest withClasses(Integer count) {
        return new ModelRequest(model, weights, input, count, seed, store, fetching);
    }

    public ModelRequest withSeed(long value) {
        return new ModelRequest(model, weights, input, classes, value, store, fetching);
    }

    public ModelRequest withStore(WeightStore other) {
        return new ModelRequest(model, weights, input, classes, seed, other, fetching);
    }

    public ModelRequest withFetching(WeightStore.Fetching other) {
        return new ModelRequest(model, weights, input, classes, seed, store, other);
    }
}
