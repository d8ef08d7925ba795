package org.cnnzoo.spark;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.zoo.Backend;
import org.cnnzoo.zoo.inference.InferenceGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs on an executor: makes its partition's batches (ascending indices) from the broadcast job and returns each
 * batch's activations as DL4J's DataSet bytes. The network is read once per executor and job, not once per task.
 */
final class ForwardTask implements FlatMapFunction<Iterator<Integer>, Tuple2<Integer, byte[]>> {
    private static final long serialVersionUID = 1L;
    /**
     * The current network, cut at the current vertex, for each task thread of this executor (a DL4J graph is not
     * safe to run from two threads at once); passes through the same network and vertex (training, validation and
     * test images, augmented views) reuse it, another replaces it.
     */
    private static final Map<String, InferenceGraph> NETWORKS = new ConcurrentHashMap<>();

    private final Broadcast<ForwardJob> job;
    private final Broadcast<byte[]> model;
    private final int threads;

    ForwardTask(Broadcast<ForwardJob> job, Broadcast<byte[]> model, int threads) {
        this.job = job;
        this.model = model;
        this.threads = threads;
    }

    @Override
    public Iterator<Tuple2<Integer, byte[]>> call(Iterator<Integer> batches) {
        Backend.init();
        ForwardJob j = job.value();
        InferenceGraph net = network(j, model);
        List<Tuple2<Integer, byte[]>> out = new ArrayList<>();
        try (ImageIterator images = j.iterator(threads)) {
            int cursor = 0;
            while (batches.hasNext()) {
                int batch = batches.next();
                if (batch < cursor) {
                    throw new IllegalStateException("batches must come in ascending order: " + batch + " after " + (cursor - 1));
                }
                for (; cursor < batch; cursor++) {
                    images.skipBatch();
                }
                DataSet in = images.next();
                cursor++;
                INDArray activations = in.numExamples() == 0 ? in.getFeatures()
                        : net.output(List.of(j.vertex()), in.getFeatures())[0];
                out.add(new Tuple2<>(batch, bytes(new DataSet(activations, in.getLabels()))));
            }
        }
        return out.iterator();
    }

    private static InferenceGraph network(ForwardJob j, Broadcast<byte[]> model) {
        String id = j.network() + ":" + j.vertex();
        String key = id + "@" + Thread.currentThread().getId();
        synchronized (NETWORKS) {
            NETWORKS.keySet().removeIf(k -> !k.startsWith(id + "@"));
            InferenceGraph net = NETWORKS.get(key);
            if (net == null) {
                net = InferenceGraph.of(ForwardJob.network(model.value()), j.vertex());
                NETWORKS.put(key, net);
            }
            return net;
        }
    }

    static byte[] bytes(DataSet data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        data.save(out);
        return out.toByteArray();
    }
}
