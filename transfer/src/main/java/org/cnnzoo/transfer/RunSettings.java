package org.cnnzoo.transfer;

import java.nio.file.Path;

/**
 * Where and how a job runs: the feature cache, the run folder (null: none written), whether an existing run there
 * may be replaced, the seed, batch size and decoding threads, the command line recorded, and the progress display.
 */
public record RunSettings(Path cache, Path out, boolean overwrite, long seed, int batchSize, int threads,
                          String command, Progress progress) {

    /** Seed 42, batches of 32, a thread per core, no run folder, no progress shown. */
    public static RunSettings in(Path cache) {
        return new RunSettings(cache, null, false, 42, 32, Runtime.getRuntime().availableProcessors(), "",
                Progress.NONE);
    }

    public RunSettings withOut(Path folder, boolean replace) {
        return new RunSettings(cache, folder, replace, seed, batchSize, threads, command, progress);
    }

    public RunSettings withSeed(long value) {
        return new RunSettings(cache, out, overwrite, value, batchSize, threads, command, progress);
    }

    public RunSettings withBatchSize(int value) {
        return new RunSettings(cache, out, overwrite, seed, value, threads, command, progress);
    }

    public RunSettings withThreads(int value) {
        return new RunSettings(cache, out, overwrite, seed, batchSize, value, command, progress);
    }

    public RunSettings withCommand(String line) {
        return new RunSettings(cache, out, overwrite, seed, batchSize, threads, line, progress);
    }

    public RunSettings withProgress(Progress display) {
        return new RunSettings(cache, out, overwrite, seed, batchSize, threads, command, display);
    }
}
