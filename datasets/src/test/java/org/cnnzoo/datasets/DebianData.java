package org.cnnzoo.datasets;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Data that .ci/run installs from Debian: missing is a failure under CI=true, a skip elsewhere. */
final class DebianData {
    private DebianData() {
    }

    static Path fashionMnist() {
        Path dir = FashionMnist.DEBIAN_DIR;
        if (!Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))) {
            String message = "Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            System.err.println("SKIPPED (optional package missing): " + message);
            Assumptions.abort(message);
        }
        return dir;
    }
}
