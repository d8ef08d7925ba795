package org.cnnzoo.transfer;

import org.cnnzoo.common.AtomicFiles;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run folder: {@code model.zip} (DL4J's model file), {@code run.json} (classes, preprocessing, provenance),
 * {@code metrics.json}, {@code history.json}, {@code curves.png} and {@code confusion.png}. Every file is
 * written to a temporary name and moved into place.
 */
public final class Runs {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A run read back: the model and its description. */
    public record Loaded(Path dir, ComputationGraph model, RunInfo info) {
    }

    private Runs() {
    }

    /** Writes the run folder whole, replacing any earlier one at once (see {@link AtomicFiles#replaceFolder}). */
    public static void save(Path dir, ComputationGraph model, RunInfo info, Metrics metrics, List<Trainer.History> history)
            throws IOException {
        AtomicFiles.replaceFolder(dir, tmp -> writeInto(tmp, model, info, metrics, history));
    }

    /** The run's files in a folder that exists. */
    public static void writeInto(Path dir, ComputationGraph model, RunInfo info, Metrics metrics,
                                 List<Trainer.History> history) throws IOException {
        AtomicFiles.write(dir.resolve("model.zip"), tmp -> ModelSerializer.writeModel(model, tmp.toFile(), false));
        writeJson(dir.resolve("run.json"), info);
        writeJson(dir.resolve("history.json"), history);
        writeCurves(dir.resolve("curves.png"), history);
        writeReports(dir, metrics);
    }

    /** A measurement's files in a folder that exists: {@code metrics.json} and {@code confusion.png}. */
    public static void writeReports(Path dir, Metrics metrics) throws IOException {
        writeJson(dir.resolve("metrics.json"), metrics);
        writeConfusion(dir.resolve("confusion.png"), metrics);
    }

    /**
     * Refuses, before any work, an output that would lose something: a path that is a file, or a folder that
     * already has files unless {@code overwrite}.
     *
     * @throws IllegalArgumentException naming the path and what to do
     */
    public static void checkOutput(Path dir, boolean overwrite) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a file, not a folder: name a folder for the run");
        }
        if (Files.isDirectory(dir) && !overwrite) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + dir + " already holds files (an earlier run?); give"
                            + " another folder, or --overwrite to replace it once the new run is complete");
                }
            }
        }
    }

    /**
     * The folder where a run's training keeps its checkpoint ({@code OUT.training} beside {@code OUT}), after
     * {@link #checkOutput}: an interrupted run there is continued only when asked, never silently restarted.
     *
     * @throws IllegalArgumentException when the output would lose something, or an interrupted run is there and
     *                                  {@code resume} is not given
     */
    public static Path trainingFolder(Path out, boolean overwrite, boolean resume) throws IOException {
        checkOutput(out, overwrite);
        Path work = out.resolveSibling(out.getFileName() + ".training");
        if (Files.isDirectory(work) && !resume) {
            throw new IllegalArgumentException(work + " holds an interrupted training run: add --resume to continue"
                    + " it, or delete it to start again");
        }
        return work;
    }

    /** @throws IOException naming the folder and the missing file when it is not a run folder */
    public static Loaded load(Path dir) throws IOException {
        Path model = dir.resolve("model.zip");
        Path info = dir.resolve("run.json");
        if (!Files.isRegularFile(model) || !Files.isRegularFile(info)) {
            throw new IOException(dir + " is not a run folder (it needs model.zip and run.json, as written by"
                    + " 'cnnzoo transfer --out')");
        }
        return new Loaded(dir, ModelSerializer.restoreComputationGraph(model.toFile(), false),
                JSON.readValue(info.toFile(), RunInfo.class));
    }

    static void writeJson(Path file, Object value) throws IOException {
        AtomicFiles.write(file, tmp -> JSON.writeValue(tmp.toFile(), value));
    }

    /** Training and validation loss, and validation accuracy, per epoch of each phase (epochs numbered on). */
    static void writeCurves(Path png, List<Trainer.History> history) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Learning curves")
                .xAxisTitle("epoch").yAxisTitle("loss / accuracy").build();
        int offset = 0;
        for (Trainer.History h : history) {
            List<Integer> x = new ArrayList<>();
            List<Double> train = new ArrayList<>();
            List<Double> valLoss = new ArrayList<>();
            List<Double> valAcc = new ArrayList<>();
            for (Trainer.Epoch e : h.epochs()) {
                x.add(offset + e.epoch());
                train.add(e.trainLoss());
                valLoss.add(e.validationLoss());
                valAcc.add(e.validationAccuracy());
            }
            chart.addSeries(h.phase() + " training loss", x, train).setMarker(SeriesMarkers.NONE);
            if (valLoss.stream().anyMatch(Double::isFinite)) {
                chart.addSeries(h.phase() + " validation loss", x, valLoss).setMarker(SeriesMarkers.NONE);
                chart.addSeries(h.phase() + " validation accuracy", x, valAcc).setMarker(SeriesMarkers.NONE);
            }
            offset += h.epochs().size();
        }
        savePng(png, chart);
    }

    /** XChart appends ".png" to file names it is given, so the picture is streamed into the temporary file. */
    private static void savePng(Path png, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) throws IOException {
        AtomicFiles.write(png, tmp -> {
            try (java.io.OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }

    static void writeConfusion(Path png, Metrics metrics) throws IOException {
        List<String> names = metrics.classes().stream().map(Metrics.PerClass::name).toList();
        int n = names.size();
        HeatMapChart chart = new HeatMapChartBuilder().width(Math.max(500, 70 * n + 250)).height(Math.max(450, 60 * n + 200))
                .title(String.format("Confusion matrix (accuracy %.3f)", metrics.accuracy())).build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setXAxisTitleVisible(true);
        chart.getStyler().setYAxisTitleVisible(true);
        chart.setXAxisTitle("predicted");
        chart.setYAxisTitle("true");
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                cells.add(new Number[]{p, n - 1 - t, metrics.confusion()[t][p]});
            }
        }
        List<String> reversed = new ArrayList<>(names);
        java.util.Collections.reverse(reversed);
        chart.addSeries("count", names, reversed, cells);
        savePng(png, chart);
    }
}
