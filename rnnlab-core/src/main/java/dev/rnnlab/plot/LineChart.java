package dev.rnnlab.plot;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Curves of y against x, optionally on a log y-axis; non-finite or (on a log axis) non-positive points are
 * left out. XChart labels a log axis only at powers of ten, so a log axis asked for over less than a
 * factor of 20 is drawn linear (and " (log)" dropped from its title) to keep its labels.
 */
public final class LineChart {
    private LineChart() {}

    /** One curve: a label and its points (x[i], y[i]). */
    public record Curve(String label, double[] x, double[] y) {}

    /** Writes the curves to {@code out}, SVG or PNG by its extension; {@code logY} asks for a log y-axis. */
    public static void write(Path out, String title, String xTitle, String yTitle, boolean logY, List<Curve> curves) {
        write(out, title, xTitle, yTitle, logY, false, curves);
    }

    /**
     * As above; with {@code fromZero} a linear y-axis starts at 0, so that a flat series of rates does not
     * look steep (a log axis is left as it is).
     */
    public static void write(Path out, String title, String xTitle, String yTitle, boolean logY, boolean fromZero,
                             List<Curve> curves) {
        ChartFiles.isSvg(out);
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (Curve c : curves) for (double v : c.y()) if (Double.isFinite(v) && v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        boolean log = logY && hi / lo >= 20;
        XYChart chart = ChartFiles.newChart(title, xTitle, log || !logY ? yTitle : yTitle.replace(" (log)", ""));
        chart.getStyler().setYAxisLogarithmic(log);
        if (fromZero && !log) chart.getStyler().setYAxisMin(0.0);
        int i = 0;
        for (Curve c : curves) {
            int n = 0;
            double[] x = new double[c.x().length], y = new double[c.x().length];
            for (int k = 0; k < c.x().length; k++) {
                double v = c.y()[k];
                if (Double.isFinite(v) && (!log || v > 0)) {
                    x[n] = c.x()[k];
                    y[n++] = v;
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
