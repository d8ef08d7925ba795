package org.cnnzoo.zoo;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference tools outside the JVM (Debian's Python packages, node): required under CI=true, optional elsewhere. */
public final class ExternalTools {
    private ExternalTools() {
    }

    /** Fails the test under CI=true (where .ci/run installs the tool), else skips it, when {@code present} is false. */
    public static void require(boolean present, String whatToInstall) {
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(whatToInstall);
            }
            // Surefire shows only a count of skipped tests: the reason goes to the log too
            System.err.println("SKIPPED (optional tool missing): " + whatToInstall);
            Assumptions.abort(whatToInstall);
        }
    }

    /** Whether a command exits with 0 within two minutes. */
    public static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs a command in {@code dir}, failing the test with its output unless it exits with 0 in time. */
    public static void run(Path dir, long minutes, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(minutes, TimeUnit.MINUTES), command + " did not finish");
        assertEquals(0, p.exitValue(), command + " failed:\n" + output);
    }

    /** The Python module a reference script needs, and what to install for it. */
    public enum Needs {
        TORCHVISION("torchvision", "Debian's python3-torchvision is not installed (apt-get install python3-torchvision)"),
        NUMPY("numpy", "Debian's python3-numpy is not installed (apt-get install python3-torchvision brings it)");

        private final String module;
        private final String install;

        Needs(String module, String install) {
            this.module = module;
            this.install = install;
        }
    }

    /**
     * Runs {@code tools/reference/SCRIPT OUT [ARGS]} with Debian's Python from a module's folder, after requiring
     * what it needs (a failure under CI=true, else a skip), and returns {@code out}.
     */
    public static Path reference(Needs needs, String script, Path out, long minutes, String... args) throws Exception {
        require(succeeds("/usr/bin/python3", "-c", "import " + needs.module), needs.install);
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3",
                Path.of("..", "tools", "reference", script).toString(), out.toString()));
        command.addAll(List.of(args));
        run(Path.of("."), minutes, command);
        return out;
    }
}
