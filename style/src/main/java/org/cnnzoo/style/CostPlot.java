package org.cnnzoo.style;

import org.cnnzoo.common.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The three costs of a style transfer over its steps, as a PNG chart (logarithmic: they span decades). */
public final class CostPlot {
    private CostPlot() {
    }

    public static void write(Path png, List<StyleTransfer.Step> history, StyleOptions options) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title("Style transfer costs")
                .xAxisTitle("step").yAxisTitle("cost (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        List<Integer> steps = history.stream().map(StyleTransfer.Step::step).toList();
        chart.addSeries("J = " + options.alpha() + " J_content + " + options.beta() + " J_style"
                        + (options.variation() > 0 ? " + " + options.variation() + " TV" : ""), steps,
                history.stream().map(s -> positive(s.total())).toList()).setMarker(SeriesMarkers.NONE);
        chart.addSeries("J_content", steps, history.stream().map(s -> positive(s.content())).toList())
                .setMarker(SeriesMarkers.NONE);
        chart.addSeries("J_style", steps, history.stream().map(s -> positive(s.style())).toList())
                .setMarker(SeriesMarkers.NONE);
        AtomicFiles.write(png, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }

    // a logarithmic axis cannot show 0 (the content cost of the first step when starting from the content)
    private static double positive(double value) {
        return Math.max(value, 1e-12);
    }
}
