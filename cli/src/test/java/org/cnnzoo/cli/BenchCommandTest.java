package org.cnnzoo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cnnzoo.zoo.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cnnzoo bench end to end on LeNet-5 (a smoke test of the harness: the figures of a quick run mean little). */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void benchComparesDl4jWithPyTorchAndWritesJson() throws Exception {
        ExternalTools.require(ExternalTools.succeeds("/usr/bin/python3", "-c", "import torch, torchvision"),
                "Debian's python3-torch is not installed (apt-get install python3-torchvision)");
        Path out = dir.resolve("bench.json");
        MainTest.Result r = MainTest.run("bench", "--models", "lenet5", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("inference b64") && r.out().contains("training b64"), r.out());
        assertTrue(r.out().matches("(?s).*lenet5 +inference b1 .*\\d\\.\\d\\dx.*"), r.out());
        JsonNode lenet = new ObjectMapper().readTree(out.toFile()).get("models").get("lenet5");
        assertTrue(lenet.get("dl4j").get("training_batch").asDouble() > 0, lenet.toString());
        assertTrue(lenet.get("pytorch_nchw").get("inference_batch").asDouble() > 0, lenet.toString());
        assertTrue(lenet.get("pytorch_channels_last").get("training_batch").asDouble() > 0, lenet.toString());
        assertTrue(lenet.get("dl4j").get("sgemm_gflops").asDouble() > 1, lenet.toString());

        MainTest.Result unknown = MainTest.run("bench", "--models", "lenet6", "--quick");
        assertEquals(Main.BAD_INPUT, unknown.code());
        MainTest.Result noThreads = MainTest.run("bench", "--models", "lenet5", "--threads", "0");
        assertEquals(Main.BAD_INPUT, noThreads.code());
        assertTrue(noThreads.err().contains("--threads must be at least 1"), noThreads.err());
    }
}
