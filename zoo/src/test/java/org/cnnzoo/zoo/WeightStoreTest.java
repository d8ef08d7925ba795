package org.cnnzoo.zoo;

import org.cnnzoo.common.Hashing;
import com.sun.net.httpserver.HttpServer;
import org.cnnzoo.zoo.weights.Downloader;
import org.cnnzoo.zoo.weights.WeightStore;
import org.cnnzoo.zoo.weights.WeightsEntry;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weight store's downloads against a server on the loopback interface. */
class WeightStoreTest {
    @TempDir
    Path dir;
    private HttpServer server;
    private final byte[] content = new byte[300_000];
    private final List<String> ranges = new ArrayList<>();
    private int cutAfter = -1;                           // > 0: the next full response stops after this many bytes

    @BeforeEach
    void serve() throws IOException {
        new Random(7).nextBytes(content);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            if (!exchange.getRequestURI().getPath().matches(".*\\.(safetensors|pth)")) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            if (range != null) {
                exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            }
            exchange.sendResponseHeaders(range == null ? 200 : 206, content.length - from);
            try (OutputStream out = exchange.getResponseBody()) {
                int end = cutAfter > 0 && range == null ? cutAfter : content.length;
                out.write(content, from, end - from);
            } catch (IOException ignored) {
                // the client gave up
            }
            cutAfter = -1;
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private WeightsEntry entry(String sha) {
        return new WeightsEntry("test.w", "resnet18", "safetensors",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/w.safetensors", sha, null, "test",
                null, Map.of());
    }

    private String sha() throws IOException {
        return Hashing.sha256(Files.write(dir.resolve("expected"), content));
    }

    @Test
    void aDownloadIsCheckedAndMovedIntoPlace() throws IOException {
        WeightStore store = new WeightStore(dir.resolve("store"), new Downloader(java.time.Duration.ofSeconds(2)));
        long[] seen = {0};
        Path file = store.fetch(entry(sha()), new WeightStore.Fetching(null, false, (done, total) -> seen[0] = done, w -> { }));
        assertArrayEquals(content, Files.readAllBytes(file));
        assertEquals(content.length, seen[0]);
        assertFalse(Files.exists(Downloader.partFile(file)));
        // a second fetch uses the stored file
        store.fetch(entry(sha()), new WeightStore.Fetching(null, true, Downloader.Listener.NONE, w -> { }));
        assertEquals(1, ranges.size());
    }

    @Test
    void aTransferCutOffMidStreamResumesWithARangeRequest() throws IOException {
        WeightStore store = new WeightStore(dir.resolve("store"), new Downloader(java.time.Duration.ofSeconds(2)));
        cutAfter = 100_000;
        IOException broken = assertThrows(IOException.class,
                () -> store.fetch(entry(sha()), new WeightStore.Fetching(null, false, Downloader.Listener.NONE, w -> { })));
        assertTrue(broken.getMessage().contains("again to resume"), broken.getMessage());
        Path part = Downloader.partFile(store.path(entry(null)));
        assertEquals(100_000, Files.size(part));
        Path file = store.fetch(entry(sha()), new WeightStore.Fetching(null, false, Downloader.Listener.NONE, w -> { }));
        assertEquals("bytes=100000-", ranges.get(1));
        assertArrayEquals(content, Files.readAllBytes(file));
    }

    @Test
    void aWrongHashRejectsAndRemovesTheFile() throws IOException {
        WeightStore store = new WeightStore(dir.resolve("store"), new Downloader(java.time.Duration.ofSeconds(2)));
        IOException e = assertThrows(IOException.class, () -> store.fetch(entry("00".repeat(32)), new WeightStore.Fetching(null, false, Downloader.Listener.NONE, w -> { })));
        assertTrue(e.getMessage().contains("SHA-256") && e.getMessage().contains("deleted"), e.getMessage());
        assertFalse(Files.exists(store.path(entry(null))));
        assertFalse(Files.exists(Downloader.partFile(store.path(entry(null)))));
    }

    @Test
    void missingFilesAndOfflineAreClearErrors() throws IOException {
        WeightStore store = new WeightStore(dir.resolve("store"), new Downloader(java.time.Duration.ofSeconds(2)));
        WeightsEntry missing = new WeightsEntry("gone", "resnet18", "safetensors",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/nothing", null, null, "", null, Map.of());
        IOException notFound = assertThrows(IOException.class, () -> store.fetch(missing, new WeightStore.Fetching(null, false, Downloader.Listener.NONE, w -> { })));
        assertTrue(notFound.getMessage().contains("HTTP 404"), notFound.getMessage());
        IOException offline = assertThrows(IOException.class, () -> store.fetch(entry(sha()), new WeightStore.Fetching(null, true, Downloader.Listener.NONE, w -> { })));
        assertTrue(offline.getMessage().contains("downloads are off") && offline.getMessage().contains(
                store.path(entry(null)).toString()), offline.getMessage());
        // a mirror base replaces the host
        Path viaMirror = store.fetch(new WeightsEntry("w", "resnet18", "safetensors", "https://unreachable.invalid/w",
                        sha(), null, "", null, Map.of()), new WeightStore.Fetching("http://127.0.0.1:" + server.getAddress().getPort(), false, Downloader.Listener.NONE, w -> { }));
        assertArrayEquals(content, Files.readAllBytes(viaMirror));
    }

    @Test
    void withoutAPublishedHashTheFirstDownloadsHashIsRecordedAndEnforced() throws IOException {
        WeightStore store = new WeightStore(dir.resolve("store"), new Downloader(java.time.Duration.ofSeconds(2)));
        List<String> warnings = new ArrayList<>();
        Path file = store.fetch(entry(null), new WeightStore.Fetching(null, false, Downloader.Listener.NONE, warnings::add));
        assertEquals(1, warnings.size());
        assertEquals(sha(), store.expectedHash(entry(null)));
        Files.write(file, new byte[]{1, 2, 3});
        IOException changed = assertThrows(IOException.class, () -> store.fetch(entry(null), new WeightStore.Fetching(null, true, Downloader.Listener.NONE, w -> { })));
        assertTrue(changed.getMessage().contains("fetch it again"), changed.getMessage());
    }


    /** A torchvision-style entry: the file name carries the first 8 hex digits of its SHA-256, no whole hash. */
    private WeightsEntry pth(String prefix) {
        return new WeightsEntry("net.IMAGENET1K_V1", List.of("net"), "resnet18", WeightsEntry.PYTORCH,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/net-" + prefix + ".pth", null, prefix, null,
                "test", null, Map.of(), null, null, false);
    }

    private WeightStore store(WeightsEntry... entries) {
        return new WeightStore(dir.resolve("store"), List.of(entries), new Downloader(java.time.Duration.ofSeconds(2)));
    }

    @Test
    void aPthEntryIsCheckedByTheHashPrefixInItsNameThenByTheRecordedWholeHash() throws IOException {
        WeightsEntry good = pth(sha().substring(0, 8));
        WeightStore store = store(good);
        List<String> warnings = new ArrayList<>();
        WeightStore.Resolved r = store.resolve("net", new WeightStore.Fetching(null, false, Downloader.Listener.NONE,
                warnings::add));
        assertEquals(good, r.entry());
        assertEquals("net-" + sha().substring(0, 8) + ".pth", r.file().getFileName().toString());
        assertArrayEquals(content, Files.readAllBytes(r.file()));
        assertTrue(warnings.get(0).contains("prefix " + sha().substring(0, 8) + " matched"), warnings.toString());
        assertEquals(sha(), store.expectedHash(good));
        // found again by path, by id, by its hash prefix; a changed file is refused
        assertEquals(good, store.resolve(r.file().toString(), WeightStore.Fetching.quiet()).entry());
        assertEquals(good, store.resolve(sha().substring(0, 8), WeightStore.Fetching.quiet()).entry());
        Files.write(r.file(), new byte[]{1, 2, 3});
        IOException changed = assertThrows(IOException.class, () -> store.resolve("net", WeightStore.Fetching.quiet()));
        assertTrue(changed.getMessage().contains("fetch it again"), changed.getMessage());
    }

    @Test
    void aPthWhoseHashDoesNotStartWithItsNamesPrefixIsRefusedAndNothingIsLeft() throws IOException {
        WeightsEntry wrong = pth("00000000".equals(sha().substring(0, 8)) ? "11111111" : "00000000");
        WeightStore store = store(wrong);
        IOException e = assertThrows(IOException.class, () -> store.fetch(wrong, WeightStore.Fetching.quiet()));
        assertTrue(e.getMessage().contains("does not start with " + wrong.sha256Prefix()), e.getMessage());
        assertFalse(Files.exists(store.path(wrong)));
        assertFalse(Files.exists(Downloader.partFile(store.path(wrong))));
        assertEquals(null, store.expectedHash(wrong), "nothing recorded");
    }

    @Test
    void aPthCutOffMidStreamResumesAndOfflineNamesTheFileAndWhereToPutIt() throws IOException {
        WeightsEntry good = pth(sha().substring(0, 8));
        WeightStore store = store(good);
        IOException offline = assertThrows(IOException.class, () -> store.resolve("net",
                WeightStore.Fetching.quiet().withOffline(true)));
        assertTrue(offline.getMessage().contains("net-" + sha().substring(0, 8) + ".pth")
                && offline.getMessage().contains(store.path(good).toString())
                && offline.getMessage().contains("starts with " + sha().substring(0, 8)), offline.getMessage());
        cutAfter = 120_000;
        assertThrows(IOException.class, () -> store.fetch(good, WeightStore.Fetching.quiet()));
        assertEquals(120_000, Files.size(Downloader.partFile(store.path(good))));
        Path file = store.fetch(good, WeightStore.Fetching.quiet());
        assertEquals("bytes=120000-", ranges.get(ranges.size() - 1));
        assertArrayEquals(content, Files.readAllBytes(file));
    }

    @Test
    void aUsersCatalogueAddsEntriesButCannotTakeABuiltInName() throws IOException {
        Path home = Files.createDirectories(dir.resolve("own"));
        Files.writeString(home.resolve(WeightStore.CATALOGUE), """
                {"entries": [{"id": "mine.v1", "architecture": "resnet18", "format": "pytorch",
                  "url": "https://example.invalid/mine-v1.pth", "sha256": null, "licence": "ours",
                  "preprocessing": {"resize": 256, "crop": 224, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5],
                                    "channels": "RGB", "range": "0-1"}}]}""");
        WeightStore store = new WeightStore(home);
        assertEquals("resnet18", store.entry("mine.v1").architecture());
        assertEquals("bilinear", store.entry("mine.v1").preprocessing().interpolation());
        Files.writeString(home.resolve(WeightStore.CATALOGUE), Files.readString(home.resolve(WeightStore.CATALOGUE))
                .replace("mine.v1", "resnet50.DEFAULT"));
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> new WeightStore(home));
        assertTrue(clash.getMessage().contains("resnet50.DEFAULT") && clash.getMessage().contains(WeightStore.CATALOGUE),
                clash.getMessage());
        Files.writeString(home.resolve(WeightStore.CATALOGUE), Files.readString(home.resolve(WeightStore.CATALOGUE))
                .replace("resnet50.DEFAULT", "../../evil").replace("\"pytorch\"", "\"safetensors\""));
        IllegalArgumentException escape = assertThrows(IllegalArgumentException.class, () -> new WeightStore(home));
        assertTrue(escape.getMessage().contains("plain name"), escape.getMessage());
    }
}
