package org.cnnzoo.transfer.search;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.cnnzoo.common.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A search's results for people: a table, a CSV file and a picture of score against each varied parameter. */
public final class SearchReport {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int CHART_WIDTH = 420;
    private static final int CHART_HEIGHT = 320;
    private static final int COLUMNS = 3;

    private SearchReport() {
    }

    /** Every candidate in order, the best marked with '*'. */
    public static String table(SearchSpace space, List<Outcome> outcomes, int bestIndex, ValidationScore.Metric metric) {
        List<String> names = new ArrayList<>(space.dimensions().keySet());
        StringBuilder s = new StringBuilder(String.format("%4s ", "#"));
        for (String n : names) {
            s.append(String.format("%10s ", n));
        }
        s.append(String.format("%9s %9s %7s %8s  %s%n", "val acc", "val loss", "kept", "time", "status"));
        for (Outcome c : outcomes) {
            s.append(String.format(Locale.ROOT, "%3d%s ", c.index(), c.index() == bestIndex ? "*" : " "));
            for (String n : names) {
                s.append(String.format("%10s ", cell(c.values().get(n))));
            }
            if (c.ok()) {
                s.append(String.format(Locale.ROOT, "%9.4f %9.4f %7s %7.1fs  ok%n", c.validationAccuracy(),
                        c.validationLoss(), c.keptEpoch() + "/" + c.epochs(), c.seconds()));
            } else {
                s.append(String.format(Locale.ROOT, "%9s %9s %7s %7.1fs  failed: %s%n", "-", "-", "-", c.seconds(),
                        c.error()));
            }
        }
        s.append("score: validation ").append(metric.name().toLowerCase(Locale.ROOT))
                .append(" (ties: the other measure); kept: the epoch kept / epochs trained; * best");
        return s.toString();
    }

    private static String cell(Object v) {
        if (v instanceof Double d) {
            return d != 0 && (Math.abs(d) < 1e-2 || Math.abs(d) >= 1e4) ? String.format(Locale.ROOT, "%.3e", d)
                    : String.format(Locale.ROOT, "%.4f", d);
        }
        return String.valueOf(v);
    }

    public static void writeCsv(Path file, SearchSpace space, List<Outcome> outcomes) throws IOException {
        List<String> names = new ArrayList<>(space.dimensions().keySet());
        StringBuilder s = new StringBuilder("index," + String.join(",", names)
                + ",status,score,validation_accuracy,validation_loss,epochs_trained,kept_epoch,seconds,error\n");
        for (Outcome c : outcomes) {
            s.append(c.index());
            for (String n : names) {
                s.append(',').append(c.values().get(n));
            }
            s.append(',').append(c.status()).append(',').append(blank(c.score())).append(',')
                    .append(blank(c.validationAccuracy())).append(',').append(blank(c.validationLoss())).append(',')
                    .append(blank(c.epochs())).append(',').append(blank(c.keptEpoch())).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", c.seconds())).append(',')
                    .append(c.error() == null ? "" : '"' + c.error().replace("\"", "\"\"").replace('\n', ' ') + '"')
                    .append('\n');
        }
        AtomicFiles.write(file, tmp -> Files.writeString(tmp, s, StandardCharsets.UTF_8));
    }

    private static String blank(Object v) {
        return v == null ? "" : String.valueOf(v);
    }

    /**
     * One scatter chart per varied parameter (score of each finished candidate against its value; log axes for
     * log ranges, words numbered 0, 1, 2... in the axis title; the best in red), laid out in a grid in one PNG.
     */
    public static void writePlot(Path png, SearchSpace space, List<Outcome> outcomes, int bestIndex,
                                 ValidationScore.Metric metric) throws IOException {
        List<String> varied = space.varying();
        List<Outcome> ok = outcomes.stream().filter(Outcome::ok).toList();
        if (varied.isEmpty() || ok.isEmpty()) {
            Files.deleteIfExists(png);
            return;
        }
        List<BufferedImage> charts = new ArrayList<>();
        for (String name : varied) {
            charts.add(BitmapEncoder.getBufferedImage(chart(name, space.dimensions().get(name), ok, bestIndex, metric)));
        }
        int rows = (charts.size() + COLUMNS - 1) / COLUMNS;
        int cols = Math.min(COLUMNS, charts.size());
        BufferedImage grid = new BufferedImage(cols * CHART_WIDTH, rows * CHART_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(charts.get(i), (i % COLUMNS) * CHART_WIDTH, (i / COLUMNS) * CHART_HEIGHT, null);
        }
        g.dispose();
        AtomicFiles.write(png, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ImageIO.write(grid, "png", out);
            }
        });
    }

    private static XYChart chart(String name, Dimension d, List<Outcome> ok, int bestIndex, ValidationScore.Metric metric) {
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT).title(name)
                .xAxisTitle(name).yAxisTitle("validation " + metric.name().toLowerCase(Locale.ROOT)).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendVisible(false);
        List<Object> words = d instanceof Dimension.Choice c && c.values().get(0) instanceof String ? c.values() : null;
        if (d instanceof Dimension.Range r && r.log()) {
            chart.getStyler().setXAxisLogarithmic(true);
        }
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> bestX = new ArrayList<>();
        List<Double> bestY = new ArrayList<>();
        for (Outcome c : ok) {
            Object v = c.values().get(name);
            double at = words != null ? words.indexOf(v) : ((Number) v).doubleValue();
            (c.index() == bestIndex ? bestX : x).add(at);
            (c.index() == bestIndex ? bestY : y).add(c.score());
        }
        if (words != null) {
            // XChart's custom tick labels sit only at some data values (and fail on empty ones), so the words are
            // numbered in the axis title instead
            StringBuilder title = new StringBuilder(name + " (");
            for (int i = 0; i < words.size(); i++) {
                title.append(i == 0 ? "" : ", ").append(i).append(" = ").append(words.get(i));
            }
            chart.setXAxisTitle(title.append(")").toString());
            chart.getStyler().setXAxisMin(-0.5);
            chart.getStyler().setXAxisMax(words.size() - 0.5);
        }
        if (!x.isEmpty()) {
            chart.addSeries("candidates", x, y);
        }
        if (!bestX.isEmpty()) {
            chart.addSeries("best", bestX, bestY).setMarkerColor(Color.RED);
        }
        return chart;
    }
}
