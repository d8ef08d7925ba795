package org.cnnzoo.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed reference files are what the scripts in tools/reference make with Debian's torchvision: re-run
 * them and compare, so the fixtures cannot drift from their source. Needs python3-torchvision, which .ci/run
 * installs; under CI=true its absence is a failure.
 */
class ReferenceFixturesTest {
    private static final Path TOOLS = Path.of("..", "tools", "reference");
    private static final Path RESOURCES = Path.of("src", "test", "resources", "reference");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    private static void requireTorchvision() {
        ExternalTools.require(ExternalTools.succeeds("/usr/bin/python3", "-c", "import torchvision"),
                "Debian's python3-torchvision is not installed (apt-get install python3-torchvision)");
    }

    private void run(String script) throws Exception {
        ExternalTools.run(Path.of("."), 20, List.of("/usr/bin/python3", TOOLS.resolve(script).toString(), out.toString()));
    }

    @Test
    @Timeout(1200)
    void stateDictLayoutsAreTorchvisionsOwn() throws Exception {
        requireTorchvision();
        run("torchvision_state_dicts.py");
        for (Path committed : files(RESOURCES.resolve("torchvision"))) {
            assertEquals(Files.readString(committed), Files.readString(out.resolve(committed.getFileName())),
                    committed + " drifted from tools/reference/torchvision_state_dicts.py");
        }
    }

    @Test
    @Timeout(1200)
    void logitsAreTorchvisionsOwn() throws Exception {
        requireTorchvision();
        run("torchvision_logits.py");
        for (Path committed : files(RESOURCES.resolve("logits"))) {
            for (String field : List.of("logits", "image_logits")) {
                JsonNode a = JSON.readTree(committed.toFile()).get(field);
                JsonNode b = JSON.readTree(out.resolve(committed.getFileName()).toFile()).get(field);
                assertClose(a, b, committed + " " + field);
            }
        }
    }

    private static void assertClose(JsonNode a, JsonNode b, String what) {
        double max = 0;
        double diff = 0;
        for (int r = 0; r < a.size(); r++) {
            for (int c = 0; c < a.get(r).size(); c++) {
                max = Math.max(max, Math.abs(a.get(r).get(c).asDouble()));
                diff = Math.max(diff, Math.abs(a.get(r).get(c).asDouble() - b.get(r).get(c).asDouble()));
            }
        }
        // torch's own results may differ in the last float digits between CPUs
        assertTrue(diff <= 1e-5 * Math.max(1, max), what + " drifted: max |difference| " + diff);
    }

    /** torchvision's weight catalogue, as shipped, is what its own weight enums say today. */
    @Test
    @Timeout(600)
    void weightCatalogueIsTorchvisionsOwn() throws Exception {
        requireTorchvision();
        Path fresh = out.resolve("torchvision-weights.json");
        ExternalTools.run(Path.of("."), 10, List.of("/usr/bin/python3",
                TOOLS.resolve("torchvision_weights.py").toString(), fresh.toString()));
        Path committed = Path.of("src", "main", "resources", "org", "cnnzoo", "zoo", "torchvision-weights.json");
        assertEquals(JSON.readTree(committed.toFile()), JSON.readTree(fresh.toFile()),
                committed + " drifted from tools/reference/torchvision_weights.py: run it and commit the result");
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
