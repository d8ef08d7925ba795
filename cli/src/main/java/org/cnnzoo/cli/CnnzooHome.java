package org.cnnzoo.cli;

import java.nio.file.Path;

/** Where cnnzoo keeps its files: the system property cnnzoo.home, else $CNNZOO_HOME, else ~/.cnnzoo. */
final class CnnzooHome {
    private CnnzooHome() {
    }

    static Path dir() {
        String home = System.getProperty("cnnzoo.home", System.getenv("CNNZOO_HOME"));
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cnnzoo");
    }

    static Path cache() {
        return dir().resolve("cache");
    }
}
