package org.cnnzoo.transfer;

import org.cnnzoo.common.Hashing;
import org.cnnzoo.common.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cnnzoo.datasets.ImageIterator;
import org.cnnzoo.zoo.inference.InferenceGraph;
import org.deeplearning4j.nn.transferlearning.TransferLearningHelper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Activations of a frozen backbone, computed once and kept on disk, so that training the layers above never runs
 * the backbone again.
 *
 * <p>Each entry lives in a folder of its own named by the hash of its {@link Key}, which holds everything that
 * changes the activations; a change of any of them is a different entry, and entries of other inputs are left
 * alone. The activations are stored one file per batch ("shard"), each written to a temporary file and moved
 * into place, and recorded in the entry's manifest with its SHA-256. {@link #ensure} recomputes exactly the
 * shards that are missing or whose checksum does not match, so a featurization killed half-way resumes, and a
 * damaged file is rebuilt rather than used.
 */
public final class FeatureCache {
    static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What the cached activations depend on.
     *
     * @param model         the backbone's name or file
     * @param weights       hash of the backbone's parameters
     * @param cut           the vertex whose activations are stored
     * @param preprocessing input normalisation
     * @param input         network input, "HxWxC"
     * @param data          the dataset's fingerprint
     * @param augmentation  augmentation spec ("" for none)
     * @param view          augmented view number (0: the plain images)
     * @param batchSize     images per shard
     */
    public record Key(String model, String weights, String cut, String preprocessing, String input, String data,
                      String augmentation, int view, int batchSize) {
        public String id() {
            return Hashing.sha256(toString()).substring(0, 24);
        }
    }

    /** One stored batch. */
    public record Shard(int index, String file, int examples, String sha256) {
    }

    /** An entry's record: its key, how many shards make it complete, and the shards written so far. */
    public record Manifest(Key key, int shards, List<Shard> written, boolean complete) {
    }

    /** An entry as listed by {@link #list}. */
    public record Listing(String id, Manifest manifest, long bytes) {
    }

    private final Path root;

    public FeatureCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path dir(Key key) {
        return root.resolve(key.id());
    }

    /**
     * Makes sure every shard of the entry exists and is intact, computing the missing or damaged ones from
     * {@code images} (an un-shuffled iterator over the data, batch size as in the key) through {@code helper}'s
     * frozen part. Returns the shard files in order.
     */
    public List<Path> ensure(Key key, ImageIterator images, TransferLearningHelper helper, Progress progress)
            throws IOException {
        return ensure(key, images, featurizer(helper), progress);
    }

    /**
     * The frozen part's output for a batch, computing only what is needed. DL4J's own
     * {@code TransferLearningHelper.featurize} computes every vertex of the graph and copies each activation out
     * of its workspace, which made featurization at 224x224 a third slower than inference (measured). The frozen
     * part runs as an {@link InferenceGraph}, like every prediction.
     */
    public static UnaryOperator<DataSet> featurizer(TransferLearningHelper helper) {
        ComputationGraph unfrozen = helper.unfrozenGraph();
        List<String> boundary = unfrozen.getConfiguration().getNetworkInputs();
        ComputationGraph full = fullGraph(helper);
        if (boundary.size() != 1 || full == null) {
            return helper::featurize;                    // several boundary activations: DL4J's general path
        }
        InferenceGraph fast = InferenceGraph.of(full, boundary.get(0));
        return batch -> new DataSet(fast.output(boundary, batch.getFeatures())[0], batch.getLabels());
    }

