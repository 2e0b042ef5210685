package dev.rnnlab.plot;

import dev.rnnlab.io.IoErrors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * A heat map of {@code values[row][column]} (non-negative: XChart's colour legend misreads an all-negative
 * range), e.g. decades of gradient decay by epoch (rows, numbered from 0) and distance (columns).
 */
public final class HeatmapChart {
    private HeatmapChart() {}

    /** Writes the heat map of {@code values} to {@code out}, an SVG or PNG file by its extension. */
    public static void write(Path out, String title, String xTitle, String yTitle, double[][] values) {
        boolean svg = ChartFiles.isSvg(out);
        HeatMapChart chart = new HeatMapChartBuilder().width(900).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setShowValue(false);
        int rows = values.length, cols = rows == 0 ? 0 : values[0].length;
        List<Integer> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int i = 0; i < cols; i++) xs.add(i);
        for (int i = 0; i < rows; i++) ys.add(i);
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) if (Double.isFinite(values[r][c])) cells.add(new Number[] {c, r, values[r][c]});
        chart.addSeries("value", xs, ys, cells);
        try {
            java.nio.file.Path parent = out.toAbsolutePath().getParent();
            if (parent != null) java.nio.file.Files.createDirectories(parent);
            if (svg) {
                org.knowm.xchart.VectorGraphicsEncoder.saveVectorGraphic(chart, out.toString(),
                        org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                org.knowm.xchart.BitmapEncoder.saveBitmap(chart, out.toString(), org.knowm.xchart.BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (java.io.IOException e) {
            throw new dev.rnnlab.RnnlabException("cannot write plot '" + out + "': " + IoErrors.describeWrite(out, e));
        }
    }
}
