package org.cnnzoo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameworkComparisonTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theBestQuietFigureIsKeptOverAFasterBusyOne() throws Exception {
        ObjectNode kept = json.createObjectNode();
        FrameworkComparison.keepBest(kept, json.readTree("{\"inference_1\": 100, \"load_inference_1\": 0.5, \"batch\": 16}"));
        assertEquals(100, kept.get("inference_1").asDouble());
        FrameworkComparison.keepBest(kept, json.readTree("{\"inference_1\": 80, \"load_inference_1\": 0.02}"));
        assertEquals(80, kept.get("inference_1").asDouble(), "a quiet figure replaces a busy one, even if slower");
        FrameworkComparison.keepBest(kept, json.readTree("{\"inference_1\": 150, \"load_inference_1\": 0.9}"));
        assertEquals(80, kept.get("inference_1").asDouble(), "a busy figure never replaces a quiet one");
        FrameworkComparison.keepBest(kept, json.readTree("{\"inference_1\": 90, \"load_inference_1\": 0.05}"));
        assertEquals(90, kept.get("inference_1").asDouble(), "among quiet figures the best is kept");
        assertEquals(16, kept.get("batch").asInt());
    }

    @Test
    void theRatioIsAgainstPyTorchsBestLayoutAndBusyFiguresAreFlagged() throws Exception {
        ObjectNode doc = (ObjectNode) json.readTree("""
                {"models": {"resnet18": {
                  "dl4j": {"batch": 16, "macs": 1000000000, "sgemm_gflops": 100,
                           "inference_1": 20, "load_inference_1": 0, "inference_batch": 40, "load_inference_batch": 0,
                           "training_batch": 10, "load_training_batch": 0.5,
                           "peak_heap_mb": 100, "off_heap_mb": 400, "peak_rss_mb": 900},
                  "pytorch_nchw": {"inference_1": 10, "inference_batch": 50, "training_batch": 8, "peak_rss_mb": 700},
                  "pytorch_channels_last": {"inference_1": 16, "inference_batch": 40, "training_batch": 5}}}}
                """);
        String table = FrameworkComparison.table(doc);
        assertTrue(table.contains("inference b1") && table.contains("1.25x"), table);       // 20 / max(10, 16)
        assertTrue(table.contains("inference b16") && table.contains("0.80x"), table);      // 40 / 50
        assertTrue(table.contains("training b16") && table.contains("1.25x"), table);       // 10 / 8
        assertTrue(table.contains("40.0 ( 40%)"), table);   // 20 img/s x 2 GFLOP per image, of a 100 GFLOP/s SGEMM
        assertTrue(table.contains("busy 0.50"), table);
        String memory = FrameworkComparison.memoryTable(doc);
        assertTrue(memory.contains("900 MB") && memory.contains("700 MB"), memory);
    }

    /** The peer runs without the allocator the launcher preloads for DL4J; other preloads stay. */
    @Test
    void thePeerRunsWithoutTheLaunchersAllocator() {
        ProcessBuilder pb = new ProcessBuilder("true");
        pb.environment().put("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4:/opt/other.so");
        assertEquals("/opt/other.so", FrameworkComparison.asShipped(pb).environment().get("LD_PRELOAD"));
        pb.environment().put("LD_PRELOAD", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4");
        assertTrue(!FrameworkComparison.asShipped(pb).environment().containsKey("LD_PRELOAD"));
    }

    /** The memory table's parts add up from the probe's figures. */
    @Test
    void theMemoryTableSplitsDl4jsPeak() throws Exception {
        String table = MemoryReport.table(json.readTree("""
                [{"model": "resnet18", "batch": 16, "phase": "training",
                  "dl4j": {"baseline_rss_mb": 100, "parameters_mb": 40, "gradients_mb": 40, "updater_state_mb": 40,
                           "workspaces_mb": {"A": 300, "B": 100}, "peak_rss_mb": 1000},
                  "pytorch": {"baseline_rss_mb": 200, "peak_rss_mb": 800, "saved_for_backward_mb": 350}}]
                """));
        // ratio 1000/800, added (1000-100)/(800-200), params 120, workspaces 400, rest 1000-100-120-400
        assertTrue(table.matches("(?s).*resnet18 +16 training +\\| +1000 MB +800 MB +1\\.25x +1\\.50x \\| +100 MB +120 MB"
                + " +400 MB +380 MB \\| +350 MB.*"), table);
    }
}
