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

    /** The most bytes one download may bring when the caller gives no size: 4 GiB, or {@code cnnzoo.download.maxBytes}. */
    public static long defaultMaxBytes() {
        return Long.getLong("cnnzoo.download.maxBytes", 4L << 30);
    }

    /** As {@link #download(URI, Path, long, Check, Listener)} with {@link #defaultMaxBytes()}. */
    public void download(URI uri, Path target, Check check, Listener listener) throws IOException {
        download(uri, target, defaultMaxBytes(), check, listener);
    }

    /**
     * Only http and https; redirects only to http(s) on the same host or a host of the same domain (or one named in
     * {@code cnnzoo.download.allowedHosts}, comma-separated), never from https to http; a resumed download only when
     * the server's Content-Range starts where the partial file ends (else it starts over); never more than
     * {@code maxBytes}.
     *
     * @throws IOException naming the address and what went wrong; a partial file is kept for resuming unless the
     *                     check rejected the complete file or the size bound was passed, which delete it
     */
    public void download(URI uri, Path target, long maxBytes, Check check, Listener listener) throws IOException {
        requireHttp(uri, uri);
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path part = partFile(target);
        for (int attempt = 0; ; attempt++) {
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            if (have > maxBytes) {
                Files.delete(part);
                have = 0;
            }
            HttpURLConnection connection = open(uri, have);
            int status = connection.getResponseCode();
            if (status == 416 && have > 0) {                 // nothing left to fetch: the part is complete
                connection.disconnect();
                finish(part, target, check);
                return;
            }
            if (status != 200 && status != 206) {
                connection.disconnect();
                throw new IOException("cannot download " + uri + ": HTTP " + status);
            }
            boolean resumed = status == 206;
            if (resumed && !rangeStartsAt(connection.getHeaderField("Content-Range"), have)) {
                // a server that answers 206 from another byte than asked would splice two files together
                connection.disconnect();
                Files.deleteIfExists(part);
                if (attempt > 0) {
                    throw new IOException("cannot download " + uri + ": the server answered a range request with"
                            + " Content-Range '" + connection.getHeaderField("Content-Range") + "' twice");
                }
                continue;
            }
            receive(uri, connection, part, resumed ? have : 0, maxBytes, listener);
            finish(part, target, check);
            return;
        }
    }

    private HttpURLConnection open(URI uri, long have) throws IOException {
        URI current = uri;
        for (int hops = 0; hops <= 5; hops++) {
            HttpURLConnection connection;
            int status;
            try {
                // HttpURLConnection rather than java.net.http: it has a read timeout, so a stalled server cannot hang us
                connection = (HttpURLConnection) current.toURL().openConnection();
                connection.setConnectTimeout((int) Duration.ofSeconds(20).toMillis());
                connection.setReadTimeout((int) readTimeout.toMillis());
                connection.setInstanceFollowRedirects(false);
                if (have > 0) {
                    connection.setRequestProperty("Range", "bytes=" + have + "-");
                }
                status = connection.getResponseCode();
            } catch (java.net.UnknownHostException e) {
                throw new IOException("cannot download " + current + ": the host " + current.getHost() + " is unknown"
                        + " here (no network or no route to it)", e);
            } catch (IOException e) {
                throw new IOException("cannot download " + current + ": " + e.getMessage(), e);
            }
            if (status < 300 || status > 399 || status == 304) {
                return connection;
            }
            String location = connection.getHeaderField("Location");
            connection.disconnect();
            if (location == null) {
                throw new IOException("cannot download " + current + ": HTTP " + status + " without a Location");
            }
            URI next = current.resolve(location);
            requireHttp(uri, next);
            if ("https".equals(current.getScheme()) && !"https".equals(next.getScheme())) {
                throw new IOException("cannot download " + uri + ": refused a redirect from https to " + next);
            }
            if (!allowedHost(uri.getHost(), next.getHost())) {
                throw new IOException("cannot download " + uri + ": refused a redirect to another site, " + next
                        + " (allow its host with -Dcnnzoo.download.allowedHosts=" + next.getHost() + ")");
            }
            current = next;
        }
        throw new IOException("cannot download " + uri + ": more than 5 redirects");
    }

    private void receive(URI uri, HttpURLConnection connection, Path part, long done, long maxBytes, Listener listener)
            throws IOException {
        long length = connection.getContentLengthLong();
        long total = length < 0 ? -1 : done + length;
        if (total > maxBytes) {
            connection.disconnect();
            Files.deleteIfExists(part);
            throw new IOException("cannot download " + uri + ": the server announces " + total + " bytes, more than the "
                    + maxBytes + " expected");
        }
        try (InputStream body = connection.getInputStream();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                     done > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = body.read(buffer)) > 0; ) {
                if (done + n > maxBytes) {
                    throw new TooLarge();
                }
                out.write(buffer, 0, n);
                done += n;
                listener.progress(done, total);
            }
        } catch (TooLarge e) {
            Files.deleteIfExists(part);
            throw new IOException("download of " + uri + " stopped: it passed " + maxBytes + " bytes, more than the file"
                    + " can be; nothing was kept");
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
    }

    private static final class TooLarge extends IOException {
    }

    private static final java.util.Map<String, java.util.List<String>> SAME_SITE = java.util.Map.of(
            "huggingface.co", java.util.List.of("huggingface.co", "hf.co"));

    private static void requireHttp(URI asked, URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IOException("cannot download " + asked + ": only http and https addresses are fetched"
                    + (uri.equals(asked) ? "" : " (it redirects to " + uri + ")")
                    + "; for a file you already have, copy it into place or pass its path to --weights");
        }
    }

    /** "bytes START-END/TOTAL" with START equal to what we have. */
    static boolean rangeStartsAt(String contentRange, long have) {
        if (contentRange == null) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes\\s+(\\d+)-\\d+/(\\d+|\\*)")
                .matcher(contentRange.trim());
        return m.matches() && Long.parseLong(m.group(1)) == have;
    }

    /** The same host, a host under the same domain (its last two labels), or one the user allowed. */
    static boolean allowedHost(String original, String next) {
        if (next == null) {
            return false;
        }
        String a = original.toLowerCase(java.util.Locale.ROOT);
        String b = next.toLowerCase(java.util.Locale.ROOT);
        if (a.equals(b)) {
            return true;
        }
        for (String allowed : System.getProperty("cnnzoo.download.allowedHosts", "").split(",")) {
            if (!allowed.isBlank() && b.equals(allowed.trim().toLowerCase(java.util.Locale.ROOT))) {
                return true;
            }
        }
        String[] labels = a.split("\\.");
        if (labels.length < 2 || a.matches("[0-9.]+")) {
            return false;
        }
        String domain = labels[labels.length - 2] + "." + labels[labels.length - 1];
        // Hugging Face serves huggingface.co's files from hosts under hf.co
        java.util.List<String> domains = SAME_SITE.getOrDefault(domain, java.util.List.of(domain));
        return domains.stream().anyMatch(d -> b.endsWith("." + d) || b.equals(d));
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
