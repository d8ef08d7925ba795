package org.cnnzoo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.cnnzoo.zoo.ExternalTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cnnzoo bench end to end (smoke tests of the harness: the figures of a quick run mean little). */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void benchComparesDl4jWithPyTorchAndWritesJson() throws Exception {
        ExternalTools.require(ExternalTools.succeeds("/usr/bin/python3", "-c", "import torch, torchvision"),
                "Debian's python3-torch is not installed (apt-get install python3-torchvision)");
        Path out = dir.resolve("bench.json");
        MainTest.Result r = MainTest.run("bench", "--suite", "networks", "--models", "lenet5", "--quick", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("inference b64") && r.out().contains("training b64"), r.out());
        assertTrue(r.out().matches("(?s).*lenet5 +inference b1 .*\\d\\.\\d\\dx.*"), r.out());
        JsonNode lenet = new ObjectMapper().readTree(out.toFile()).get("models").get("lenet5");
        assertTrue(lenet.get("dl4j").get("training_batch").asDouble() > 0, lenet.toString());
        assertTrue(lenet.get("pytorch_nchw").get("inference_batch").asDouble() > 0, lenet.toString());
        assertTrue(lenet.get("pytorch_channels_last").get("training_batch").asDouble() > 0, lenet.toString());
        assertTrue(lenet.get("dl4j").get("sgemm_gflops").asDouble() > 1, lenet.toString());
        assertTrue(lenet.get("dl4j").get("framework").asText().contains("inference fastest"), lenet.toString());
        assertFalse(new ObjectMapper().readTree(out.toFile()).has("transfer"), "only the networks were asked for");

        MainTest.Result unknown = MainTest.run("bench", "--models", "lenet6", "--quick");
        assertEquals(Main.BAD_INPUT, unknown.code());
        MainTest.Result noThreads = MainTest.run("bench", "--models", "lenet5", "--threads", "0");
        assertEquals(Main.BAD_INPUT, noThreads.code());
        assertTrue(noThreads.err().contains("--threads must be at least 1"), noThreads.err());
        MainTest.Result noSuite = MainTest.run("bench", "--suite", "speed");
        assertEquals(Main.BAD_INPUT, noSuite.code());
        assertTrue(noSuite.err().contains("--suite takes networks, transfer, augmentation, style, spark or memory, not 'speed'"),
                noSuite.err());
        MainTest.Result noSpark = MainTest.run("bench", "--suite", "spark", "--peer", "none", "--out",
                out.resolveSibling("spark.json").toString());
        assertEquals(Main.BAD_INPUT, noSpark.code());
        assertTrue(noSpark.err().contains("--suite spark needs cnnzoo's spark module"), noSpark.err());
    }

    /**
     * The memory suite: one process per framework, batch and phase; the parts it reports are the network's own sizes
     * (LeNet-5's 61,706 parameters), and a larger batch needs more memory in training on both sides.
     */
    @Test
    void memorySuiteMeasuresEachPhaseAlone() throws Exception {
        ExternalTools.require(ExternalTools.succeeds("/usr/bin/python3", "-c", "import torch, torchvision"),
                "Debian's python3-torch is not installed (apt-get install python3-torchvision)");
        Path out = dir.resolve("memory.json");
        MainTest.Result r = MainTest.run("bench", "--suite", "memory", "--models", "lenet5", "--batches", "1,512",
                "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*lenet5 +512 training .*x.*"), r.out());
        JsonNode rows = new ObjectMapper().readTree(out.toFile()).get("memory");
        assertEquals(4, rows.size(), rows.toString());
        double parameters = 61_706 * 4 / 1048576.0;
        JsonNode small = null;
        JsonNode large = null;
        for (JsonNode row : rows) {
            for (String side : new String[]{"dl4j", "pytorch"}) {
                JsonNode m = row.get(side);
                assertEquals(parameters, m.get("parameters_mb").asDouble(), 1e-6, row.toString());
                assertTrue(m.get("peak_rss_mb").asDouble() >= m.get("baseline_rss_mb").asDouble(), row.toString());
            }
            if (row.get("phase").asText().equals("training")) {
                assertEquals(parameters, row.get("dl4j").get("updater_state_mb").asDouble(), 1e-6, row.toString());
                if (row.get("batch").asInt() == 1) {
                    small = row;
                } else {
                    large = row;
                }
            } else {
                assertTrue(row.get("dl4j").get("inference_parameters_mb").asDouble() > 0, row.toString());
            }
        }
        // 512 images of 6x28x28 first-layer outputs alone are 9 MB: what is kept for backward grows with the batch
        assertTrue(large.get("pytorch").get("saved_for_backward_mb").asDouble()
                > small.get("pytorch").get("saved_for_backward_mb").asDouble() + 9, large.toString());
        double wsSmall = 0;
        double wsLarge = 0;
        for (JsonNode ws : small.get("dl4j").get("workspaces_mb")) {
            wsSmall += ws.asDouble();
        }
        for (JsonNode ws : large.get("dl4j").get("workspaces_mb")) {
            wsLarge += ws.asDouble();
        }
        assertTrue(wsLarge > wsSmall + 9, large.toString());

        MainTest.Result badBatch = MainTest.run("bench", "--suite", "memory", "--models", "lenet5", "--batches", "0");
        assertEquals(Main.BAD_INPUT, badBatch.code());
        assertTrue(badBatch.err().contains("--batches takes sizes from 1 to 1024, got 0"), badBatch.err());
    }

    /** The style suite: DL4J's optimisation and PyTorch's side by side from the same starting cost. */
    @Test
    void styleSuiteComparesTheSameOptimisation() throws Exception {
        ExternalTools.require(ExternalTools.succeeds("/usr/bin/python3", "-c", "import torch"),
                "Debian's python3-torch is not installed (apt-get install python3-torchvision)");
        ExternalTools.require(ExternalTools.succeeds("node", "--version") && java.nio.file.Files.isDirectory(
                        Path.of("..", "tools", "reference", "tfjs", "node_modules", "nsfwjs")),
                "node and the reference's npm packages are missing (npm ci --prefix tools/reference/tfjs)");
        ExternalTools.require(java.nio.file.Files.isRegularFile(StyleCommandTest.STARRY_NIGHT)
                && java.nio.file.Files.isRegularFile(StyleCommandTest.ASTRONAUT),
                "the photos are missing (apt-get install opencv-doc python3-skimage)");
        Path out = dir.resolve("style.json");
        MainTest.Result r = MainTest.run("bench", "--suite", "style", "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ratio DL4J / PyTorch"), r.out());
        JsonNode style = new ObjectMapper().readTree(out.toFile()).get("style");
        assertTrue(style.get("dl4j_steps_per_s").asDouble() > 0 && style.get("pytorch_steps_per_s").asDouble() > 0);
        // the same network, pictures and costs on both sides: the same starting J
        assertEquals(style.get("pytorch_first_J").asDouble(), style.get("dl4j_first_J").asDouble(),
                1e-3 * style.get("pytorch_first_J").asDouble());
    }

    /** The transfer and augmentation suites in the same harness, on photos written here. */
    @Test
    void benchMeasuresTransferAndAugmentation() throws Exception {
        Path photos = dir.resolve("photos");
        java.nio.file.Files.createDirectories(photos);
        for (int i = 0; i < 3; i++) {
            Mat image = new Mat(120 + 40 * i, 160, opencv_core.CV_8UC3, new Scalar(30 * i, 90, 200 - 40 * i, 0));
            opencv_imgcodecs.imwrite(photos.resolve("p" + i + ".jpg").toString(), image);
        }
        Path out = dir.resolve("suites.json");
        MainTest.Result r = MainTest.run("bench", "--suite", "transfer,augmentation", "--photos", photos.toString(),
                "--quick", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("featurization (decode + frozen part + cache write)"), r.out());
        assertTrue(r.out().contains("cnnzoo decode+augment+fit+normalise"), r.out());
        JsonNode doc = new ObjectMapper().readTree(out.toFile());
        assertFalse(doc.has("models"));
        JsonNode transfer = doc.get("transfer");
        assertTrue(transfer.get("featurization_images_per_s").asDouble() > 0, transfer.toString());
        assertTrue(transfer.get("later_cached_epoch_s").asDouble() < transfer.get("epoch_through_backbone_s").asDouble(),
                transfer.toString());
        JsonNode augmentation = doc.get("augmentation");
        assertEquals(3, augmentation.get("photos").asInt());
        assertTrue(augmentation.get("rows").size() >= 3, augmentation.toString());
        for (JsonNode row : augmentation.get("rows")) {
            assertTrue(row.get("images_per_s").asDouble() > 0, row.toString());
        }

        MainTest.Result missing = MainTest.run("bench", "--suite", "augmentation", "--photos",
                dir.resolve("nowhere").toString(), "--quick");
        assertEquals(Main.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("nowhere") && missing.err().contains("does not exist"), missing.err());
    }
}
