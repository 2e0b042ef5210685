package dev.rnnlab.plot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** D2L 8.5's training curve: perplexity against epoch (or seconds), training and validation, log y-axis. */
public final class TrainingCurveChart {
    private TrainingCurveChart() {}

    /** One curve: label, x values (epochs or seconds) and perplexities; NaN points are left out. */
    public record Curve(String label, double[] x, double[] perplexity) {}

    public static void write(Path out, String title, String xTitle, List<Curve> curves) {
        ChartFiles.isSvg(out);
        XYChart chart = ChartFiles.newChart(title, xTitle, "perplexity (log)");
        chart.getStyler().setYAxisLogarithmic(true);
        int i = 0;
        for (Curve c : curves) {
            int n = 0;
            double[] x = new double[c.x().length], y = new double[c.x().length];
            for (int k = 0; k < c.x().length; k++) {
                if (Double.isFinite(c.perplexity()[k]) && c.perplexity()[k] > 0) {
                    x[n] = c.x()[k];
                    y[n++] = c.perplexity()[k];
                }
            }
            if (n == 0) continue;
            XYSeries s = chart.addSeries(c.label(), Arrays.copyOf(x, n), Arrays.copyOf(y, n));
            s.setMarker(n < 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setLineColor(ChartFiles.COLORS[i++ % ChartFiles.COLORS.length]);
            s.setLineWidth(2f);
        }
        ChartFiles.save(chart, out);
    }
}
