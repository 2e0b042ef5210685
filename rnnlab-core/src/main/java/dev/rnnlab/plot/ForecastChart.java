package dev.rnnlab.plot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * D2L 8.1's figures: a series against time with predictions laid over it (the data, one-step-ahead
 * predictions and predictions fed back from the end of training; or the k-step-ahead predictions for
 * several k). Time runs 1..n, as in D2L's x_t; NaN points (no prediction there) are left out.
 */
public final class ForecastChart {
    private ForecastChart() {}

    /** One line: a label and a value per time step (NaN where there is none). */
    public record Line(String label, double[] values) {}

    /** Writes the chart of {@code lines} to {@code out}, an SVG or PNG file by its extension. */
    public static void write(Path out, String title, List<Line> lines) {
        ChartFiles.isSvg(out);
        XYChart chart = ChartFiles.newChart(title, "time t", "x");
        int color = 0;
        for (Line line : lines) {
            int n = 0;
            double[] t = new double[line.values().length], y = new double[line.values().length];
            for (int i = 0; i < line.values().length; i++) {
                if (Double.isFinite(line.values()[i])) {
                    t[n] = i + 1;
                    y[n++] = line.values()[i];
                }
            }
            if (n == 0) continue;
            XYSeries s = chart.addSeries(line.label(), Arrays.copyOf(t, n), Arrays.copyOf(y, n));
            s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            s.setLineColor(ChartFiles.COLORS[color++ % ChartFiles.COLORS.length]);
            s.setLineWidth(color == 1 ? 1f : 2f);
        }
        ChartFiles.save(chart, out);
    }
}
