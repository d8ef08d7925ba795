package org.cnnzoo.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.cnnzoo.transfer.Engine;
import org.cnnzoo.transfer.FeatureCache;
import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.TransferJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine on a real standalone cluster (a master and two one-core workers, each its own JVM on 127.0.0.1):
 * the same run as one machine, and featurization that survives a worker dying half-way.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterTest {
    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static SparkEngine spark;
    static SparkFixtures.Folders data;

    @BeforeAll
    static void start() throws Exception {
        data = SparkFixtures.Folders.under(dir);
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1);
        spark = SparkEngine.start(cluster.conf());
        int executors = spark.awaitExecutors(2, 180_000);
        assertEquals(2, executors, "both workers' executors joined:\n" + cluster.log("worker-0") + "\n" + cluster.log("worker-1"));
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aTransferRunOnTheClusterEqualsOneMachines() throws IOException {
        TransferJob.Result here = TransferJob.run(SparkFixtures.plan(data, dir.resolve("cache-here"), null));
        TransferJob.Result there = TransferJob.run(SparkFixtures.plan(data, dir.resolve("cache-cluster"), spark));
        SparkFixtures.assertSameShards(dir.resolve("cache-here"), dir.resolve("cache-cluster"));
        System.out.printf("cluster: test accuracy one machine %.4f, cluster %.4f%n", here.metrics().accuracy(),
                there.metrics().accuracy());
        assertEquals(here.metrics().accuracy(), there.metrics().accuracy(), 0.05);
    }

    @Test
    @Order(2)
    void aWorkerDyingHalfWayLosesAndDuplicatesNoShard() throws Exception {
        Engine.Pass pass = SparkFixtures.pass(data.train());
        FeatureCache.Key key = SparkFixtures.key(pass);
        Path here = dir.resolve("kill-here");
        SparkFixtures.featurizeHere(new FeatureCache(here), key, pass);

        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger started = new AtomicInteger();
        spark.context().sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart task) {
                if (started.incrementAndGet() == 1) {
                    // a moment into the first task, so that it dies running
                    new Thread(() -> {
                        sleep(1500);
                        cluster.kill(0);
                        killed.set(true);
                    }).start();
                }
            }
        });
        Path there = dir.resolve("kill-cluster");
        AtomicInteger delivered = new AtomicInteger();
        new FeatureCache(there).ensure(key, pass.batches(), pass.data().size(), (missing, sink) ->
                spark.forward(pass, missing, (i, features) -> {
                    delivered.incrementAndGet();
                    sink.accept(i, features);
                }), Progress.NONE);
        assertTrue(killed.get(), "a worker was killed during the job");
        assertEquals(pass.batches(), delivered.get(), "every batch delivered once");
        assertTrue(started.get() > 2, "the lost task ran again: " + started.get() + " task starts");
        SparkFixtures.assertSameShards(here, there);
    }

    /**
     * The command line pointed at the cluster: {@code transfer --spark spark://...} trains the head and fine-tunes
     * the last block through Spark and writes the run. Runs last, on the worker the previous test left alive, after
     * the tests' own application has stopped (one Spark context per JVM).
     */
    @Test
    @Order(3)
    void theCommandLineRunsATransferWithFineTuningOnTheCluster() {
        spark.close();
        spark = null;
        System.setProperty(SparkEngine.EXECUTOR_CLASS_PATH, StandaloneCluster.classPath());
        try {
            Path out = dir.resolve("cli-run");
            org.cnnzoo.cli.MainTest.Result r = org.cnnzoo.cli.MainTest.run("transfer", "--model", "resnet18",
                    "--input", "32,32,1", "--normalization", "unit", "--data", data.train().root().toString(),
                    "--test", data.test().root().toString(), "--split", "0.9,0.1", "--regime", "head",
                    "--finetune-blocks", "1", "--finetune-epochs", "1", "--epochs", "5", "--batch", "16",
                    "--cache", dir.resolve("cli-cache").toString(), "--out", out.toString(), "--spark", cluster.url());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("running on Spark " + cluster.url()), r.err());
            assertTrue(r.out().contains("fine-tune: 1 epoch(s)") && r.out().contains("test: 90 images"), r.out());
            assertTrue(java.nio.file.Files.isRegularFile(out.resolve("model.zip")));
        } finally {
            System.clearProperty(SparkEngine.EXECUTOR_CLASS_PATH);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
