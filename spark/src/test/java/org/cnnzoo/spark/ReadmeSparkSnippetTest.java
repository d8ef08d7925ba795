package org.cnnzoo.spark;

import org.cnnzoo.cli.ReadmeSnippetsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The README's Java that uses the spark module compiles against it (the command line's snippet test leaves these
 * blocks out: its class path has no Spark).
 */
class ReadmeSparkSnippetTest {

    @Test
    void theReadmesSparkJavaCompiles(@TempDir Path dir) throws Exception {
        ReadmeSnippetsTest.assertCompiles(block -> block.contains("org.cnnzoo.spark"),
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), dir, 1);
    }
}
