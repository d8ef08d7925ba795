package org.cnnzoo.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Files named by other files (a TF.js manifest's shards, a checkpoint's entries) are hostile input: a name may
 * climb out with {@code ..}, be absolute, or lead out through a link. Every such name goes through here.
 */
public final class SafePaths {
    private SafePaths() {
    }

    /**
     * The file {@code name} names inside {@code folder}, checked to stay inside it after {@code ..} and links are
     * resolved.
     *
     * @param namedBy the file that names it, for the message
     * @throws IOException naming both files when the name leaves the folder or the file is missing
     */
    public static Path inside(Path folder, String name, Path namedBy) throws IOException {
        Path base = folder.toAbsolutePath().normalize();
        Path candidate = base.resolve(name).normalize();
        if (name.isEmpty() || Path.of(name).isAbsolute() || !candidate.startsWith(base)) {
            throw new IOException(namedBy + " names '" + name + "', which is outside its folder " + base
                    + "; refused: every file a model names must lie in the model's folder");
        }
        if (!Files.isRegularFile(candidate)) {
            throw new IOException(namedBy + " names '" + name + "', which does not exist in " + base
                    + "; keep the files it names beside it");
        }
        Path real = candidate.toRealPath();
        if (!real.startsWith(base.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(namedBy + " names '" + name + "', a link that leads outside " + base + " (to " + real
                    + "); refused: every file a model names must lie in the model's folder");
        }
        return real;
    }
}
