package org.cnnzoo.datasets;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Batches prepared ahead on a background thread. Unlike DL4J's AsyncDataSetIterator, whose consumer waits forever
 * when the producer throws, whatever the producer throws (an exception or an error) is handed to the consumer
 * and thrown from {@link #next()} / {@link #hasNext()}.
 */
final class Prefetching implements DataSetIterator {
    private static final Object END = new Object();

    private final DataSetIterator source;
    private final int queueSize;
    private BlockingQueue<Object> queue;
    private Thread producer;
    private Object head;

    Prefetching(DataSetIterator source, int queueSize) {
        if (queueSize < 1) {
            throw new IllegalArgumentException("queue size must be at least 1, got " + queueSize);
        }
        this.source = source;
        this.queueSize = queueSize;
        start();
    }

    private void start() {
        BlockingQueue<Object> q = new ArrayBlockingQueue<>(queueSize + 1);
        queue = q;
        producer = new Thread(() -> {
            try {
                while (source.hasNext()) {
                    q.put(source.next());
                }
                q.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                // the queue has room for this one item even when full of batches: the consumer always learns of it
                q.clear();
                q.offer(t);
            }
        }, "cnnzoo-prefetch");
        producer.setDaemon(true);
        producer.start();
    }

    @Override
    public boolean hasNext() {
        if (head == null) {
            try {
                head = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
        }
        if (head instanceof Throwable t) {
            head = null;
            queue.offer(END);
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("preparing a batch failed: " + t.getMessage(), t);
        }
        return head != END;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more batches in this epoch");
        }
        DataSet batch = (DataSet) head;
        head = null;
        return batch;
    }

    @Override
    public DataSet next(int num) {
        return next();
    }

    @Override
    public void reset() {
        producer.interrupt();
        try {
            producer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        head = null;
        source.reset();
        start();
    }

    @Override
    public int inputColumns() {
        return source.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return source.totalOutcomes();
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
        return source.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        source.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return source.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return source.getLabels();
    }
}
