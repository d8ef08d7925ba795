package org.cnnzoo.transfer;

import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cached activations read back shard by shard (one shard is one batch), in a seeded shuffled order per epoch
 * when asked, so the order depends only on the seed. When all shards together are small enough
 * ({@link #MEMORY_LIMIT}), each is read from disk once and kept, so later epochs never touch the disk.
 */
public final class CachedFeatures extends EpochBatches {
    /** Shards are kept in memory after their first reading when their files add up to at most this. */
    static final long MEMORY_LIMIT = 1L << 30;

    private final List<Path> shards;
    private final Map<Path, DataSet> kept;
    private List<Path> order;
    private int cursor;

    public CachedFeatures(List<Path> shards, List<String> labels, boolean shuffle, long seed, int batch) {
        super(labels, batch, shuffle, seed);
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no cached features to read");
        }
        this.shards = List.copyOf(shards);
        long bytes = 0;
        for (Path p : shards) {
            bytes += p.toFile().length();
        }
        this.kept = bytes <= MEMORY_LIMIT ? new HashMap<>() : null;
        startEpoch();
    }

    @Override
    protected void startEpoch() {
        order = new ArrayList<>(shards);
        order(order);
        cursor = 0;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.size();
    }

    @Override
    protected DataSet nextBatch() {
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
        return ds;
    }
}
