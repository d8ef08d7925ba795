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
 * when asked, so the order depends only on the seed. When all shards together are small enough
 * ({@link #MEMORY_LIMIT}), each is read from disk once and kept, so later epochs never touch the disk.
 */
public final class CachedFeatures implements DataSetIterator {
    /** Shards are kept in memory after their first reading when their files add up to at most this. */
    static final long MEMORY_LIMIT = 1L << 30;

    private final List<Path> shards;
    private final java.util.Map<Path, DataSet> kept;
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
        long bytes = 0;
        for (Path p : shards) {
            bytes += p.toFile().length();
        }
        this.kept = bytes <= MEMORY_LIMIT ? new java.util.HashMap<>() : null;
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
        Path shard = order.get(cursor++);
        DataSet ds = kept == null ? null : kept.get(shard);
        if (ds == null) {
            ds = new DataSet();
            ds.load(shard.toFile());
            if (kept != null) {
                ds.detach();
                kept.put(shard, ds);
            }
        }
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
