package org.cnnzoo.detection.faceapi;

import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.cnnzoo.zoo.ExternalTools;
import org.cnnzoo.zoo.weights.Downloader;
import org.cnnzoo.zoo.weights.WeightStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * face-api's weights fetched as users get them, from a server on the loopback interface serving the real npm
 * tarball (npm keeps it in its content-addressed cache, which 'npm ci' in .ci/run fills) or bad bytes.
 */
class FaceApiPackageTest {
    /** Where npm's cache keeps the release, by its SHA-512 (the hex of FaceApiPackage.SHA512). */
    static final Path NPM_CACHED = Path.of(System.getProperty("user.home"), ".npm", "_cacache", "content-v2", "sha512",
            "58", "33", "262b709f34ba3c8f2956a8ca1081fe2722cb773347f3c7576769cf7ac2ffddbcc4cde03c42fcfab50c6b5db83935964b426a"
                    + "64373080d7167beb7474d70f");

    @TempDir
    Path dir;
    private HttpServer server;
    private byte[] served;
    private final List<String> requests = new ArrayList<>();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, served.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(served);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private WeightStore.Fetching mirror(boolean offline) {
        return new WeightStore.Fetching("http://127.0.0.1:" + server.getAddress().getPort() + "/mirror", offline,
                Downloader.Listener.NONE, w -> { });
    }

    @Test
    void theRealReleaseIsFetchedCheckedAndItsWeightsKeptOnce() throws Exception {
        ExternalTools.require(Files.isRegularFile(NPM_CACHED), "npm's cache lacks " + FaceApiWeights.PACKAGE
                + " (npm ci --prefix tools/reference/tfjs puts it there)");
        served = Files.readAllBytes(NPM_CACHED);
        Path store = dir.resolve("store");
        Path folder = FaceApiPackage.resolve(null, store, mirror(false));
        assertEquals(List.of("/mirror/" + FaceApiPackage.TARBALL), requests);
        try (var files = Files.list(folder)) {
            assertEquals(2 * FaceApiPackage.NETWORKS.size(), files.count());
        }
        assertFalse(Files.exists(store.resolve("face-api").resolve(FaceApiPackage.TARBALL)), "the tarball is not kept");
        assertEquals(7, TinyFaceDetector.load(folder, 224).grid().rows());
        assertEquals(folder, FaceApiPackage.resolve(null, store, mirror(true)));     // offline: already there
        assertEquals(1, requests.size());
    }

    @Test
    void aTarballThatIsNotTheReleaseIsRefusedAndNothingIsKept() throws IOException {
        served = new byte[1000];
        Path store = dir.resolve("store");
        IOException e = assertThrows(IOException.class, () -> FaceApiPackage.resolve(null, store, mirror(false)));
        assertTrue(e.getMessage().contains("SHA-512"), e.getMessage());
        assertFalse(Files.exists(FaceApiPackage.modelFolder(store)));
        assertFalse(Files.exists(store.resolve("face-api").resolve(FaceApiPackage.TARBALL)));
        e = assertThrows(IOException.class, () -> FaceApiPackage.resolve(null, store, mirror(true)));
        assertTrue(e.getMessage().contains("cnnzoo weights fetch face-api"), e.getMessage());
    }

    @Test
    void extractionKeepsOnlyTheNamedWeightFilesAndRefusesAnIncompleteRelease() throws IOException {
        Path tgz = dir.resolve("t.tgz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(tgz)))) {
            for (String n : FaceApiPackage.NETWORKS) {
                add(tar, "package/model/" + n + "_model-weights_manifest.json", "[]");
                add(tar, "package/model/" + n + "_model.bin", "x");
            }
            add(tar, "package/model/../../../evil.sh", "echo");
            add(tar, "package/dist/face-api.js", "code");
            TarArchiveEntry link = new TarArchiveEntry("package/model/extra_model.bin", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        FaceApiPackage.extract(tgz, out);
        try (var files = Files.list(out)) {
            assertEquals(2 * FaceApiPackage.NETWORKS.size(), files.count());
        }
        assertFalse(Files.exists(dir.resolve("evil.sh")));
        Path partial = dir.resolve("partial.tgz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(partial)))) {
            add(tar, "package/model/tiny_face_detector_model.bin", "x");
        }
        IOException e = assertThrows(IOException.class, () -> FaceApiPackage.extract(partial,
                Files.createDirectories(dir.resolve("out2"))));
        assertTrue(e.getMessage().contains("1 of the 14 weight files"), e.getMessage());
    }

    private static void add(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
