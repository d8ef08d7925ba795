package org.cnnzoo.faces.metric;

import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.datasets.ImageSource;
import org.cnnzoo.transfer.InputSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/** A trained embedding network turned into vectors: images in, unit-length embeddings out, in the source's order. */
public final class Embedder {
    private final ComputationGraph graph;
    private final EmbeddingSpec spec;

    public Embedder(ComputationGraph graph, EmbeddingSpec spec) {
        this.graph = graph;
        this.spec = spec;
    }

    public ComputationGraph graph() {
        return graph;
    }

    public EmbeddingSpec spec() {
        return spec;
    }

    /** The embeddings of every image of {@code data}, one row each, normalised to unit length. */
    public float[][] embed(ImageSource data, int batch, int threads) {
        List<float[]> rows = new ArrayList<>(data.size());
        ImageIterator it = input().iterator(data, batch, null, false, 0, threads);
        while (it.hasNext()) {
            INDArray x = it.next().getFeatures();
            INDArray e = graph.output(List.of(EmbeddingNetwork.EMBEDDING), false, new INDArray[]{x}, null)[0];
            for (float[] row : e.toFloatMatrix()) {
                rows.add(row);
            }
        }
        failOnSkipped(it);
        return OneShot.normalised(rows.toArray(float[][]::new));
    }

    /** The network's input values of every image, flattened: the raw-pixel baseline, on the same preprocessing. */
    public static float[][] pixels(ImageSource data, InputSpec input, int batch, int threads) {
        List<float[]> rows = new ArrayList<>(data.size());
        ImageIterator it = input.iterator(data, batch, null, false, 0, threads);
        while (it.hasNext()) {
            DataSet ds = it.next();
            INDArray x = ds.getFeatures();
            for (float[] row : x.reshape(x.size(0), -1).toFloatMatrix()) {
                rows.add(row);
            }
        }
        failOnSkipped(it);
        return rows.toArray(float[][]::new);
    }

    /** The class of every image of {@code data}, in its order. */
    public static int[] labels(ImageSource data) {
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.label(i);
        }
        return labels;
    }

    public InputSpec input() {
        return new InputSpec(spec.input(), spec.normalization());
    }

    /** Embeddings must line up with labels: an image that cannot be read stops the evaluation, naming it. */
    private static void failOnSkipped(ImageIterator it) {
        if (!it.skipped().isEmpty()) {
            throw new IllegalArgumentException("unreadable images: " + String.join("; ", it.skipped())
                    + "; remove them from the data");
        }
    }
}
