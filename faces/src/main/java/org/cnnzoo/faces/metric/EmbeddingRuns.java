package org.cnnzoo.faces.metric;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cnnzoo.common.AtomicFiles;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An embedding run's folder: {@code model.zip} (the whole network, backbone and embedding), {@code embedding.json}
 * (its {@link EmbeddingSpec}), {@code history.json} (loss and validation one-shot accuracy per epoch),
 * {@code metrics.json} (the evaluation on classes never trained on, with the raw-pixel baseline beside it) and
 * {@code curves.png}. A checkpoint is the first three plus {@code best.npy}.
 */
public final class EmbeddingRuns {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    /** One epoch: mean training loss and one-shot accuracy on the held-out images of the training classes. */
    public record Epoch(int epoch, double loss, double validationAccuracy, double seconds) {
    }

    /**
     * What a finished run measured: on the evaluation classes (never trained on) the embeddings and, as a baseline,
     * the raw input values; the epoch kept; the settings.
     */
    public record Report(int keptEpoch, List<String> evaluationClasses, OneShot.Report embedding,
                         OneShot.Report pixels, int episodes, int batch, double learningRate, double trainingSeconds,
                         Map<String, Object> settings) {
    }

    private EmbeddingRuns() {
    }

    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("embedding.json")) && Files.isRegularFile(dir.resolve("model.zip"));
    }

    public static void writeCheckpoint(Path dir, ComputationGraph graph, EmbeddingSpec spec, List<Epoch> history,
                                       boolean best) throws IOException {
        if (best) {
            AtomicFiles.write(dir.resolve("best.npy"), tmp -> org.cnnzoo.zoo.weights.Npy.write(tmp, graph.params()));
        }
        AtomicFiles.write(dir.resolve("model.zip"), tmp -> ModelSerializer.writeModel(graph, tmp.toFile(), true));
        writeJson(dir.resolve("embedding.json"), spec);
        writeJson(dir.resolve("history.json"), history);
    }

    public static void writeRun(Path dir, ComputationGraph graph, EmbeddingSpec spec, List<Epoch> history,
                                Report report) throws IOException {
        writeCheckpoint(dir, graph, spec, history, false);
        writeJson(dir.resolve("metrics.json"), report);
        writeCurves(dir.resolve("curves.png"), history);
    }

    public static Embedder load(Path dir) throws IOException {
        if (!isRun(dir)) {
            throw new IOException(dir + " is not an embedding run folder (it needs model.zip and embedding.json, as"
                    + " 'cnnzoo embed --out' writes them)");
        }
        EmbeddingSpec spec = JSON.readValue(dir.resolve("embedding.json").toFile(), EmbeddingSpec.class);
        return new Embedder(ModelSerializer.restoreComputationGraph(dir.resolve("model.zip").toFile(), true), spec);
    }

    public static List<Epoch> history(Path dir) throws IOException {
        return JSON.readValue(dir.resolve("history.json").toFile(), new TypeReference<>() {
        });
    }

    public static Report report(Path dir) throws IOException {
        return JSON.readValue(dir.resolve("metrics.json").toFile(), Report.class);
    }

    static void writeJson(Path file, Object value) throws IOException {
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), value));
    }

    static void writeCurves(Path png, List<Epoch> history) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Embedding training")
                .xAxisTitle("epoch").yAxisTitle("loss / one-shot accuracy").build();
        List<Integer> x = history.stream().map(Epoch::epoch).toList();
        chart.addSeries("training loss", x, history.stream().map(Epoch::loss).toList()).setMarker(SeriesMarkers.NONE);
        chart.addSeries("validation one-shot accuracy", x, history.stream().map(Epoch::validationAccuracy).toList())
                .setMarker(SeriesMarkers.NONE);
        AtomicFiles.write(png, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }
}
