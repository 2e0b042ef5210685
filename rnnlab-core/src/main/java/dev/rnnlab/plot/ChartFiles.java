package dev.rnnlab.plot;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.io.IoErrors;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** Where every chart is made and written: white 800x600 charts, saved as PNG or SVG by file extension. */
final class ChartFiles {
    private ChartFiles() {}

    // ten distinguishable colours, so a chart of up to ten curves never repeats one
    static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    /** Fails early, before any work, when {@code out} is not a .png or .svg name. */
    static boolean isSvg(Path out) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean svg = name.endsWith(".svg");
        if (!svg && !name.endsWith(".png")) {
            throw new RnnlabException("cannot write plot '" + out + "': use a .png or .svg file name");
        }
        return svg;
    }

    static XYChart newChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(800).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(0);
        return chart;
    }

    static void save(XYChart chart, Path out) {
        boolean svg = isSvg(out);
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) java.nio.file.Files.createDirectories(parent);
            if (svg) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, out.toString(), BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new RnnlabException("cannot write plot '" + out + "': " + IoErrors.describeWrite(out, e));
        }
    }
}
