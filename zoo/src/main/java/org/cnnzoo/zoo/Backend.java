package org.cnnzoo.zoo;

import java.util.Map;

/**
 * Makes the ND4J backend fast by default. Call {@link #init()} before the first use of ND4J; every zoo entry
 * point does.
 *
 * <p>Three switches are needed to run DL4J 1.0.0-M2.1 on oneDNN (see {@code shared/notes/dl4j-m2.1-facts.md}):
 * the oneDNN build of nd4j-native (a Maven classifier, which javacpp only loads when told its platform
 * extension), DL4J's layer helpers (off unless a system property says otherwise), and the class-name shim in
 * {@code org.nd4j.nativeblas.Nd4jCpu}. The thread setting that matters most, {@code OMP_WAIT_POLICY=PASSIVE},
 * is an environment variable that must be set before the JVM starts: the {@code ./cnnzoo} launcher and the test
 * configuration set it, and {@link #ompWaitPolicyIsPassive()} lets callers warn when it is missing.
 */
public final class Backend {
    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String HELPERS_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    /** Resource folders of the native builds we depend on, each with the extension that selects it. */
    private static final Map<String, String> BUILDS = Map.of(
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/", "-onednn",
            "org/nd4j/linalg/jcublas/bindings/linux-x86_64-cudnn/", "-cudnn");

    private static volatile boolean done;

    private Backend() {
    }

    /** Selects the native build found on the class path and enables DL4J's layer helpers. Idempotent. */
    public static synchronized void init() {
        if (done) {
            return;
        }
        if (System.getProperty(EXTENSION_PROPERTY) == null) {
            ClassLoader loader = Backend.class.getClassLoader();
            BUILDS.forEach((folder, extension) -> {
                if (loader.getResource(folder) != null) {
                    System.setProperty(EXTENSION_PROPERTY, extension);
                }
            });
        }
        if (System.getProperty(HELPERS_PROPERTY) == null) {
            System.setProperty(HELPERS_PROPERTY, "false");
        }
        done = true;
    }

    /** The native build extension in force, e.g. {@code -onednn}, or empty for a plain build. */
    public static String extension() {
        init();
        return System.getProperty(EXTENSION_PROPERTY, "");
    }

    /** True when OpenMP threads sleep instead of spinning while they wait (or only one thread is used). */
    public static boolean ompWaitPolicyIsPassive() {
        String policy = System.getenv("OMP_WAIT_POLICY");
        String threads = System.getenv("OMP_NUM_THREADS");
        return "PASSIVE".equalsIgnoreCase(policy) || "1".equals(threads);
    }
}
