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
 * Everything but the network an executor needs to make batch i of an {@link Engine.Pass} exactly as this JVM
 * makes it: the image list, the input and its normalisation, the augmentation spec and seed. Broadcast once per
 * pass; the network travels apart ({@link #model}), once per engine and network.
 *
 * @param network the SHA-256 of the network's model file: executors keep the network read under this name
 */
record ForwardJob(String network, ListedImages images, int height, int width, int channels, String normalization,
                  double[] mean, double[] std, String augmentation, long seed, int batchSize,
                  String vertex) implements Serializable {

    static ForwardJob of(Engine.Pass pass, String network) {
        InputShape shape = pass.input().shape();
        Normalization n = pass.input().normalization();
        return new ForwardJob(network, ListedImages.of(pass.data()), shape.height(), shape.width(), shape.channels(),
                n.name(), n.mean(), n.std(), pass.pipeline() == null ? null : pass.pipeline().spec(), pass.seed(),
                pass.batchSize(), pass.vertex());
    }

    /** A network as DL4J's model file (without updater state). */
    static byte[] model(ComputationGraph network) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the network for the executors", e);
        }
        return bytes.toByteArray();
    }

    static ComputationGraph network(byte[] model) {
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
