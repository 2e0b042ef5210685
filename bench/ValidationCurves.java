import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.plot.LineChart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Validation loss against training time, one curve per run, in one chart:
 * java -cp target/rnnlab.jar bench/ValidationCurves.java OUT.png LABEL=FILE... where FILE is an rnnlab
 * run's metrics.jsonl (one point per epoch: its cumulative seconds of training and its validation loss) or
 * the last line of bench/peer_torch_awd.py (its "curve"; a peer result without one is its end point).
 */
public class ValidationCurves {
    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<LineChart.Curve> curves = new ArrayList<>();
        for (int a = 1; a < args.length; a++) {
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
            curves.add(new LineChart.Curve(label, x, y));
        }
        LineChart.write(Path.of(args[0]), "Tiny Shakespeare: validation loss against training time",
                "minutes of training", "validation loss (nats/char)", false, curves);
    }
}
