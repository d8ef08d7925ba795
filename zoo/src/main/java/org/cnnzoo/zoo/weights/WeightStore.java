package org.cnnzoo.zoo.weights;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.type.TypeReference;

import org.cnnzoo.zoo.io.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Known weights ({@code weights.json}, a resource) and the local store that holds downloaded files
 * ({@code $CNNZOO_HOME/weights}, default {@code ~/.cnnzoo/weights}). Every file is checked by SHA-256 before it is
 * used: against the entry's hash, or for entries without one against the hash recorded when it was first
 * downloaded (trust on first use, with a warning).
 */
public final class WeightStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final String RECORDED = "recorded-sha256.json";

    private final Path dir;
    private final List<WeightsEntry> entries;
    private final Downloader downloader;

    public WeightStore(Path dir) {
        this(dir, new Downloader());
    }

    public WeightStore(Path dir, Downloader downloader) {
        this.dir = dir;
        this.entries = known();
        this.downloader = downloader;
    }

    /** The known entries, as shipped. */
    public static List<WeightsEntry> known() {
        try (InputStream in = WeightStore.class.getResourceAsStream("/org/cnnzoo/zoo/weights.json")) {
            JsonNode root = JSON.readTree(in);
            return JSON.convertValue(root.get("entries"), new TypeReference<List<WeightsEntry>>() {
            });
        } catch (IOException e) {
            throw new IllegalStateException("weights.json is unreadable", e);
        }
    }

    public List<WeightsEntry> entries() {
        return entries;
    }

    public Path dir() {
        return dir;
    }

    /** @throws IllegalArgumentException naming the known ids */
    public WeightsEntry entry(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown weights '" + id + "'; known: "
                        + String.join(", ", entries.stream().map(WeightsEntry::id).toList())));
    }

    /**
     * The entry a file holds: the store's own file of an entry, or a file whose SHA-256 is an entry's known or
     * recorded hash (a copy kept elsewhere).
     */
    public java.util.Optional<WeightsEntry> entryForFile(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        for (WeightsEntry e : entries()) {
            if (path(e).toAbsolutePath().normalize().equals(absolute)) {
                verify(e, file, expectedHash(e));          // a stored file named by its path is checked as by its id
                return java.util.Optional.of(e);
            }
        }
        String sha = null;
        for (WeightsEntry e : entries()) {
            String expected = expectedHash(e);
            if (expected != null) {
                sha = sha == null ? sha256(file) : sha;
                if (expected.equalsIgnoreCase(sha)) {
                    return java.util.Optional.of(e);
                }
            }
        }
        return java.util.Optional.empty();
    }

    public Path path(WeightsEntry entry) {
        return dir.resolve(entry.fileName());
    }

    /** Where the hash to check against comes from, and the hash (null when neither published nor recorded). */
    public String expectedHash(WeightsEntry entry) throws IOException {
        return entry.sha256() != null ? entry.sha256() : recorded().get(entry.id());
    }

    /**
     * The entry's file, downloaded if missing (from {@code mirror} + file name when a mirror is given) and
     * checked.
     *
     * @param warn receives the trust-on-first-use warning
     * @throws IOException when offline and the file is missing (saying where to put it), or when the download
     *                     or the check fails
     */
    public Path fetch(WeightsEntry entry, String mirror, boolean offline, Downloader.Listener listener,
                      java.util.function.Consumer<String> warn) throws IOException {
        Path target = path(entry);
        String expected = expectedHash(entry);
        if (Files.isRegularFile(target)) {
            verify(entry, target, expected);
            return target;
        }
        URI uri = URI.create(mirror == null ? entry.url() : (mirror.endsWith("/") ? mirror : mirror + "/") + entry.fileName());
        if (offline) {
            throw new IOException("weights " + entry.id() + " are not in the store and downloads are off: place the file"
                    + " from " + entry.url() + " at " + target + (expected == null ? "" : " (SHA-256 " + expected + ")"));
        }
        downloader.download(uri, target, part -> {
            String actual = sha256(part);
            if (expected != null && !actual.equals(expected)) {
                throw new IOException("downloaded " + uri + " has SHA-256 " + actual + ", expected " + expected
                        + "; the file was deleted");
            }
            if (entry.size() != null && Files.size(part) != entry.size()) {
                throw new IOException("downloaded " + uri + " has " + Files.size(part) + " bytes, expected " + entry.size());
            }
        }, listener);
        if (expected == null) {
            String observed = sha256(target);
            record(entry.id(), observed);
            warn.accept("weights " + entry.id() + " have no published SHA-256 here; recorded " + observed
                    + " on first download, later downloads must match it");
        }
        return target;
    }

    /** Checks a stored file against its expected hash. @throws IOException on a mismatch, saying what to do */
    public void verify(WeightsEntry entry, Path file, String expected) throws IOException {
        if (expected == null) {
            return;
        }
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            throw new IOException(file + " has SHA-256 " + actual + " but " + entry.id() + " should have " + expected
                    + "; delete it and fetch it again");
        }
    }

    private Map<String, String> recorded() throws IOException {
        Path file = dir.resolve(RECORDED);
        if (!Files.isRegularFile(file)) {
            return new TreeMap<>();
        }
        return JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, String>>() {
        });
    }

    private void record(String id, String sha) throws IOException {
        Map<String, String> all = recorded();
        all.put(id, sha);
        AtomicFiles.write(dir.resolve(RECORDED), tmp -> JSON.writeValue(tmp.toFile(), all));
    }

    /** The SHA-256 the store checks files by. */
    public static String sha256(Path file) throws IOException {
        return AtomicFiles.sha256(file);
    }

}
