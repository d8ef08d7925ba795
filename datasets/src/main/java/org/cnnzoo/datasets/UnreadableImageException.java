package org.cnnzoo.datasets;

import java.io.IOException;
import java.nio.file.Path;

/** A file that cannot be used as an image, with the reason (zero bytes, not an image, truncated, corrupt). */
public class UnreadableImageException extends IOException {
    private final Path path;
    private final String reason;

    public UnreadableImageException(Path path, String reason) {
        super(path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    public Path path() {
        return path;
    }

    public String reason() {
        return reason;
    }
}
