import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Validation loss against training time, one curve per run, in one chart:
 * java -cp target/rnnlab.jar bench/ValidationCurves.java OUT.png [--ymax Y] LABEL=FILE... where FILE is an
 * rnnlab run's metrics.jsonl (one point per epoch: its cumulative seconds of training and its validation
 * loss) or the last line of bench/peer_torch_awd.py (its "curve"; a peer result without one is its end
 * point). Labels "rnnlab ROW" and "PyTorch ROW" share ROW's colour, rnnlab solid and PyTorch dashed, so a
 * chart of many rows on both sides stays readable; --ymax cuts off the first minutes' high losses.
 */
public class ValidationCurves {
    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207), Color.BLACK, new Color(0, 0, 128)};

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !args[0].endsWith(".png")) {
            System.err.println("usage: ValidationCurves OUT.png [--ymax Y] LABEL=FILE...");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        XYChart chart = new XYChartBuilder().width(1100).height(700)
                .title("Tiny Shakespeare: validation loss against training time (rnnlab solid, PyTorch dashed)")
                .xAxisTitle("minutes of training").yAxisTitle("validation loss (nats/char)").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(5);
        Map<String, Color> colorOfRow = new LinkedHashMap<>();
        int first = 1;
        if (args.length > 2 && args[1].equals("--ymax")) {
            chart.getStyler().setYAxisMax(Double.parseDouble(args[2]));
            first = 3;
        }
        for (int a = first; a < args.length; a++) {
            int eq = args[a].indexOf('=');
            String label = args[a].substring(0, eq);
            Path file = Path.of(args[a].substring(eq + 1));
            List<double[]> points = new ArrayList<>();
            if (file.getFileName().toString().endsWith(".jsonl")) {
                double seconds = 0;
                for (String line : Files.readAllLines(file)) {
                    JsonNode e = json.readTree(line);
                    seconds += e.get("seconds").asDouble();
                    points.add(new double[] {seconds / 60, e.get("validation_loss").asDouble()});
                }
            } else {
                JsonNode peer = json.readTree(Files.readString(file)), curve = peer.get("curve");
                if (curve == null) {
                    // ../shared/bench/peer_torch.py (bench/tinyshakespeare.sh) reports its end only: one point
                    points.add(new double[] {peer.get("seconds").asDouble() / 60, peer.get("valid_nats").asDouble()});
                } else {
                    for (JsonNode p : curve) {
                        points.add(new double[] {p.get("seconds").asDouble() / 60, p.get("valid_nats").asDouble()});
                    }
                }
            }
            double[] x = points.stream().mapToDouble(p -> p[0]).toArray(), y = points.stream().mapToDouble(p -> p[1]).toArray();
            boolean peer = label.startsWith("PyTorch ");
            String row = label.replaceFirst("^(rnnlab|PyTorch) ", "");
            Color color = colorOfRow.computeIfAbsent(row, r -> COLORS[colorOfRow.size() % COLORS.length]);
            XYSeries s = chart.addSeries(label, x, y);
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(!peer ? SeriesMarkers.CIRCLE : x.length == 1 ? SeriesMarkers.DIAMOND : SeriesMarkers.NONE);
            s.setLineStyle(peer ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
        }
        BitmapEncoder.saveBitmap(chart, args[0], BitmapEncoder.BitmapFormat.PNG);
    }
}
