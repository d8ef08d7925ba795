package org.cnnzoo.spark;

import org.cnnzoo.transfer.Engine;

import java.util.Map;

/**
 * Makes {@link SparkEngine}s for {@code --spark MASTER}; found by {@link Engine#start(String)} as a service.
 * Settings: {@code training} = {@code averaging} (default) or {@code sharing}; {@code stallLimit} = seconds a
 * gradient-sharing round may take before it is cancelled and run again ({@link SparkEngine#withStallLimit}).
 */
public final class SparkEngineFactory implements Engine.Factory {
    @Override
    public Engine start(String master, Map<String, String> settings) {
        String training = settings.getOrDefault("training", "averaging");
        SparkEngine.Training chosen = switch (training) {
            case "averaging" -> SparkEngine.Training.PARAMETER_AVERAGING;
            case "sharing" -> SparkEngine.Training.GRADIENT_SHARING;
            default -> throw new IllegalArgumentException("--spark-training is averaging or sharing, not '" + training + "'");
        };
        java.time.Duration stall = SparkEngine.STALL_LIMIT;
        String seconds = settings.get("stallLimit");
        if (seconds != null) {
            if (chosen != SparkEngine.Training.GRADIENT_SHARING) {
                throw new IllegalArgumentException("--spark-stall-limit goes with --spark-training sharing");
            }
            long s;
            try {
                s = Long.parseLong(seconds);
            } catch (NumberFormatException e) {
                s = 0;
            }
            if (s < 1) {
                throw new IllegalArgumentException("--spark-stall-limit is a whole number of seconds from 1, not '"
                        + seconds + "'");
            }
            stall = java.time.Duration.ofSeconds(s);
        }
        // checked before Spark starts, so that a bad setting leaves nothing running
        return SparkEngine.start(master).withTraining(chosen).withStallLimit(stall);
    }
}
