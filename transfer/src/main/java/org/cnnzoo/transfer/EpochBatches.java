package org.cnnzoo.transfer;

import org.cnnzoo.datasets.EpochIterator;
import org.cnnzoo.datasets.Seeds;

import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Batches of already computed data (cached features) served in a seeded order per epoch: the order depends only on
 * the seed and the epoch number.
 */
public abstract class EpochBatches extends EpochIterator {
    private final boolean shuffle;
    private final long seed;

    protected EpochBatches(List<String> labels, int batch, boolean shuffle, long seed) {
        super(labels, batch);
        this.shuffle = shuffle;
        this.seed = seed;
    }

    /** Puts {@code items} in this epoch's order (unchanged without shuffling). */
    protected final <T> void order(List<T> items) {
        if (shuffle) {
            Collections.shuffle(items, new Random(Seeds.mix(seed, epoch())));
        }
    }
}
