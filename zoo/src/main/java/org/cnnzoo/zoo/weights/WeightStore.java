package org.cnnzoo.zoo.weights;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.common.Hashing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Known weights and the local store that holds their files ({@code $CNNZOO_HOME/weights}, default
 * {@code ~/.cnnzoo/weights}).
 *
 * <p>The catalogue is data: the project's entries ({@code weights.json}: timm and Keras), torchvision's whole
 * catalogue for the zoo's networks ({@code torchvision-weights.json}, generated from torchvision's source), and a
 * user's own entries in {@code catalogue.json} inside the store (their checkpoints with their preprocessing).
 *
 * <p>Every file is checked by SHA-256 before it is used: against the entry's published hash, or for entries
 * without one against the hash recorded when it was first downloaded; a published hash prefix (torchvision puts 8
 * hex digits in its file names) is checked on every download and every use, which torch.hub itself skips by
 * default.
 */
public final class WeightStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final String RECORDED = "recorded-sha256.json";
    /** A user's own entries, in the store. */
    public static final String CATALOGUE = "catalogue.json";
    private static final List<String> BUILT_IN = List.of("/org/cnnzoo/zoo/weights.json",
            "/org/cnnzoo/zoo/torchvision-weights.json");

    private final Path dir;
    private final List<WeightsEntry> entries;
    private final Downloader downloader;

    /** How a fetch may get a missing file. */
    public record Fetching(String mirror, boolean offline, Downloader.Listener listener, Consumer<String> warn) {
        public static Fetching quiet() {
            return new Fetching(null, false, Downloader.Listener.NONE, w -> { });
        }

        public Fetching withOffline(boolean off) {
            return new Fetching(mirror, off, listener, warn);
        }
    }

    /** A weights reference resolved: the checked file and, when it is a known one, its entry. */
    public record Resolved(Path file, WeightsEntry entry) {
    }

    /** @throws IllegalArgumentException when the store's own catalogue.json is unreadable or clashes */
    public WeightStore(Path dir) {
        this(dir, new Downloader());
    }

    public WeightStore(Path dir, Downloader downloader) {
        this(dir, withLocal(known(), dir), downloader);
    }

    /** A store with exactly these entries (tests, or an application's own catalogue). */
    public WeightStore(Path dir, List<WeightsEntry> entries, Downloader downloader) {
        this.dir = dir;
        this.entries = List.copyOf(checked(entries));
        this.downloader = downloader;
    }

    /** The entries the project ships: its own and torchvision's. */
    public static List<WeightsEntry> known() {
        List<WeightsEntry> all = new ArrayList<>();
        for (String resource : BUILT_IN) {
            try (InputStream in = WeightStore.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is missing from the class path");
                }
                all.addAll(parse(JSON.readTree(in)));
            } catch (IOException e) {
                throw new IllegalStateException(resource + " is unreadable", e);
            }
        }
        return checked(all);
    }

    private static List<WeightsEntry> parse(JsonNode root) {
        return JSON.convertValue(root.get("entries"), new TypeReference<List<WeightsEntry>>() {
        });
    }

    private static List<WeightsEntry> withLocal(List<WeightsEntry> builtIn, Path dir) {
        Path file = dir.resolve(CATALOGUE);
        if (!Files.isRegularFile(file)) {
            return builtIn;
        }
        List<WeightsEntry> all = new ArrayList<>(builtIn);
        try {
            all.addAll(parse(JSON.readTree(file.toFile())));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a valid weights catalogue ({\"entries\": [...]} as"
                    + " weights.json in the project): " + e.getMessage());
        }
        try {
            return checked(all);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** Ids and aliases are unique, every file name is a plain name, every entry says its format and address. */
    private static List<WeightsEntry> checked(List<WeightsEntry> entries) {
        Map<String, String> names = new HashMap<>();
        for (WeightsEntry e : entries) {
            if (e.id() == null || e.architecture() == null || e.format() == null || e.url() == null) {
                throw new IllegalStateException("entry " + e.id() + " lacks an id, architecture, format or url");
            }
            List<String> all = new ArrayList<>(e.aliases());
            all.add(0, e.id());
            for (String name : all) {
                String before = names.put(name, e.id());
                if (before != null) {
                    throw new IllegalStateException("weights name " + name + " is used by both " + before + " and " + e.id());
                }
            }
            String file = e.fileName();
            if (!file.matches("[A-Za-z0-9._+-]+") || file.equals(".") || file.equals("..")) {
                throw new IllegalStateException("entry " + e.id() + " would be stored as '" + file
                        + "'; a store file name must be a plain name");
            }
        }
        return entries;
    }

    public List<WeightsEntry> entries() {
        return entries;
    }

    /** The entries for one network, in catalogue order. */
    public List<WeightsEntry> entries(String architecture) {
        return entries.stream().filter(e -> e.architecture().equals(architecture)).toList();
    }


    public Path dir() {
        return dir;
    }

    /** @throws IllegalArgumentException naming the known ids */
    public WeightsEntry entry(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown weights '" + name + "'; known: "
                + String.join(", ", entries.stream().map(WeightsEntry::id).toList())
                + " ('cnnzoo weights list' shows them with their networks)"));
    }

    /** The entry of that id or alias. */
    public Optional<WeightsEntry> find(String name) {
        return entries.stream().filter(e -> e.answersTo(name)).findFirst();
    }

    /**
     * The entry a file holds: the store's own file of an entry, or a file whose SHA-256 is an entry's known or
     * recorded hash, or starts with its published prefix (a copy kept elsewhere, e.g. torch.hub's cache).
     */
    public Optional<WeightsEntry> entryForFile(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        for (WeightsEntry e : entries) {
            if (path(e).toAbsolutePath().normalize().equals(absolute)) {
                verify(e, file);                 // a stored file named by its path is checked as by its id
                return Optional.of(e);
            }
        }
        String sha = Hashing.sha256(file);
        return byHash(sha, true);
    }

    private Optional<WeightsEntry> byHash(String sha, boolean wholeHash) throws IOException {
        String lower = sha.toLowerCase(Locale.ROOT);
        for (WeightsEntry e : entries) {
            String expected = expectedHash(e);
            boolean full = expected != null && (wholeHash ? expected.equals(lower) : expected.startsWith(lower));
            boolean prefix = e.sha256Prefix() != null && (wholeHash ? lower.startsWith(e.sha256Prefix())
                    : e.sha256Prefix().startsWith(lower) || lower.startsWith(e.sha256Prefix()));
            if (full || (expected == null && prefix)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public Path path(WeightsEntry entry) {
        return dir.resolve(entry.fileName());
    }

    /** The whole hash to check against: published, else recorded on first download; null when neither. */
    public String expectedHash(WeightsEntry entry) throws IOException {
        return entry.sha256() != null ? entry.sha256().toLowerCase(Locale.ROOT) : recorded().get(entry.id());
    }

    /**
     * A {@code --weights} reference as a checked file: an existing file (matched to an entry by its place in the
     * store or its hash), an entry's id or alias (fetched when not stored yet), or a SHA-256 (8 hex digits or
     * more) of a known entry.
     *
     * @throws IllegalArgumentException when the reference names nothing known
     * @throws IOException              when a download or a check fails, or the file is needed offline
     */
    public Resolved resolve(String reference, Fetching fetching) throws IOException {
        Path file = Path.of(reference);
        if (Files.isRegularFile(file)) {
            return new Resolved(file, entryForFile(file).orElse(null));
        }
        Optional<WeightsEntry> named = find(reference);
        if (named.isEmpty() && reference.matches("(?i)[0-9a-f]{8,64}")) {
            named = byHash(reference, reference.length() == 64);
        }
        if (named.isEmpty() && (reference.contains("/") || reference.contains(java.io.File.separator)
                || reference.matches(".*\\.(pth|pt|safetensors|zip|h5|bin)$"))) {
            throw new IllegalArgumentException("weights file " + reference + " does not exist");
        }
        WeightsEntry entry = named.orElseGet(() -> entry(reference));
        return new Resolved(fetch(entry, fetching), entry);
    }

    /**
     * The entry's file, downloaded if missing (from {@code mirror} + file name when a mirror is given) and
     * checked. A PyTorch entry already in torch.hub's cache ({@code $TORCH_HOME/hub/checkpoints}) is used from
     * there after the same checks.
     *
     * @throws IOException when offline and the file is missing (saying where to put it), or when the download
     *                     or the check fails
     */
    public Path fetch(WeightsEntry entry, Fetching fetching) throws IOException {
        Path target = path(entry);
        if (Files.isRegularFile(target)) {
            verify(entry, target);
            return target;
        }
        Optional<Path> cached = torchHubCopy(entry);
        if (cached.isPresent()) {
            verify(entry, cached.get());
            return cached.get();
        }
        String expected = expectedHash(entry);
        String mirror = fetching.mirror();
        URI uri = URI.create(mirror == null ? entry.url() : (mirror.endsWith("/") ? mirror : mirror + "/") + entry.fileName());
        if (fetching.offline()) {
            throw new IOException("weights " + entry.id() + " are not in the store and downloads are off: place the file"
                    + " " + entry.fileName() + " from " + entry.url() + " at " + target
                    + (expected != null ? " (SHA-256 " + expected + ")"
                    : entry.sha256Prefix() != null ? " (its SHA-256 starts with " + entry.sha256Prefix() + ")" : ""));
        }
        try {
            download(entry, uri, target, expected, fetching);
        } catch (IOException e) {
            if (Files.exists(target)) {
                throw e;
            }
            // whatever failed, say how to get the file another way
            throw new IOException(e.getMessage() + "; to use these weights anyway, place " + entry.fileName() + " from "
                    + entry.url() + " at " + target + " or set CNNZOO_MIRROR to a copy", e);
        }
        if (expected == null) {
            String observed = Hashing.sha256(target);
            record(entry.id(), observed);
            fetching.warn().accept("weights " + entry.id() + " have no published whole SHA-256"
                    + (entry.sha256Prefix() != null ? " (its published prefix " + entry.sha256Prefix() + " matched)" : "")
                    + "; recorded " + observed + " on first download, later uses must match it");
        }
        return target;
    }

    private void download(WeightsEntry entry, URI uri, Path target, String expected, Fetching fetching)
            throws IOException {
        downloader.download(uri, target, part -> {
            String actual = Hashing.sha256(part);
            if (expected != null && !actual.equals(expected)) {
                throw new IOException("downloaded " + uri + " has SHA-256 " + actual + ", expected " + expected
                        + "; the file was deleted");
            }
            if (entry.sha256Prefix() != null && !actual.startsWith(entry.sha256Prefix().toLowerCase(Locale.ROOT))) {
                throw new IOException("downloaded " + uri + " has SHA-256 " + actual + ", which does not start with "
                        + entry.sha256Prefix() + " as its published name says; the file was deleted");
            }
            if (entry.size() != null && Files.size(part) != entry.size()) {
                throw new IOException("downloaded " + uri + " has " + Files.size(part) + " bytes, expected " + entry.size());
            }
        }, fetching.listener());
    }

    private static Optional<Path> torchHubCopy(WeightsEntry entry) {
        if (!WeightsEntry.PYTORCH.equals(entry.format())) {
            return Optional.empty();
        }
        String torchHome = System.getenv("TORCH_HOME");
        Path home = torchHome != null ? Path.of(torchHome)
                : Path.of(System.getProperty("user.home"), ".cache", "torch");
        Path file = home.resolve("hub").resolve("checkpoints").resolve(entry.fileName());
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Checks a file against its entry's whole hash and published prefix. @throws IOException saying what to do */
    public void verify(WeightsEntry entry, Path file) throws IOException {
        String expected = expectedHash(entry);
        if (expected == null && entry.sha256Prefix() == null) {
            return;
        }
        String actual = Hashing.sha256(file);
        if (expected != null && !actual.equals(expected)) {
            throw new IOException(file + " has SHA-256 " + actual + " but " + entry.id() + " should have " + expected
                    + "; delete it and fetch it again");
        }
        if (entry.sha256Prefix() != null && !actual.startsWith(entry.sha256Prefix().toLowerCase(Locale.ROOT))) {
            throw new IOException(file + " has SHA-256 " + actual + " but " + entry.id() + "'s starts with "
                    + entry.sha256Prefix() + "; it is not that file: delete it and fetch it again");
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
}
