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

    /** The engine asked for, started (null without --spark); the caller closes it. */
    Engine start(PrintWriter err) {
        if (master == null) {
            return null;
        }
        Engine engine = Engine.start(master);
        err.println("running on " + engine.describe());
        return engine;
    }
}
