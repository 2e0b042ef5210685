package dev.rnnlab.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * D2L 8.3.2's figure: frequency against rank on log-log axes, one curve per n-gram order, each with its
 * fitted Zipf line drawn dashed over the ranks it was fitted on.
 */
public final class ZipfChart {
    private static final int MAX_POINTS = 2000;

    /**
     * One curve: its label, frequencies by rank (most frequent first), and the fitted line as
     * frequency = exp(logIntercept) * rank^-alpha over [fromRank, toRank] (alpha NaN: no line).
     */
    public record Curve(String label, long[] frequenciesByRank, double alpha, double logIntercept, int fromRank,
            int toRank) {}

    private ZipfChart() {}

    /** Draws the curves and writes {@code out} as PNG or SVG, chosen by its extension. */
    public static void write(Path out, String title, List<Curve> curves) {
        ChartFiles.isSvg(out);
        XYChart chart = ChartFiles.newChart(title, "rank (log)", "frequency (log)");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisDecimalPattern("#,###");
        int i = 0;
        for (Curve c : curves) {
            if (c.frequenciesByRank().length == 0) continue;
            Color color = ChartFiles.COLORS[i++ % ChartFiles.COLORS.length];
            double[][] xy = logSpaced(c.frequenciesByRank());
            XYSeries s = chart.addSeries(c.label(), xy[0], xy[1]);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(color);
            s.setLineWidth(2f);
            if (!Double.isNaN(c.alpha()) && c.toRank() > c.fromRank()) {
                double[] rx = {c.fromRank(), c.toRank()};
                double[] ry = {Math.exp(c.logIntercept() - c.alpha() * Math.log(c.fromRank())),
                    Math.exp(c.logIntercept() - c.alpha() * Math.log(c.toRank()))};
                XYSeries fit = chart.addSeries(String.format(Locale.ROOT, "%s fit: alpha = %.2f", c.label(), c.alpha()),
                        rx, ry);
                fit.setMarker(SeriesMarkers.NONE);
                fit.setLineColor(color.darker());
                fit.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f));
            }
        }
        ChartFiles.save(chart, out);
    }

    /** Every rank up to 100, then about MAX_POINTS ranks spaced evenly in log rank, and the last one. */
    static double[][] logSpaced(long[] byRank) {
        int n = byRank.length;
        List<Integer> ranks = new ArrayList<>();
        for (int r = 1; r <= Math.min(n, 100); r++) ranks.add(r);
        if (n > 100) {
            double ratio = Math.log(n / 100.0);
            for (int k = 1; k <= MAX_POINTS; k++) {
                int r = (int) Math.round(100 * Math.exp(ratio * k / MAX_POINTS));
                if (r > ranks.getLast()) ranks.add(Math.min(r, n));
            }
            if (ranks.getLast() != n) ranks.add(n);
        }
        double[] x = new double[ranks.size()];
        double[] y = new double[ranks.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = ranks.get(i);
            y[i] = byRank[ranks.get(i) - 1];
        }
        return new double[][] {x, y};
    }
}
