package org.cnnzoo.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.zoo.io.AtomicFiles;
import org.cnnzoo.zoo.weights.Downloader;
import org.cnnzoo.zoo.weights.WeightStore;
import org.cnnzoo.zoo.weights.ImportedModel;
import org.cnnzoo.zoo.weights.Weights;
import org.cnnzoo.zoo.weights.WeightsEntry;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code cnnzoo weights list|fetch|verify|import}. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Known pretrained weights: list them, fetch one into the store (checked by SHA-256), verify a"
                + " file, or import a file into a DL4J model zip.")
final class WeightsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "list|fetch|verify|import")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID|FILE", description = "fetch: an id; verify, import: a file.")
    String target;

    @Option(names = "--model", paramLabel = "NAME", description = "verify, import: the zoo network a state dict is for"
            + " (import without it: FILE is a whole Keras .h5 or TF.js model.json).")
    String model;

    @Option(names = "--id", paramLabel = "ID", description = "verify: check the file against this entry's SHA-256.")
    String id;

    @Option(names = "--out", paramLabel = "MODEL.zip", description = "import: where to write the DL4J model.")
    Path out;

    @Option(names = "--mirror", paramLabel = "URL", description = "fetch: download from URL/FILE_NAME instead ($CNNZOO_MIRROR).")
    String mirror = System.getenv("CNNZOO_MIRROR");

    @Option(names = "--offline", description = "fetch: never download; say where to put the file instead.")
    boolean offline;

    static WeightStore store() {
        return new WeightStore(CnnzooHome.dir().resolve("weights"));
    }

    /**
     * A --weights argument: an existing file, or the id of a known entry (fetched into the store if missing).
     */
    static Path resolve(String weights, PrintWriter err) throws IOException {
        return resolveWithEntry(weights, err).file();
    }

    /** A weights file and, when it is a known one, its store entry (with the preprocessing it expects). */
    record Resolved(Path file, WeightsEntry entry) {
    }

    /**
     * The network of Keras weights that come without their architecture (Keras Applications), in the Keras
     * topology their entry names; null for weights that load into the zoo's own network.
     */
    static ImportedModel kerasNetwork(Resolved weights, String model) throws IOException {
        WeightsEntry e = weights.entry();
        if (e == null || !WeightsEntry.KERAS_WEIGHTS.equals(e.format())) {
            return null;
        }
        if (!e.architecture().equals(model)) {
            throw new IllegalArgumentException("weights " + e.id() + " are for " + e.architecture() + ", not " + model);
        }
        return ImportedModel.fromKerasWeights(weights.file(), e.topology());
    }

    /** A file (matched to an entry by its place in the store or its hash) or an id, fetched when not stored yet. */
    static Resolved resolveWithEntry(String weights, PrintWriter err) throws IOException {
        Path file = Path.of(weights);
        WeightStore store = store();
        if (Files.isRegularFile(file)) {
            return new Resolved(file, store.entryForFile(file).orElse(null));
        }
        WeightsEntry entry = store.entry(weights);
        return new Resolved(store.fetch(entry, System.getenv("CNNZOO_MIRROR"), false, bar(weights), err::println), entry);
    }

    private static Downloader.Listener bar(String name) {
        ProgressBar[] bar = new ProgressBar[1];
        return (done, total) -> {
            if (bar[0] == null) {
                bar[0] = new ProgressBarBuilder().setTaskName(name).setInitialMax(Math.max(total, 1))
                        .setUnit(" MB", 1 << 20).setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
            }
            bar[0].stepTo(done);
            if (done >= total && total > 0) {
                bar[0].close();
            }
        };
    }

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WeightStore store = store();
        try {
            switch (action) {
                case "list" -> {
                    int width = store.entries().stream().mapToInt(e -> e.id().length()).max().orElse(2);
                    String row = "%-" + width + "s  %-12s %-12s %7s  %-7s %s%n";
                    out.printf(row, "id", "network", "format", "top-1", "stored", "licence");
                    for (WeightsEntry e : store.entries()) {
                        out.printf(row, e.id(), e.architecture(), e.format(),
                                e.metadata().getOrDefault("top1", "-"), Files.isRegularFile(store.path(e)) ? "yes" : "no",
                                e.licence());
                    }
                    out.println("store: " + store.dir());
                }
                case "fetch" -> {
                    WeightsEntry e = store.entry(required(target, "an id (see 'cnnzoo weights list')"));
                    Path file = store.fetch(e, mirror, offline, bar(e.id()), err::println);
                    out.println("weights " + e.id() + " at " + file + " (SHA-256 " + AtomicFiles.sha256(file) + ")");
                }
                case "verify" -> {
                    Path file = Path.of(required(target, "a file"));
                    if (!Files.isRegularFile(file)) {
                        throw new IllegalArgumentException(file + " is not a file");
                    }
                    String sha = AtomicFiles.sha256(file);
                    out.println("SHA-256 " + sha);
                    if (id != null) {
                        WeightsEntry e = store.entry(id);
                        store.verify(e, file, store.expectedHash(e));
                        out.println(store.expectedHash(e) == null ? "no hash known for " + id : "matches " + id);
                        model = model == null ? e.architecture() : model;
                    }
                    if (model != null) {
                        Weights.load(Zoo.get(model).create().init(), file);
                        out.println("loads into " + model + ": every tensor found, every shape right");
                    }
                }
                case "import" -> {
                    Path file = Path.of(required(target, "a file"));
                    if (this.out == null) {
                        throw new IllegalArgumentException("weights import needs --out MODEL.zip");
                    }
                    if (model == null) {
                        // a whole network: Keras .h5 or TF.js model.json
                        ImportedModel imported = ImportedModel.load(file);
                        AtomicFiles.write(this.out, tmp -> ModelSerializer.writeModel(imported.graph(), tmp.toFile(), false));
                        out.printf("wrote %s (%s model, %,d parameters, input %dx%dx%d, channels first)%n", this.out,
                                imported.format(), imported.graph().numParams(), imported.height(), imported.width(),
                                imported.channels());
                        return;
                    }
                    ComputationGraph graph = Zoo.get(model).create().init();
                    Weights.load(graph, file);
                    AtomicFiles.write(this.out, tmp -> ModelSerializer.writeModel(graph, tmp.toFile(), false));
                    out.println("wrote " + this.out + " (" + model + " with " + file.getFileName() + ")");
                }
                default -> throw new IllegalArgumentException("weights takes list, fetch, verify or import, not '" + action + "'");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("give " + what);
        }
        return value;
    }
}
