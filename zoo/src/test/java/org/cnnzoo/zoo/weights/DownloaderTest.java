package org.cnnzoo.zoo.weights;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile and broken servers on loopback: ranges ignored, endless bodies, redirects elsewhere, other schemes. */
@Timeout(60)
class DownloaderTest {
    @TempDir
    Path dir;
    private HttpServer server;
    private final byte[] file = new byte[200_000];

    @BeforeEach
    void start() throws IOException {
        new Random(1).nextBytes(file);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // answers any range request with 206 but sends the file from byte 0, with an honest Content-Range
        server.createContext("/liar", ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null) {
                ex.getResponseHeaders().add("Content-Range", "bytes 0-" + (file.length - 1) + "/" + file.length);
                send(ex, 206, file);
            } else {
                send(ex, 200, file);
            }
        });
        server.createContext("/endless", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                byte[] chunk = new byte[1 << 16];
                for (int i = 0; i < 10_000; i++) {      // bounded: 640 MB at most, stopped by the client long before
                    out.write(chunk);
                }
            } catch (IOException ignored) {
                // the client hung up, as it should
            }
        });
        server.createContext("/away", ex -> {
            ex.getResponseHeaders().add("Location", "http://127.0.0.2:" + server.getAddress().getPort() + "/file");
            send(ex, 302, new byte[0]);
        });
        server.createContext("/here", ex -> {
            ex.getResponseHeaders().add("Location", "/file");
            send(ex, 302, new byte[0]);
        });
        server.createContext("/file", ex -> send(ex, 200, file));
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    private URI at(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void aServerThatIgnoresTheRangeDoesNotSpliceTwoFiles() throws Exception {
        Path target = dir.resolve("w.bin");
        Files.write(Downloader.partFile(target), Arrays.copyOf(file, 70_000));   // an earlier, broken-off download
        new Downloader().download(at("/liar"), target, d -> { }, Downloader.Listener.NONE);
        assertArrayEquals(file, Files.readAllBytes(target));
    }

    @Test
    void anEndlessBodyStopsAtTheBoundAndLeavesNothing() {
        Path target = dir.resolve("w.bin");
        IOException e = assertThrows(IOException.class, () -> new Downloader(Duration.ofSeconds(10))
                .download(at("/endless"), target, 1_000_000, d -> { }, Downloader.Listener.NONE));
        assertTrue(e.getMessage().contains("passed 1000000 bytes"), e.getMessage());
        assertFalse(Files.exists(target) || Files.exists(Downloader.partFile(target)));
    }

    @Test
    void redirectsStayOnTheSiteAndOtherSchemesAreNamed() throws Exception {
        Path target = dir.resolve("w.bin");
        new Downloader().download(at("/here"), target, d -> { }, Downloader.Listener.NONE);
        assertArrayEquals(file, Files.readAllBytes(target));
        IOException away = assertThrows(IOException.class, () -> new Downloader()
                .download(at("/away"), dir.resolve("x.bin"), d -> { }, Downloader.Listener.NONE));
        assertTrue(away.getMessage().contains("refused a redirect to another site") && away.getMessage().contains("127.0.0.2"),
                away.getMessage());
        IOException local = assertThrows(IOException.class, () -> new Downloader()
                .download(URI.create("file:///etc/passwd"), dir.resolve("y.bin"), d -> { }, Downloader.Listener.NONE));
        assertTrue(local.getMessage().contains("only http and https"), local.getMessage());
        assertTrue(Downloader.allowedHost("huggingface.co", "cdn-lfs.huggingface.co"));
        assertTrue(Downloader.allowedHost("huggingface.co", "cas-bridge.xethub.hf.co"));
        assertFalse(Downloader.allowedHost("download.pytorch.org", "evil.example.com"));
        assertTrue(Downloader.rangeStartsAt("bytes 70000-199999/200000", 70_000));
        assertFalse(Downloader.rangeStartsAt("bytes 0-199999/200000", 70_000));
    }
}
