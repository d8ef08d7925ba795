package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1.
 *
 * <p>DL4J's {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * and calls {@code isUseMKLDNN()} by reflection, but M2.1 ships the class as
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} with {@code isUseONEDNN()}. The lookup
 * fails, is cached as a failure, and every oneDNN layer helper (convolution, pooling, batch norm, LRN) silently
 * falls back to the slower built-in path. This class answers under the expected name by delegating to the real one.
 * The delegation is reflective too, so that the zoo also compiles against the CUDA backend, where DL4J never asks.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The environment as DL4J's helper check expects it. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private static final String REAL = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            try {
                Class<?> real = Class.forName(REAL);
                Object environment = real.getMethod("getInstance").invoke(null);
                Method useOneDnn = real.getMethod("isUseONEDNN");
                return (Boolean) useOneDnn.invoke(environment);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;                            // not the CPU backend: no oneDNN
            }
        }
    }
}
