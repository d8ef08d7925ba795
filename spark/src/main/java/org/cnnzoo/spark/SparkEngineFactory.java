package org.cnnzoo.spark;

import org.cnnzoo.transfer.Engine;

/** Makes {@link SparkEngine}s for {@code --spark MASTER}; found by {@link Engine#start(String)} as a service. */
public final class SparkEngineFactory implements Engine.Factory {
    @Override
    public Engine start(String master) {
        return SparkEngine.start(master);
    }
}
