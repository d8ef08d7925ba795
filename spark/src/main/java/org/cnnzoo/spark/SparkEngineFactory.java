package org.cnnzoo.spark;

import org.cnnzoo.transfer.Engine;

import java.util.Map;

/**
 * Makes {@link SparkEngine}s for {@code --spark MASTER}; found by {@link Engine#start(String)} as a service.
 * Settings: {@code training} = {@code averaging} (default) or {@code sharing}.
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
        return SparkEngine.start(master).withTraining(chosen);
    }
}
