package org.cnnzoo.common;

import java.nio.file.Path;

/**
 * Where cnnzoo keeps its files, for the command line and the library alike: the system property
 * {@code cnnzoo.home}, else {@code $CNNZOO_HOME}, else {@code ~/.cnnzoo}.
 */
public final class Home {
    private Home() {
    }

    public static Path dir() {
        String home = System.getProperty("cnnzoo.home", System.getenv("CNNZOO_HOME"));
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cnnzoo");
    }

    /** The feature cache. */
    public static Path cache() {
        return dir().resolve("cache");
    }

    /** The weight store. */
    public static Path weights() {
        return dir().resolve("weights");
    }
}
