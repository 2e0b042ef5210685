package dev.rnnlab.stats;

import dev.rnnlab.plot.ZipfChart;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables and fits {@code rnnlab stats} prints, and its Zipf figure: one writer for every way of
 * counting, so counts made on a cluster print exactly as those made on one machine.
 */
public final class StatsReport {
    private StatsReport() {}

    /** The top tables of each order, then the Zipf fits over ranks {@code from..to}. */
    public static void print(PrintWriter out, List<OrderStatistics> orders, int top, int from, int to) {
        List<String> fitLines = new ArrayList<>();
        for (OrderStatistics o : orders) {
            out.printf(Locale.ROOT, "%nTop %d %d-grams (%,d in all, %,d distinct)%n", top, o.n(), o.total(), o.distinct());
            out.printf(Locale.ROOT, "%6s %10s  %s%n", "rank", "count", "n-gram");
            int rank = 1;
            for (OrderStatistics.Top g : o.top()) out.printf(Locale.ROOT, "%6d %10d  %s%n", rank++, g.count(), show(g.tokens()));
            ZipfFit fit = o.zipf(from, to);
            fitLines.add(fit.isValid()
                    ? String.format(Locale.ROOT, "%3d %8.3f %8.4f   %d..%d", o.n(), fit.alpha(), fit.rSquared(), fit.fromRank(), fit.toRank())
                    : String.format(Locale.ROOT, "%3d %8s %8s   only %d distinct, too few for ranks %d..%d", o.n(), "-", "-",
                            o.distinct(), from, to));
        }
        out.printf(Locale.ROOT, "%nZipf fit, log frequency = c - alpha log rank (least squares over ranks %d..%d)%n", from, to);
        out.printf(Locale.ROOT, "%3s %8s %8s   %s%n", "n", "alpha", "R^2", "ranks");
        fitLines.forEach(out::println);
    }

    /** D2L 8.3.2's log-log frequency-vs-rank figure with the fitted lines (PNG or SVG by extension). */
    public static void writeChart(Path file, String title, List<OrderStatistics> orders, int from, int to) {
        List<ZipfChart.Curve> curves = new ArrayList<>();
        for (OrderStatistics o : orders) {
            ZipfFit fit = o.zipf(from, to);
            curves.add(new ZipfChart.Curve(o.n() + "-grams", o.frequenciesByRank(), fit.alpha(), fit.logIntercept(), fit.fromRank(),
                    fit.toRank()));
        }
        ZipfChart.write(file, title, curves);
    }

    /** The rank range of a Zipf fit, "FROM:TO" with 1 &lt;= FROM &lt; TO (the {@code --zipf-ranks} option). */
    public static int[] parseRanks(String text) {
        String[] parts = text.split(":");
        try {
            if (parts.length == 2) {
                int from = Integer.parseInt(parts[0].strip());
                int to = Integer.parseInt(parts[1].strip());
                if (from >= 1 && to > from) return new int[] {from, to};
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new dev.rnnlab.RnnlabException("cannot read --zipf-ranks '" + text + "': give FROM:TO with 1 <= FROM < TO, "
                + "e.g. 10:1000");
    }

    /** An n-gram as D2L prints it: the token itself, or a tuple; whitespace tokens made visible. */
    public static String show(List<String> ngram) {
        List<String> parts = new ArrayList<>();
        for (String t : ngram) parts.add(visible(t));
        return parts.size() == 1 ? parts.getFirst() : "(" + String.join(", ", parts) + ")";
    }

    private static String visible(String token) {
        return switch (token) {
            case " " -> "' '";
            case "\n" -> "'\\n'";
            case "\t" -> "'\\t'";
            case "\r" -> "'\\r'";
            default -> token;
        };
    }
}