    /** The graph the helper was made from (DL4J keeps it in a private field). */
    private static ComputationGraph fullGraph(TransferLearningHelper helper) {
        try {
            java.lang.reflect.Field f = TransferLearningHelper.class.getDeclaredField("origGraph");
            f.setAccessible(true);
            return (ComputationGraph) f.get(helper);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** {@link #ensure(Key, ImageIterator, TransferLearningHelper, Progress)} with any featurizing function. */
    public List<Path> ensure(Key key, ImageIterator images, UnaryOperator<DataSet> featurize, Progress progress)
            throws IOException {
        if (images.batch() != key.batchSize()) {
            throw new IllegalArgumentException("iterator batch " + images.batch() + " differs from the key's " + key.batchSize());
        }
        return ensure(key, images.batchCount(), images.source().size(), (missing, sink) -> {
            int cursor = 0;
            for (int shard : missing) {
                for (; cursor < shard; cursor++) {
                    images.skipBatch();
                }
                sink.accept(shard, featurize.apply(images.next()));
                cursor++;
            }
        }, progress);
    }

    /** Receives one computed shard. */
    public interface ShardSink {
        void accept(int shard, DataSet features) throws IOException;
    }

    /**
     * Computes the activations of the given shards (in ascending order) and hands each to the sink when it is ready;
     * a cluster may hand them over in any order.
     */
    public interface ShardComputer {
        void compute(int[] shards, ShardSink sink) throws IOException;
    }

    /**
     * Makes sure the entry's {@code shards} shards exist and are intact, asking {@code computer} for exactly the
     * missing or damaged ones; each shard is written and recorded in the manifest as it arrives, so work that stops
     * half-way resumes. {@code images} is the number of images, for progress.
     */
    public List<Path> ensure(Key key, int shards, long images, ShardComputer computer, Progress progress)
            throws IOException {
        Path dir = dir(key);
        Files.createDirectories(dir);
        TreeMap<Integer, Shard> written = new TreeMap<>();
        Manifest old = readManifest(dir);
        if (old != null && old.key().equals(key)) {
            old.written().forEach(s -> written.put(s.index(), s));
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            Shard recorded = written.get(i);
            if (recorded == null || !intact(dir.resolve(recorded.file()), recorded)) {
                if (recorded != null) {
                    progress.message("cache: " + dir.resolve(recorded.file()) + " does not match its recorded SHA-256"
                            + " (damaged or changed); computing it again");
                    written.remove(i);
                }
                missing.add(i);
            }
        }
        written.keySet().removeIf(i -> i >= shards);
        progress.start("features " + key.cut() + (key.view() > 0 ? " view " + key.view() : ""), images);
        long[] done = {0};
        for (Shard kept : written.values()) {
            done[0] += kept.examples();
            progress.step(done[0]);
        }
        if (!missing.isEmpty()) {
            computer.compute(missing.stream().mapToInt(Integer::intValue).toArray(), (i, features) -> {
                if (i < 0 || i >= shards) {
                    throw new IllegalStateException("shard " + i + " is not one of the entry's " + shards);
                }
                Path file = dir.resolve(shardName(i));
                AtomicFiles.write(file, tmp -> features.save(tmp.toFile()));
                written.put(i, new Shard(i, file.getFileName().toString(), features.numExamples(), Hashing.sha256(file)));
                writeManifest(dir, new Manifest(key, shards, List.copyOf(written.values()), false));
                done[0] += features.numExamples();
                progress.step(done[0]);
            });
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            if (!written.containsKey(i)) {
                throw new IllegalStateException("cache: shard " + i + " of " + dir + " was not computed");
            }
            files.add(dir.resolve(shardName(i)));
        }
        Manifest complete = new Manifest(key, shards, List.copyOf(written.values()), true);
        if (!complete.equals(old)) {                      // an entry found whole is only read
            writeManifest(dir, complete);
        }
        progress.finish();
        return files;
    }

    private static String shardName(int index) {
        return String.format("shard-%06d.bin", index);
    }

    private static boolean intact(Path file, Shard shard) {
        try {
            return Files.isRegularFile(file) && Hashing.sha256(file).equals(shard.sha256());
        } catch (IOException e) {
            return false;
        }
    }

    static Manifest readManifest(Path dir) {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            return null;                                  // unreadable: the entry is rebuilt
        }
    }

    private static void writeManifest(Path dir, Manifest manifest) throws IOException {
        AtomicFiles.write(dir.resolve(MANIFEST), tmp -> JSON.writeValue(tmp.toFile(), manifest));
    }

    /** Every entry under the cache root with its size, largest first. */
    public List<Listing> list() throws IOException {
        List<Listing> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Manifest m = readManifest(dir);
                if (m != null) {
                    entries.add(new Listing(dir.getFileName().toString(), m, size(dir)));
                }
            }
        }
        entries.sort(Comparator.comparingLong(Listing::bytes).reversed());
        return entries;
    }

    /** Deletes the entries whose id starts with the prefix ("" for all); returns the bytes freed. */
    public long remove(String idPrefix) throws IOException {
        long freed = 0;
        for (Listing l : list()) {
            if (l.id().startsWith(idPrefix)) {
                freed += l.bytes();
                AtomicFiles.deleteTree(root.resolve(l.id()));
            }
        }
        return freed;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
