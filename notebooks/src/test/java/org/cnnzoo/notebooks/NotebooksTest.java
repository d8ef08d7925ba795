package org.cnnzoo.notebooks;

import org.cnnzoo.zoo.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every notebook runs top to bottom on the rapaio kernel without an error (run_notebooks.py, with Debian's Jupyter,
 * which .ci/run installs). The executed copies are left in target/executed.
 */
class NotebooksTest {

    private static void requireJupyter() {
        ExternalTools.require(ExternalTools.succeeds("/usr/bin/python3", "-c", "import nbclient, jupyter_client"),
                "Jupyter from Debian is missing (apt-get install python3-nbclient jupyter-client jupyter-nbconvert)");
    }

    /** Runs run_notebooks.py on the given notebooks; returns its output and exit code. */
    private static String[] run(List<String> notebooks) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/python3", "run_notebooks.py"));
        command.addAll(notebooks);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.MINUTES), "the notebooks did not finish");
        return new String[]{output, String.valueOf(p.exitValue())};
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void everyNotebookRunsGreen() throws Exception {
        requireJupyter();
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(Path.of("."))) {
            notebooks = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertEquals(10, notebooks.size(), "one notebook per course topic: " + notebooks);
        String[] r = run(List.of());
        assertTrue(r[0].contains("10 passed, 0 failed"), r[0]);
        assertEquals("0", r[1], r[0]);
        for (Path nb : notebooks) {
            // committed outputs stay small: no multi-megabyte pictures in the JSON
            assertTrue(Files.size(nb) < 1_000_000, nb + " is " + Files.size(nb) + " bytes");
            assertTrue(Files.isRegularFile(Path.of("target/executed").resolve(nb.getFileName())), nb + " executed copy");
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theRunnerFailsOnCompileErrorsExceptionsAndUnresolvedDependencies() throws Exception {
        requireJupyter();
        String[] r = run(List.of("src/test/resources/failing/compile-error.ipynb",
                "src/test/resources/failing/exception.ipynb", "src/test/resources/failing/unresolved-dependency.ipynb"));
        assertEquals("1", r[1], r[0]);
        assertTrue(r[0].contains("FAIL compile-error") && r[0].contains("incompatible types"), r[0]);
        assertTrue(r[0].contains("FAIL exception") && r[0].contains("For input string"), r[0]);
        assertTrue(r[0].contains("FAIL unresolved-dependency") && r[0].contains("Could not resolve dependencies"), r[0]);
        assertTrue(r[0].contains("0 passed, 3 failed"), r[0]);
    }
}
