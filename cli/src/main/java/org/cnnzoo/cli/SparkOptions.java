package org.cnnzoo.cli;

import org.cnnzoo.transfer.Engine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code --spark MASTER}: the passes over images and the training epochs run on Apache Spark. */
final class SparkOptions {

    @Option(names = "--spark", paramLabel = "MASTER", description = "Run featurization, training and evaluation on"
            + " Apache Spark: local[N] or spark://HOST:PORT (./cnnzoo then adds Spark to the class path; executors"
            + " of a cluster need cnnzoo at the same path as here).")
    String master;

    @Option(names = "--spark-training", paramLabel = "averaging|sharing", description = "With --spark: parameter"
            + " averaging (default: a round every 5 batches per worker) or gradient sharing (DL4J's"
            + " SharedTrainingMaster over Aeron; slower here, see bench/RESULTS.md).")
    String training = "averaging";

    @Option(names = "--spark-stall-limit", paramLabel = "SECONDS", converter = Values.Positive.class,
            description = "With --spark-training sharing: a round that takes longer is cancelled and run again, at"
                    + " most 3 times (default 600, or ten times the slowest round so far if longer).")
    Integer stallLimit;

    /** The engine asked for, started (null without --spark); the caller closes it. */
    Engine start(PrintWriter err) {
        if (stallLimit != null && !training.equals("sharing")) {
            throw new IllegalArgumentException("--spark-stall-limit goes with --spark-training sharing");
        }
        if (master == null) {
            if (!training.equals("averaging")) {
                throw new IllegalArgumentException("--spark-training goes with --spark MASTER");
            }
            return null;
        }
        java.util.Map<String, String> settings = new java.util.HashMap<>(java.util.Map.of("training", training));
        if (stallLimit != null) {
            settings.put("stallLimit", String.valueOf(stallLimit));
        }
        Engine engine = Engine.start(master, settings);
        err.println("running on " + engine.describe());
        return engine;
    }
}
