package dev.rnnlab.plot;

import java.nio.file.Path;
import java.util.List;

/** D2L 8.5's training curve: perplexity against epoch (or seconds), training and validation, log y-axis. */
public final class TrainingCurveChart {
    private TrainingCurveChart() {}

    /** One curve: label, x values (epochs or seconds) and perplexities; NaN points are left out. */
    public record Curve(String label, double[] x, double[] perplexity) {}

    /** Writes the perplexity curves to {@code out} (SVG or PNG by its extension) on a log y-axis. */
    public static void write(Path out, String title, String xTitle, List<Curve> curves) {
        LineChart.write(out, title, xTitle, "perplexity (log)", true,
                curves.stream().map(c -> new LineChart.Curve(c.label(), c.x(), c.perplexity())).toList());
    }
}
