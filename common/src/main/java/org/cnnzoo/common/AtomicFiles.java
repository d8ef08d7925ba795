package org.cnnzoo.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Files that are never seen half-written: content goes to a temporary file in the target's folder, which is moved
 * over the target only once the writer has finished without error. Also the SHA-256 of a file, which is how the
 * project checks what it reads back.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Deletes a folder and everything in it (nothing when it does not exist). */
    public static void deleteTree(Path dir) throws IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Writes the temporary file it is given; throwing leaves the target untouched. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = newTemporary(dir, target.getFileName().toString());
        try {
            writer.write(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw diskFull(e, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes a whole folder: the writer fills a new folder beside the target, which then takes the target's place
     * (the old one, if any, is moved aside first and deleted last), so the target is always one whole version,
     * never a mix of old and new files. A writer that throws leaves the target as it was.
     */
    public static void replaceFolder(Path target, Writer writer) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String name = target.getFileName().toString();
        Path partial = parent.resolve(name + ".partial");
        Path old = parent.resolve(name + ".old");
        deleteTree(partial);
        Files.createDirectories(partial);
        try {
            writer.write(partial);
            deleteTree(old);
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } finally {
            deleteTree(partial);
        }
    }

    /** A full disk said with the path being written, which the JVM's own message leaves out; other errors as they are. */
    static IOException diskFull(IOException e, Path target) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("No space left on device")) {
                return new IOException("the disk holding " + target.toAbsolutePath().getParent() + " is full (writing "
                        + target.getFileName() + "); free space there or write elsewhere; nothing was replaced", e);
            }
        }
        return e;
    }

    /**
     * A new empty file beside the target. Not {@code Files.createTempFile}: that makes the file 0600 whatever the
     * umask, and the move would carry the mode to the user's file; {@code createFile} honours the umask.
     */
    private static Path newTemporary(Path dir, String name) throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(random.nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }
}
