package org.cnnzoo.zoo.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Downloads one file into place: into {@code target.part} first, continuing an earlier partial download with an
 * HTTP range request when the server allows it, and moved to {@code target} only after the caller's check passes.
 */
public final class Downloader {

    /** Told of progress: bytes so far and the total (-1 when unknown). */
    public interface Listener {
        Listener NONE = (done, total) -> {
        };

        void progress(long done, long total);
    }

    /** Accepts or rejects the complete download before it is moved into place. */
    public interface Check {
        void verify(Path downloaded) throws IOException;
    }

    private final Duration readTimeout;

    /** A downloader that gives up when the server sends nothing for a minute. */
    public Downloader() {
        this(Duration.ofMinutes(1));
    }

    /** @param readTimeout how long the server may send nothing before the download counts as broken off */
    public Downloader(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public static Path partFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * @throws IOException naming the address and what went wrong; a partial file is kept for resuming unless the
     *                     check rejected the complete file, which is then deleted
     */
    public void download(URI uri, Path target, Check check, Listener listener) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = partFile(target);
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        // HttpURLConnection rather than java.net.http: it has a read timeout, so a stalled server cannot hang us
        HttpURLConnection connection;
        int status;
        try {
            connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout((int) Duration.ofSeconds(20).toMillis());
            connection.setReadTimeout((int) readTimeout.toMillis());
            connection.setInstanceFollowRedirects(true);
            if (have > 0) {
                connection.setRequestProperty("Range", "bytes=" + have + "-");
            }
            status = connection.getResponseCode();
        } catch (IOException e) {
            throw new IOException("cannot download " + uri + ": " + e.getMessage(), e);
        }
        boolean resumed = status == 206;
        if (status == 416 && have > 0) {                 // nothing left to fetch: the part is complete
            connection.disconnect();
            finish(part, target, check);
            return;
        }
        if (status != 200 && status != 206) {
            connection.disconnect();
            throw new IOException("cannot download " + uri + ": HTTP " + status);
        }
        long length = connection.getContentLengthLong();
        long total = length < 0 ? -1 : (resumed ? have : 0) + length;
        long done = resumed ? have : 0;
        try (InputStream body = connection.getInputStream();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                     resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                done += n;
                listener.progress(done, total);
            }
        } catch (IOException e) {
            throw new IOException("download of " + uri + " broke off after " + done + " bytes (" + e.getMessage()
                    + "); run the same command again to resume", e);
        } finally {
            connection.disconnect();
        }
        if (total >= 0 && done < total) {
            throw new IOException("download of " + uri + " ended after " + done + " of " + total
                    + " bytes; run the same command again to resume");
        }
        finish(part, target, check);
    }

    private static void finish(Path part, Path target, Check check) throws IOException {
        try {
            check.verify(part);
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
