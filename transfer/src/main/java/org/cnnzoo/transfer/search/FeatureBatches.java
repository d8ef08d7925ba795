package org.cnnzoo.transfer.search;

import org.cnnzoo.transfer.EpochBatches;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cached features held in memory and served in batches of any size, shuffled per epoch from a seed, so that each
 * candidate of a head search can use its own batch size without featurizing again.
 */
final class FeatureBatches extends EpochBatches {
    private final DataSet all;
    private final int batch;
    private int[] order;
    private int cursor;

    FeatureBatches(DataSet all, int batch, boolean shuffle, long seed, List<String> labels) {
        super(labels, batch, shuffle, seed);
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batch);
        }
        this.all = all;
        this.batch = batch;
        startEpoch();
    }

    /** All shards of a cache entry as one data set. */
    static DataSet load(List<Path> shards) {
        List<DataSet> parts = new ArrayList<>();
        for (Path p : shards) {
            DataSet ds = new DataSet();
            ds.load(p.toFile());
            parts.add(ds);
        }
        DataSet merged = DataSet.merge(parts);
        merged.detach();
        return merged;
    }

    @Override
    protected void startEpoch() {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < all.numExamples(); i++) {
            idx.add(i);
        }
        order(idx);
        order = idx.stream().mapToInt(Integer::intValue).toArray();
        cursor = 0;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    protected DataSet nextBatch() {
        int end = Math.min(order.length, cursor + batch);
        int[] rows = Arrays.copyOfRange(order, cursor, end);
        cursor = end;
        return new DataSet(rows(all.getFeatures(), rows), rows(all.getLabels(), rows));
    }

    /** The given examples (first dimension) of an array of any rank. */
    private static INDArray rows(INDArray a, int[] rows) {
        long[] shape = a.shape().clone();
        INDArray flat = a.rank() == 2 ? a : a.reshape('c', shape[0], a.length() / shape[0]);
        INDArray picked = Nd4j.pullRows(flat, 1, rows);
        shape[0] = rows.length;
        return a.rank() == 2 ? picked : picked.reshape('c', shape);
    }
}
