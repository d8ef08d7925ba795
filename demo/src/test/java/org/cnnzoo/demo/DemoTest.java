package org.cnnzoo.demo;

import org.cnnzoo.transfer.Progress;
import org.cnnzoo.transfer.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo end to end in its quick form: every model trained, tested and written. */
class DemoTest {

    @Test
    void theQuickDemoWritesEveryRunAndATable(@TempDir Path out) throws Exception {
        List<Demo.Row> rows = Demo.run(out, Demo.Budget.QUICK, 42, Progress.NONE);
        assertEquals(3, rows.size());
        for (Demo.Row r : rows) {
            assertTrue(r.accuracy() >= 0 && r.accuracy() <= 1, r.toString());
        }
        for (String run : List.of("transfer-10-head", "transfer-10-finetune", "scratch-10")) {
            for (String file : List.of("model.zip", "run.json", "metrics.json", "curves.png", "confusion.png")) {
                assertTrue(Files.size(out.resolve(run).resolve(file)) > 0, run + "/" + file);
            }
        }
        assertTrue(Files.isRegularFile(out.resolve("demo.json")));
        assertTrue(Demo.table(rows).contains("from scratch"));
        // a run folder loads back with its classes and predicts
        Runs.Loaded loaded = Runs.load(out.resolve("transfer-10-head"));
        assertEquals(Demo.TARGET, loaded.info().classes());
        assertEquals("head", loaded.info().regime());
    }
}
