package org.cnnzoo.datasets;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fashion-MNIST from Debian's copy, and downloaded from a loopback server that serves that copy. */
class FashionMnistTest {
    @TempDir
    Path dir;
    private HttpServer server;
    private UnaryOperator<byte[]> tamper = UnaryOperator.identity();

    @BeforeEach
    void serveDebiansCopy() throws IOException {
        Path debian = DebianData.fashionMnist();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file = debian.resolve(exchange.getRequestURI().getPath().substring(1));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = tamper.apply(Files.readAllBytes(file));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {       // null when the set-up skipped
            server.stop(0);
        }
    }

    private String mirror() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Test
    void debiansCopyIsFoundAndHasTheStandardContent() throws IOException {
        assertEquals(FashionMnist.DEBIAN_DIR, FashionMnist.locate(null, true, null));
        ImageArrays test = FashionMnist.load(FashionMnist.DEBIAN_DIR, Part.TEST);
        assertEquals(10_000, test.size());
        assertEquals(28, test.height());
        assertEquals(9, test.label(0));                     // the first test image is an ankle boot
    }

    @Test
    void downloadChecksContentAndMovesFilesIntoPlace() throws IOException {
        FashionMnist.download(dir, mirror());
        try (var files = Files.list(dir)) {
            assertEquals(4, files.filter(p -> p.toString().endsWith(".gz")).count());
        }
        assertEquals(60_000, FashionMnist.load(dir, Part.TRAIN).size());
        assertArrayEquals(FashionMnist.load(FashionMnist.DEBIAN_DIR, Part.TEST).pixels(3),
                FashionMnist.load(dir, Part.TEST).pixels(3));
    }

    @Test
    void aCorruptDownloadIsRejectedAndLeavesNothingBehind() throws IOException {
        tamper = body -> {
            try {
                // same format, one pixel changed: only the content checksum can tell
                Path tmp = Files.createTempFile("fm", ".gz");
                Files.write(tmp, body);
                if (Idx.readImages(tmp).count() > 0) {
                    Idx.Images images = Idx.readImages(tmp);
                    images.pixels()[0][100] ^= 1;
                    Idx.writeImages(tmp, images.pixels(), images.rows(), images.cols());
                }
                return Files.readAllBytes(tmp);
            } catch (IOException e) {
                return body;                                 // the label files pass unchanged
            }
        };
        IOException e = assertThrows(IOException.class, () -> FashionMnist.download(dir, mirror()));
        assertTrue(e.getMessage().contains("MD5"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.toString().contains("images")).count(), "partial files were left");
        }
    }

    @Test
    void aMissingFileOrNoNetworkIsAClearError() {
        IOException notFound = assertThrows(IOException.class, () -> FashionMnist.download(dir, mirror() + "nothing/"));
        assertTrue(notFound.getMessage().contains("HTTP 404"), notFound.getMessage());
        IOException refused = assertThrows(IOException.class, () -> FashionMnist.download(dir, "http://127.0.0.1:9/"));
        assertTrue(refused.getMessage().contains("127.0.0.1:9"), refused.getMessage());
    }
}
