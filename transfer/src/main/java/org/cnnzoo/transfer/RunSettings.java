package org.cnnzoo.transfer;

import java.nio.file.Path;

/**
 * Where and how a job runs: the feature cache, the run folder (null: none written), whether an existing run there
 * may be replaced, the seed, batch size and decoding threads, the command line recorded, the progress display,
 * and the engine that runs the heavy passes elsewhere (null: this JVM).
 */
public record RunSettings(Path cache, Path out, boolean overwrite, long seed, int batchSize, int threads,
                          String command, Progress progress, Engine engine) {

    /** Seed 42, batches of 32, a thread per core, no run folder, no progress shown. */
    public static RunSettings in(Path cache) {
        return new RunSettings(cache, null, false, 42, 32, Runtime.getRuntime().availableProcessors(), "",
                Progress.NONE, null);
    }

    public RunSettings withOut(Path folder, boolean replace) {
        return new RunSettings(cache, folder, replace, seed, batchSize, threads, command, progress, engine);
    }

    public RunSettings withSeed(long value) {
        return new RunSettings(cache, out, overwrite, value, batchSize, threads, command, progress, engine);
    }

    public RunSettings withBatchSize(int value) {
        return new RunSettings(cache, out, overwrite, seed, value, threads, command, progress, engine);
    }

    public RunSettings withThreads(int value) {
        return new RunSettings(cache, out, overwrite, seed, batchSize, value, command, progress, engine);
    }

    public RunSettings withCommand(String line) {
        return new RunSettings(cache, out, overwrite, seed, batchSize, threads, line, progress, engine);
    }

    /** Runs the passes over images and the training epochs on {@code value} (null: in this JVM). */
    public RunSettings withEngine(Engine value) {
        return new RunSettings(cache, out, overwrite, seed, batchSize, threads, command, progress, value);
    }

    public RunSettings withProgress(Progress display) {
        return new RunSettings(cache, out, overwrite, seed, batchSize, threads, command, display, engine);
    }
}
