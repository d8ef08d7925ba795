package org.cnnzoo.transfer;

import org.cnnzoo.datasets.Seeds;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Cached activations read back shard by shard (one shard is one batch), in a seeded shuffled order per epoch
 * when asked, so the order depends only on the seed.
 */
public final class CachedFeatures implements DataSetIterator {
    private final List<Path> shards;
    private final List<String> labels;
    private final boolean shuffle;
    private final long seed;
    private final int batch;
    private List<Path> order;
    private int cursor;
    private int epoch;
    private DataSetPreProcessor preProcessor;

    public CachedFeatures(List<Path> shards, List<String> labels, boolean shuffle, long seed, int batch) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no cached features to read");
        }
        this.shards = List.copyOf(shards);
        this.labels = labels;
        this.shuffle = shuffle;
        this.seed = seed;
        this.batch = batch;
        reorder();
    }

    private void reorder() {
        order = new ArrayList<>(shards);
        if (shuffle) {
            Collections.shuffle(order, new Random(Seeds.mix(seed, epoch)));
        }
        cursor = 0;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.size();
    }

    @Override
    public DataSet next() {
        DataSet ds = new DataSet();
        ds.load(order.get(cursor++).toFile());
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    @Override
    public DataSet next(int num) {
        return next();
    }

    @Override
    public void reset() {
        epoch++;
        reorder();
    }

    @Override
    public int inputColumns() {
        return 0;
    }

    @Override
    public int totalOutcomes() {
        return labels.size();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return labels;
    }
}
