package org.cnnzoo.datasets;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;

/**
 * A DL4J iterator that goes through its data in epochs: each {@link #reset()} starts the next one (its number is
 * what seeded shuffling and augmentation depend on). Subclasses make the batches; a preprocessor, when set, is
 * applied to each.
 */
public abstract class EpochIterator implements DataSetIterator {
    private final List<String> labels;
    private final int batch;
    private int epoch;
    private DataSetPreProcessor preProcessor;

    protected EpochIterator(List<String> labels, int batch) {
        this.labels = labels;
        this.batch = batch;
    }

    /** The current epoch, from 0. */
    public final int epoch() {
        return epoch;
    }

    /** Prepares the current epoch; subclasses call it from their constructor too. */
    protected abstract void startEpoch();

    /** The next batch, before any preprocessor. */
    protected abstract DataSet nextBatch();

    @Override
    public final DataSet next() {
        DataSet ds = nextBatch();
        if (preProcessor != null) {
            preProcessor.preProcess(ds);
        }
        return ds;
    }

    /** Batches have the iterator's own size; {@code num} is not used. */
    @Override
    public final DataSet next(int num) {
        return next();
    }

    @Override
    public final void reset() {
        epoch++;
        startEpoch();
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

    @Override
    public void remove() {
        throw new UnsupportedOperationException();
    }
}
