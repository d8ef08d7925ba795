package org.cnnzoo.spark;

import org.cnnzoo.transfer.Engine;
import org.cnnzoo.transfer.FeatureCache;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.TransferJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on {@code local[2]}: the same features, the same head and the same test metrics as one machine. */
class SparkEngineTest {
    @TempDir
    static Path dir;
    static SparkEngine spark;
    static SparkFixtures.Folders data;

    @BeforeAll
    static void start() throws IOException {
        data = SparkFixtures.Folders.under(dir);
        spark = SparkEngine.start("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.close();
        }
    }

    /**
     * Parameter averaging over two workers takes about half the optimiser steps per epoch; trained until validation
     * stops improving, the head reaches one machine's test accuracy within 5 points (3 of 90 images here).
     */
    @Test
    void featuresHeadAndTestMetricsEqualOneMachines() throws IOException {
        TransferJob.Result here = TransferJob.run(SparkFixtures.plan(data, dir.resolve("cache-here"), null));
        TransferJob.Result there = TransferJob.run(SparkFixtures.plan(data, dir.resolve("cache-spark"), spark));
        SparkFixtures.assertSameShards(dir.resolve("cache-here"), dir.resolve("cache-spark"));
        double accHere = here.metrics().accuracy();
        double accThere = there.metrics().accuracy();
        System.out.printf("test accuracy: one machine %.4f, Spark %.4f%n", accHere, accThere);
        assertTrue(accHere > 0.8, "the head learns on real pictures: " + accHere);
        assertEquals(accHere, accThere, 0.05);
        assertEquals(90, there.metrics().examples());
        assertTrue(there.history().get(0).epochs().stream().allMatch(e -> Double.isFinite(e.trainLoss())),
                "parameter averaging reports its training loss");
        TransferJob.Result again = TransferJob.run(SparkFixtures.plan(data, dir.resolve("cache-spark"), spark));
        assertEquals(there.metrics().accuracy(), again.metrics().accuracy(), "same seed, same result on Spark too");
        assertTrue(java.util.Arrays.deepEquals(there.metrics().confusion(), again.metrics().confusion()));
        assertEquals(there.history().get(0).epochs().stream().map(e -> e.trainLoss()).toList(),
                again.history().get(0).epochs().stream().map(e -> e.trainLoss()).toList(), "the same loss curve");
    }

    @Test
    void aRerunAfterAFailedJobComputesOnlyWhatIsMissing() throws IOException {
        Engine.Pass pass = SparkFixtures.pass(data.train());
        FeatureCache.Key key = SparkFixtures.key(pass);
        Path here = dir.resolve("resume-here");
        SparkFixtures.featurizeHere(new FeatureCache(here), key, pass);

        FeatureCache cache = new FeatureCache(dir.resolve("resume-spark"));
        int[] written = {0};
        IOException failure = assertThrows(IOException.class, () -> cache.ensure(key, pass.batches(), pass.data().size(),
                (missing, sink) -> spark.forward(pass, missing, (i, features) -> {
                    if (written[0] == 5) {
                        throw new IOException("no space left on device (simulated)");
                    }
                    sink.accept(i, features);
                    written[0]++;
                }), Progress.NONE));
        assertTrue(failure.getMessage().contains("simulated"));
        List<Integer> asked = new ArrayList<>();
        cache.ensure(key, pass.batches(), pass.data().size(), (missing, sink) -> {
            for (int i : missing) {
                asked.add(i);
            }
            spark.forward(pass, missing, sink);
        }, Progress.NONE);
        assertEquals(pass.batches() - 5, asked.size(), "only the missing batches are computed again: " + asked);
        SparkFixtures.assertSameShards(here, dir.resolve("resume-spark"));
    }

    /**
     * Gradient sharing (DL4J's SharedTrainingMaster over Aeron) trains the head too: six epochs (each sets up the
     * Aeron mesh, 5-6 s here) take the validation loss down by more than a quarter. Its threshold encoding holds
     * back updates smaller than the threshold, so it starts slower than averaging (after six epochs the test
     * accuracy is still near chance, and is not asserted). It keeps no training loss: the epochs say NaN.
     */
    @Test
    void gradientSharingTrainsTheHead() throws IOException {
        // a round takes 3-4 s here: one that stalls is cancelled after a minute and run again
        var plan = SparkFixtures.plan(data, dir.resolve("cache-sharing"),
                spark.withTraining(SparkEngine.Training.GRADIENT_SHARING).withStallLimit(java.time.Duration.ofMinutes(1)));
        TransferJob.Result r = TransferJob.run(plan.withHead(plan.head().withEpochs(6).withPatience(6).withLearningRate(1e-2)));
        var epochs = r.history().get(0).epochs();
        System.out.printf("gradient sharing: validation losses %s, test accuracy %.4f%n",
                epochs.stream().map(e -> String.format("%.3f", e.validationLoss())).toList(), r.metrics().accuracy());
        assertTrue(r.history().get(0).best().validationLoss() < 0.75 * epochs.get(0).validationLoss(), "validation improves");
        assertTrue(Double.isNaN(epochs.get(0).trainLoss()), "no made-up training loss");
    }

    /** A failure on an executor reaches the caller as a message, not a hang or Spark's stack trace. */
    @Test
    void anExecutorFailureReachesTheCaller() {
        Engine.Pass pass = new Engine.Pass(data.train(), SparkFixtures.input(), null, 7, 16,
                SparkFixtures.backbone().graph(), "no-such-vertex");
        IOException e = assertThrows(IOException.class, () -> spark.forward(pass, new int[]{0, 1}, (i, f) -> { }));
        assertTrue(e.getMessage().startsWith("the Spark job failed: ") && e.getMessage().contains("no-such-vertex"),
                e.getMessage());
    }
}
