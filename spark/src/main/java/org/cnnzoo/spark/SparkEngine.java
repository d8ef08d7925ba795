package org.cnnzoo.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.cnnzoo.transfer.Engine;
import org.cnnzoo.transfer.FeatureCache;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import scala.Tuple2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a job's passes over images and its training epochs on Apache Spark, through DL4J's Spark integration.
 *
 * <p>Forward passes (featurization, evaluation) are split by batch: every executor rebuilds the driver's image
 * iterator from the broadcast image list and jumps to its batches, so batch i computed there is batch i computed
 * here, and results come back to the driver, which writes the feature cache as on one machine. They run in waves of
 * a few batches per core, each wave's results written before the next starts: a job stopped half-way keeps its
 * finished shards. A failed task is retried by Spark on another executor; results are keyed by batch, so a retry
 * neither loses nor duplicates one.
 *
 * <p>Training runs {@link SparkComputationGraph} with parameter averaging by default: each round, workers fit a
 * few batches from the same parameters and the driver averages parameters and updater state. Gradient sharing
 * (DL4J's SharedTrainingMaster) is the other {@link Training}; it sets up its Aeron mesh for every call, which a
 * job validating after each epoch pays each epoch (5.5 s here), so it is not the default.
 */
public final class SparkEngine implements Engine, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SparkEngine.class);
    /**
     * The JVM options Spark 3.1 needs on JDK 17 (its serializers reach into these packages); the {@code cnnzoo}
     * launcher gives the driver the same list, and executors get it from here.
     */
    public static final List<String> JAVA_OPTIONS = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");

    /**
     * Gradient sharing's Aeron publications give up after 15 s by default, less than a slow first batch takes; a
     * minute as DL4J's own examples set it.
     */
    private static final String AERON_TIMEOUT = "-Daeron.publication.unblock.timeout=60000000000";

    /** See {@link #withStallLimit}. */
    static final Duration STALL_LIMIT = Duration.ofMinutes(10);

    /** Gradient-sharing rounds run at most this many times when they stall, before the training fails. */
    static final int STALL_ATTEMPTS = 3;

    /** A system property naming the executors' class path, when it is not this JVM's own. */
    public static final String EXECUTOR_CLASS_PATH = "cnnzoo.spark.executorClassPath";

    /** How workers combine what they learn. */
    public enum Training {
        /** Each round, workers fit a few batches from the same parameters; the driver averages them (DL4J's first). */
        PARAMETER_AVERAGING,
        /** Workers send each other threshold-encoded updates over Aeron as they go (DL4J's SharedTrainingMaster). */
        GRADIENT_SHARING
    }

    private final JavaSparkContext sc;
    private final boolean owned;
    private final int averagingFrequency;
    private final int wavePerCore;
    private final Training training;
    private final Duration stallLimit;
    private Broadcast<byte[]> model;
    private String modelId;
    /** The longest a gradient-sharing round has taken so far (nanoseconds). */
    private final AtomicLong slowestRound = new AtomicLong();

    private SparkEngine(JavaSparkContext sc, boolean owned, int averagingFrequency, int wavePerCore, Training training,
                        Duration stallLimit) {
        this.sc = sc;
        this.owned = owned;
        this.averagingFrequency = averagingFrequency;
        this.wavePerCore = wavePerCore;
        this.training = training;
        this.stallLimit = stallLimit;
    }

    /**
     * Starts a Spark application on {@code master} ({@code local[N]}, {@code spark://host:port}); close the engine
     * to stop it.
     */
    public static SparkEngine start(String master) {
        return start(conf(master));
    }

    /** Starts a Spark application with the given settings (start from {@link #conf}). */
    public static SparkEngine start(SparkConf conf) {
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");                          // Spark's INFO lines would bury the job's own messages
        return new SparkEngine(sc, true, 5, 4, Training.PARAMETER_AVERAGING, STALL_LIMIT);
    }

    /**
     * Waits until {@code count} executors have joined (a cluster's executors start after the application), so that
     * work is spread from the first batch; returns how many there are when the time is up.
     */
    public int awaitExecutors(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        int executors = executors();
        while (executors < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            executors = executors();
        }
        return executors;
    }

    /** Executors now registered (the driver not counted; in local mode the driver runs the tasks: 1). */
    public int executors() {
        int n = sc.sc().getExecutorMemoryStatus().size();
        return sc.isLocal() ? 1 : Math.max(0, n - 1);
    }

    /** Runs on a user's own Spark application (left running when the engine is closed). */
    public static SparkEngine on(JavaSparkContext sc) {
        return new SparkEngine(sc, false, 5, 4, Training.PARAMETER_AVERAGING, STALL_LIMIT);
    }

    /**
     * Parameter averaging every {@code batches} batches per worker (default 5). The copy shares this engine's
     * Spark context: close one of them, once.
     */
    public SparkEngine withAveragingFrequency(int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("averaging frequency must be at least 1 batch, got " + batches);
        }
        return new SparkEngine(sc, owned, batches, wavePerCore, training, stallLimit);
    }

    /** The same engine training the given way (parameter averaging by default); it shares the Spark context. */
    public SparkEngine withTraining(Training value) {
        return new SparkEngine(sc, owned, averagingFrequency, wavePerCore, value, stallLimit);
    }

    /**
     * How long a gradient-sharing round may take before it is taken as stalled, cancelled and run again (default
     * 10 minutes; once a round has finished, ten times the slowest so far if that is longer). Parameter averaging
     * has no such limit: it has not been seen to stall.
     */
    public SparkEngine withStallLimit(Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the stall limit must be positive, got " + value);
        }
        return new SparkEngine(sc, owned, averagingFrequency, wavePerCore, training, value);
    }

    /** The settings cnnzoo runs Spark with: executors get the JDK 17 options and sleeping OpenMP threads. */
    public static SparkConf conf(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("--spark needs a master URL: local[N] or spark://host:port");
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("cnnzoo")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraJavaOptions", String.join(" ", JAVA_OPTIONS) + " " + AERON_TIMEOUT)
                .set("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
                .set("spark.hadoop.hadoop.tmp.dir", Path.of(System.getProperty("java.io.tmpdir"), "cnnzoo-hadoop").toString());
        if (!master.startsWith("local")) {
            // executors load cnnzoo from the same paths as this JVM (an install every machine sees at the same
            // place); a job submitted with spark-submit gets its jars from there instead
            conf.set("spark.executor.extraClassPath", absolute(System.getProperty(EXECUTOR_CLASS_PATH,
                    System.getProperty("java.class.path"))));
        }
        if (master.startsWith("local") || master.contains("://127.0.0.1") || master.contains("://localhost")) {
            // everything on this machine: nothing needs to listen beyond the loopback interface
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        return conf;
    }

    /** A class path with every entry absolute: executors start in folders of their own. */
    static String absolute(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(entry.endsWith("*") ? Path.of(entry.substring(0, entry.length() - 1)).toAbsolutePath() + "/*"
                        : Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    public JavaSparkContext context() {
        return sc;
    }

    @Override
    public String describe() {
        return "Spark " + sc.master() + " (" + sc.defaultParallelism() + " cores)";
    }

    @Override
    public void forward(Pass pass, int[] batches, FeatureCache.ShardSink sink) throws IOException {
        if (batches.length == 0) {
            return;
        }
        int cores = Math.max(1, sc.defaultParallelism());
        byte[] bytes = ForwardJob.model(pass.network());
        String id = org.cnnzoo.common.Hashing.hex(org.cnnzoo.common.Hashing.digest("SHA-256").digest(bytes));
        Broadcast<byte[]> model = model(id, bytes);
        Broadcast<ForwardJob> job = sc.broadcast(ForwardJob.of(pass, id));
        try {
            int wave = cores * wavePerCore;
            for (int start = 0; start < batches.length; start += wave) {
                List<Integer> part = new ArrayList<>();
                for (int i = start; i < Math.min(batches.length, start + wave); i++) {
                    part.add(batches[i]);
                }
                sc.setJobDescription("cnnzoo: batches " + part.get(0) + "-" + part.get(part.size() - 1) + " of "
                        + pass.batches() + " through " + pass.vertex());
                List<Tuple2<Integer, byte[]>> results = collect(sc.parallelize(part, Math.min(part.size(), cores))
                        .mapPartitions(new ForwardTask(job, model, 1)));
                for (Tuple2<Integer, byte[]> r : results) {
                    DataSet features = new DataSet();
                    features.load(new ByteArrayInputStream(r._2()));
                    sink.accept(r._1(), features);
                }
            }
        } finally {
            job.destroy();
        }
    }

    /**
     * The network's broadcast: kept while passes use the same network, so that executors fetch and read it once;
     * a pass through another network replaces it.
     */
    private synchronized Broadcast<byte[]> model(String id, byte[] bytes) {
        if (!id.equals(modelId)) {
            if (model != null) {
                model.destroy();
            }
            model = sc.broadcast(bytes);
            modelId = id;
        }
        return model;
    }

    /** The results of a Spark job, or its failure as an exception saying what went wrong (not Spark's trace). */
    private static <T> List<T> collect(JavaRDD<T> rdd) throws IOException {
        try {
            return rdd.collect();
        } catch (Exception e) {
            // Scala does not declare its exceptions: a failed job's SparkException arrives undeclared
            if (!(e instanceof org.apache.spark.SparkException)) {
                throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IOException("the Spark job failed: " + firstLine(cause.getMessage() == null ? e.getMessage()
                    : cause.getMessage()), e);
        }
    }

    private static String firstLine(String text) {
        int nl = text == null ? -1 : text.indexOf('\n');
        return nl < 0 ? String.valueOf(text) : text.substring(0, nl);
    }

    /**
     * One epoch with parameter averaging. The batches are made here (cached features, or images for fine-tuning)
     * and sent in chunks of a few averaging rounds per core, so that the driver never holds a whole epoch.
     */
    @Override
    public double fitEpoch(ComputationGraph net, DataSetIterator train) {
        int cores = Math.max(1, sc.defaultParallelism());
        int chunk = cores * averagingFrequency * wavePerCore;
        double lossSum = 0;
        long examples = 0;
        train.reset();
        List<DataSet> batches = new ArrayList<>();
        while (train.hasNext()) {
            DataSet batch = train.next();
            if (batch.numExamples() > 0) {
                batches.add(batch);
            }
            if (batches.size() == chunk || !train.hasNext() && !batches.isEmpty()) {
                int n = batches.stream().mapToInt(DataSet::numExamples).sum();
                lossSum += fit(net, batches, cores) * n;
                examples += n;
                batches = new ArrayList<>();
            }
        }
        return examples == 0 ? Double.NaN : lossSum / examples;
    }

    /**
     * Fits the batches; returns the workers' mean loss in the last round of parameter averaging (NaN with gradient
     * sharing, which keeps none).
     */
    private double fit(ComputationGraph net, List<DataSet> batches, int cores) {
        int batchSize = batches.stream().mapToInt(DataSet::numExamples).max().orElse(1);
        long seed = net.getConfiguration().getDefaultConfiguration().getSeed();
        JavaRDD<DataSet> rdd = sc.parallelize(batches, Math.min(batches.size(), cores));
        if (training == Training.GRADIENT_SHARING) {
            System.setProperty("aeron.publication.unblock.timeout", "60000000000");   // see AERON_TIMEOUT
            adopt(net, fitWatched(net, rdd, batchSize, seed));
            // gradient sharing keeps no score (DL4J reports 0): say unknown rather than a perfect loss
            return Double.NaN;
        }
        SparkComputationGraph spark = new SparkComputationGraph(sc, net, new ParameterAveragingTrainingMaster.Builder(batchSize)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                // the batches keep the partitions they were given, split the same way in every run: same seed,
                // same result
                .repartionData(org.deeplearning4j.spark.api.Repartition.Never)
                .rngSeed(seed)
                .build());
        sc.setJobDescription("cnnzoo: " + batches.size() + " batches, parameters averaged every "
                + averagingFrequency + " per worker");
        adopt(net, spark.fit(rdd));
        return spark.getScore();
    }

    /** The network takes the trained one's parameters and updater state (nothing to do when they are one). */
    private static void adopt(ComputationGraph net, ComputationGraph trained) {
        if (trained == net) {
            return;
        }
        net.setParams(trained.params());
        if (trained.getUpdater() != null && net.getUpdater().getStateViewArray() != null) {
            net.getUpdater().getStateViewArray().assign(trained.getUpdater().getStateViewArray());
        }
    }

    /**
     * A gradient-sharing round, cancelled and run again when it stalls: DL4J's Aeron transport has been seen to stop
     * a round for good, and a stalled round must not hang the caller. Each attempt trains a copy of the network on
     * a mesh of its own (a new port), so a cancelled round that finishes late changes nothing; the network takes
     * the copy's parameters only when a round returns.
     */
    private ComputationGraph fitWatched(ComputationGraph net, JavaRDD<DataSet> rdd, int batchSize, long seed) {
        long limit = Math.max(stallLimit.toNanos(), 10 * slowestRound.get());
        java.util.concurrent.atomic.AtomicReference<String> group = new java.util.concurrent.atomic.AtomicReference<>();
        return retryStalled(() -> {
            String id = "cnnzoo-round-" + java.util.UUID.randomUUID();
            group.set(id);
            sc.setJobGroup(id, "cnnzoo: a gradient-sharing round", true);
            SparkComputationGraph spark = new SparkComputationGraph(sc, net.clone(),
                    new org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster.Builder(
                            org.nd4j.parameterserver.distributed.conf.VoidConfiguration.builder()
                                    .controllerAddress(sc.getConf().get("spark.driver.host", "127.0.0.1"))
                                    .unicastPort(freePort()).build(), batchSize)
                            .batchSizePerWorker(batchSize)
                            .workersPerNode(1)
                            .rngSeed(seed)
                            .rddTrainingApproach(RDDTrainingApproach.Direct)
                            .repartitionData(org.deeplearning4j.spark.api.Repartition.Never)
                            .build());
            long t0 = System.nanoTime();
            ComputationGraph trained = spark.fit(rdd);
            slowestRound.accumulateAndGet(System.nanoTime() - t0, Math::max);
            return trained;
        }, () -> {
            if (group.get() != null) {
                sc.cancelJobGroup(group.get());
            }
        }, limit, STALL_ATTEMPTS, "a gradient-sharing round",
                "train with parameter averaging (--spark-training averaging, the default) instead");
    }

    /**
     * Runs {@code round} on a thread of its own and waits at most {@code limitNanos} for it; a round that takes
     * longer is cancelled ({@code cancel}, then an interrupt) and started again, up to {@code attempts} times in all,
     * after which an exception says what stalled and {@code advice}. A round's own failure reaches the caller at once.
     */
    static <T> T retryStalled(Callable<T> round, Runnable cancel, long limitNanos, int attempts, String what,
                              String advice) {
        for (int attempt = 1; ; attempt++) {
            ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "cnnzoo: " + what);
                t.setDaemon(true);      // a round that ignores its interrupt must not keep the JVM alive
                return t;
            });
            Future<T> running = runner.submit(round);
            try {
                return running.get(limitNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                cancel.run();
                running.cancel(true);
                String stalled = String.format(Locale.ROOT, "%s made no progress in %.0f s", what, limitNanos / 1e9);
                if (attempt == attempts) {
                    throw new IllegalStateException(stalled + ", " + attempts + " times; " + advice);
                }
                LOG.warn("{} (attempt {} of {}): cancelled, running it again from the same parameters", stalled,
                        attempt, attempts);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            } catch (InterruptedException e) {
                cancel.run();
                running.cancel(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            } finally {
                runner.shutdown();
            }
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no free port for gradient sharing", e);
        }
    }

    @Override
    public void close() {
        if (model != null) {
            model.destroy();
            model = null;
        }
        if (owned) {
            sc.stop();
        }
    }
}
