package org.cnnzoo.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {

    /** A written file gets the mode any new file gets here (the umask's), not a temporary file's 0600. */
    @Test
    void writtenFilesHaveTheModeOfAnyNewFile(@TempDir Path dir) throws Exception {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("written.txt");
        AtomicFiles.write(written, tmp -> Files.writeString(tmp, "x"));
        assertEquals("x", Files.readString(written));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(written));
        assertTrue(expected.contains(PosixFilePermission.OWNER_READ));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left");
        }
    }

    /** A write that runs out of disk names the folder, and the old file stays whole. */
    @Test
    void aFullDiskIsSaidWithItsPathAndLosesNothing(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.zip");
        Files.writeString(target, "old");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> AtomicFiles.write(target, tmp -> {
                    Files.writeString(tmp, "half");
                    throw new java.io.IOException("No space left on device");
                }));
        assertTrue(e.getMessage().contains("the disk holding " + dir.toAbsolutePath() + " is full"), e.getMessage());
        assertEquals("old", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file is gone");
        }
    }
}
