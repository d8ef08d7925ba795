package org.cnnzoo.cli;

import org.cnnzoo.common.Hashing;
import org.cnnzoo.zoo.Zoo;
import org.cnnzoo.common.AtomicFiles;
import org.cnnzoo.zoo.load.LoadedModel;
import org.cnnzoo.zoo.weights.WeightFormat;
import org.cnnzoo.zoo.weights.WeightStore;
import org.cnnzoo.zoo.weights.WeightsEntry;
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
import java.util.List;
import java.util.concurrent.Callable;

/** {@code cnnzoo weights list|fetch|verify|import}. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Known pretrained weights: list them, fetch one into the store (checked by SHA-256), verify a"
                + " file, or import a file into a DL4J model zip.")
final class WeightsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "list|fetch|verify|import")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID|FILE", description = "fetch: an id; verify, import: a file.")
    String target;

    @Option(names = "--model", paramLabel = "NAME", description = "list: only this network's weights; verify, import:"
            + " the zoo network a state dict is for (import without it: FILE is a whole Keras .h5 or TF.js model.json).")
    String model;

    @Option(names = "--id", paramLabel = "ID", description = "verify: check the file against this entry's SHA-256.")
    String id;

    @Option(names = "--out", paramLabel = "MODEL.zip", description = "import: where to write the DL4J model.")
    Path out;

    @Option(names = "--mirror", paramLabel = "URL", description = "fetch: download from URL/FILE_NAME instead ($CNNZOO_MIRROR).")
    String mirror = System.getenv("CNNZOO_MIRROR");

    @Option(names = "--offline", description = "fetch: never download; say where to put the file instead.")
    boolean offline;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WeightStore store = Loading.store();
        switch (action) {
            case "list" -> list(store, out);
            case "fetch" -> {
                if ("face-api".equals(target)) {           // face-api's networks come as one npm release
                    org.cnnzoo.detection.faceapi.FaceApiPackage.fetch(org.cnnzoo.common.Home.weights(),
                            new WeightStore.Fetching(mirror, offline, Loading.bar("face-api"), err::println));
                    out.println("face-api " + org.cnnzoo.detection.faceapi.FaceApiPackage.VERSION + " weights at "
                            + org.cnnzoo.detection.faceapi.FaceApiPackage.modelFolder(org.cnnzoo.common.Home.weights()));
                    return 0;
                }
                WeightsEntry e = store.entry(required(target, "an id (see 'cnnzoo weights list')"));
                Path file = store.fetch(e, new WeightStore.Fetching(mirror, offline, Loading.bar(e.id()), err::println));
                out.println("weights " + e.id() + " at " + file + " (SHA-256 " + Hashing.sha256(file) + ")");
            }
            case "verify" -> {
                Path file = Path.of(required(target, "a file"));
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException(file + " is not a file");
                }
                out.println("SHA-256 " + Hashing.sha256(file));
                out.println("format: " + WeightFormat.of(file).description());
                if (id != null) {
                    WeightsEntry e = store.entry(id);
                    store.verify(e, file);
                    out.println(store.expectedHash(e) == null && e.sha256Prefix() == null ? "no hash known for " + id
                            : "matches " + e.id());
                    model = model == null ? e.architecture() : model;
                }
                if (model != null) {
                    LoadedModel m = Loading.load(model, file.toString(), null, null, 42, err);
                    out.println("loads into " + m.name() + ": every tensor found, every shape right");
                }
            }
            case "import" -> {
                Path file = Path.of(required(target, "a file"));
                if (this.out == null) {
                    throw new IllegalArgumentException("weights import needs --out MODEL.zip");
                }
                // a whole network (Keras .h5, TF.js model.json) without --model; a state dict with it
                LoadedModel m = model == null ? Loading.load(file.toString(), null, null, null, 42, err)
                        : Loading.load(model, file.toString(), null, null, 42, err);
                AtomicFiles.write(this.out, tmp -> ModelSerializer.writeModel(m.graph(), tmp.toFile(), false));
                String what = switch (m.kind()) {
                    case TFJS -> "tfjs model";
                    case KERAS -> "keras-h5 model";
                    case DL4J -> "dl4j model";
                    default -> m.name();
                };
                out.printf("wrote %s (%s, %,d parameters, input %s, channels first)%n", this.out, what,
                        m.graph().numParams(), m.input());
            }
            default -> throw new IllegalArgumentException("weights takes list, fetch, verify or import, not '" + action + "'");
        }
        return 0;
    }

    /** Every entry (or one network's), with its accuracy, size, cost and whether it is stored. */
    private void list(WeightStore store, PrintWriter out) throws IOException {
        List<WeightsEntry> entries = model == null ? store.entries() : store.entries(Zoo.get(model).name());
        int width = Math.max(2, entries.stream().mapToInt(e -> e.id().length()).max().orElse(2));
        String row = "%-" + width + "s  %-15s %-17s %6s %8s %8s %6s %9s  %-6s %s%n";
        out.printf(row, "id", "network", "format", "top-1", "params", "GMACs", "crop", "size", "stored", "also called");
        for (WeightsEntry e : entries) {
            Object top1 = e.metadata().get("top1");
            Object params = e.metadata().get("params");
            Object gmacs = e.metadata().get("gmacs");
            out.printf(row, e.id(), e.architecture(), e.format(), top1 == null ? (e.backboneOnly() ? "feat." : "-") : top1,
                    params instanceof Number n ? String.format("%.1fM", n.doubleValue() / 1e6) : "-",
                    gmacs == null ? "-" : gmacs, e.preprocessing().crop(), size(store, e),
                    stored(store, e) ? "yes" : "no", String.join(", ", e.aliases()));
        }
        out.println("store: " + store.dir() + (entries.isEmpty() ? "" : "; top-1 is ImageNet-1k as published,"
                + " 'feat.' marks weights for features only; '?': size unknown until fetched"));
    }

    /** The file's size: as published, else as stored, else unknown until fetched. */
    private static String size(WeightStore store, WeightsEntry e) throws IOException {
        Long bytes = e.size() != null ? e.size() : stored(store, e) ? Files.size(store.path(e)) : null;
        return bytes == null ? "?" : String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static boolean stored(WeightStore store, WeightsEntry e) {
        return Files.isRegularFile(store.path(e));
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("give " + what);
        }
        return value;
    }
}
