package org.cnnzoo.detection.yolo;

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

/**
 * A detector's run folder: {@code model.zip} (the network with its updater state), {@code detector.json} (its
 * {@link DetectorSpec}), {@code history.json} (epochs), {@code metrics.json} (validation and test figures, what
 * reading the data skipped) and {@code curves.png}. Each file is written atomically; a folder of a detector is
 * recognised by its {@code detector.json}.
 */
public final class DetectorRuns {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    /** What a run reports besides its history. */
    public record Report(int keptEpoch, DetectionMetrics validation, DetectionMetrics test, List<String> warnings,
                         String augment, int batch, double learningRate, double trainingSeconds) {
    }

    private DetectorRuns() {
    }

    public static boolean isDetector(Path dir) {
        return Files.isRegularFile(dir.resolve("detector.json")) && Files.isRegularFile(dir.resolve("model.zip"));
    }

    /**
     * The network and its epochs so far, into a folder that exists (a checkpoint, or part of a finished run); with
     * {@code best}, also its parameters as the best so far ({@code best.npy}, which resuming reads back).
     */
    public static void writeCheckpoint(Path dir, ComputationGraph graph, DetectorSpec spec,
                                       List<DetectorTraining.Epoch> history, boolean best) throws IOException {
        if (best) {
            AtomicFiles.write(dir.resolve("best.npy"), tmp -> org.cnnzoo.zoo.weights.Npy.write(tmp, graph.params()));
        }
        AtomicFiles.write(dir.resolve("model.zip"), tmp -> ModelSerializer.writeModel(graph, tmp.toFile(), true));
        writeJson(dir.resolve("detector.json"), spec);
        writeJson(dir.resolve("history.json"), history);
    }

    /** A finished run: the checkpoint's files, the report and the curves. */
    public static void writeRun(Path dir, ComputationGraph graph, DetectorSpec spec, List<DetectorTraining.Epoch> history,
                                Report report) throws IOException {
        writeCheckpoint(dir, graph, spec, history, false);
        writeJson(dir.resolve("metrics.json"), report);
        writeCurves(dir.resolve("curves.png"), history);
    }

    public static YoloDetector load(Path dir) throws IOException {
        if (!isDetector(dir)) {
            throw new IOException(dir + " is not a detector's run folder (it needs model.zip and detector.json, as"
                    + " 'cnnzoo train-detector --out' writes them)");
        }
        DetectorSpec spec = JSON.readValue(dir.resolve("detector.json").toFile(), DetectorSpec.class);
        return new YoloDetector(ModelSerializer.restoreComputationGraph(dir.resolve("model.zip").toFile(), true), spec);
    }

    public static List<DetectorTraining.Epoch> history(Path dir) throws IOException {
        return JSON.readValue(dir.resolve("history.json").toFile(), new TypeReference<>() {
        });
    }

    static void writeJson(Path file, Object value) throws IOException {
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), value));
    }

    /** Training loss and validation mAP@0.5 per epoch. */
    static void writeCurves(Path png, List<DetectorTraining.Epoch> history) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Detector training")
                .xAxisTitle("epoch").yAxisTitle("loss / mAP@0.5").build();
        List<Integer> x = history.stream().map(DetectorTraining.Epoch::epoch).toList();
        chart.addSeries("training loss", x, history.stream().map(DetectorTraining.Epoch::loss).toList())
                .setMarker(SeriesMarkers.NONE);
        if (history.stream().anyMatch(e -> Double.isFinite(e.validationMap()))) {
            chart.addSeries("validation mAP@0.5", x, history.stream().map(DetectorTraining.Epoch::validationMap).toList())
                    .setMarker(SeriesMarkers.NONE);
        }
        AtomicFiles.write(png, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }
}
