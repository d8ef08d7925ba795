package org.cnnzoo.transfer;

import org.cnnzoo.augmentation.Pipeline;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.io.IOException;

/**
 * Where a job's passes over its data run when not in this JVM: on a cluster (the spark module). A job with no
 * engine ({@link RunSettings#engine()} null) runs every pass here.
 */
public interface Engine extends AutoCloseable {

    /**
     * Starts the engine a master URL names ({@code local[N]}, {@code spark://host:port}) through the first
     * {@link Factory} on the class path.
     *
     * @throws IllegalArgumentException when none is (the spark module is not on the class path)
     */
    static Engine start(String master) {
        return start(master, java.util.Map.of());
    }

    /** The same with settings the engine documents (the spark module: {@code training}). */
    static Engine start(String master, java.util.Map<String, String> settings) {
        for (Factory f : java.util.ServiceLoader.load(Factory.class)) {
            return f.start(master, settings);
        }
        throw new IllegalArgumentException("--spark needs cnnzoo's spark module on the class path: start through"
                + " ./cnnzoo, which adds it when --spark is given, or put cnnzoo-spark and its libraries on the class path");
    }

    /** Makes engines; the spark module provides one (as a {@link java.util.ServiceLoader} service). */
    interface Factory {
        Engine start(String master, java.util.Map<String, String> settings);
    }

    /**
     * A forward pass over images: the activations of {@code vertex} of {@code network} for the un-shuffled batches
     * of {@code data} as this JVM's iterator makes them (same order, same augmentation of view {@code seed}), so
     * that a cluster's batch i equals this JVM's batch i.
     *
     * @param pipeline augmentation, or null for the plain images
     */
    record Pass(ImageSource data, InputSpec input, Pipeline pipeline, long seed, int batchSize,
                ComputationGraph network, String vertex) {

        /** The batches as this JVM makes them. */
        public ImageIterator images(int threads) {
            return input.iterator(data, batchSize, pipeline, false, seed, threads);
        }

        public int batches() {
            return (data.size() + batchSize - 1) / batchSize;
        }
    }

    /** Computes the given batches of the pass (ascending), handing each to the sink when ready, in any order. */
    void forward(Pass pass, int[] batches, FeatureCache.ShardSink sink) throws IOException;

    /**
     * Trains {@code net} for one epoch on every batch of {@code train} and returns the mean training loss per
     * example; {@code net} holds the new parameters afterwards.
     */
    double fitEpoch(ComputationGraph net, DataSetIterator train);

    /** The engine in words, for messages ("Spark local[2] (2 cores)"). */
    String describe();

    /** Stops what the engine started. */
    @Override
    void close();
}
