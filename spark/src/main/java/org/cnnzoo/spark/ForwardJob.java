package org.cnnzoo.spark;

import org.cnnzoo.augmentation.Spec;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.Normalization;
import org.cnnzoo.transfer.Engine;
import org.cnnzoo.transfer.InputSpec;
import org.cnnzoo.zoo.InputShape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Everything an executor needs to make batch i of an {@link Engine.Pass} exactly as this JVM makes it: the image
 * list, the input and its normalisation, the augmentation spec and seed, and the network as DL4J's model file.
 * Broadcast once per pass.
 */
record ForwardJob(String id, ListedImages images, int height, int width, int channels, String normalization,
                  double[] mean, double[] std, String augmentation, long seed, int batchSize, byte[] model,
                  String vertex) implements Serializable {

    static ForwardJob of(Engine.Pass pass) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(pass.network(), bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the network for the executors", e);
        }
        byte[] model = bytes.toByteArray();
        InputShape shape = pass.input().shape();
        Normalization n = pass.input().normalization();
        String id = java.util.UUID.randomUUID().toString();
        return new ForwardJob(id, ListedImages.of(pass.data()), shape.height(), shape.width(), shape.channels(),
                n.name(), n.mean(), n.std(), pass.pipeline() == null ? null : pass.pipeline().spec(), pass.seed(),
                pass.batchSize(), model, pass.vertex());
    }

    ComputationGraph network() {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(model), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the network sent by the driver", e);
        }
    }

    /** The batches as the driver's iterator makes them. */
    ImageIterator iterator(int threads) {
        InputSpec input = new InputSpec(new InputShape(height, width, channels), new Normalization(normalization, mean, std));
        return input.iterator(images, batchSize, augmentation == null ? null : Spec.parse(augmentation), false, seed, threads);
    }
}
