package dev.rnnlab.train;

import dev.rnnlab.text.TokenSequence;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Spectra;
import dev.rnnlab.data.Batch;
import dev.rnnlab.io.JsonLines;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.Parameters;
import dev.rnnlab.plot.HeatmapChart;
import dev.rnnlab.plot.LineChart;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Vanishing and exploding gradients, watched during training (D2L 8.7). Before training and after every
 * epoch it measures, on a fixed probe batch (the corpus's first B x P tokens as B streams):
 * ||dL_T/dh_{T-k}|| for every distance k, where L_T is the loss of the last step alone; the spectral radius
 * and the largest singular value of layer 0's recurrent matrix (W_hh for an RNN, the candidate block W_hg
 * of an LSTM or W_hn of a GRU); and, from the epoch's batches, the gradient norm before and after clipping
 * and how often clipping fired. Writes {@code diagnostics.jsonl} as it goes and, at the end, a heat map
 * (epoch x distance: how many powers of ten the gradient lost after k steps), the spectral curve and the
 * gradient-norm curve.
 */
public final class GradientDiagnostics implements TrainingListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final Batch probe;
    private final double theta;
    private final List<double[]> heat = new ArrayList<>();
    private final List<double[]> spectral = new ArrayList<>();  // epoch, rho, sigma
    private final List<double[]> norms = new ArrayList<>();     // epoch, mean before, mean after, max before, clipped fraction
    private double afterSum;
    private int batches;

    /** Writes to {@code dir}, probing {@code batch} streams of {@code probeSteps} tokens, with clip threshold {@code theta}. */
    public GradientDiagnostics(Path dir, TokenSequence tokens, int batch, int probeSteps, double theta) {
        this.dir = dir;
        this.probe = probeBatch(tokens, batch, probeSteps);
        this.theta = theta;
    }

    /** The first batch x steps tokens of {@code tokens} as {@code batch} evenly spaced streams. */
    public static Batch probeBatch(int[] tokens, int batch, int steps) {
        return probeBatch(TokenSequence.of(tokens), batch, steps);
    }

    /** As {@link #probeBatch(int[], int, int)}, for tokens in memory or a mapped token file. */
    public static Batch probeBatch(TokenSequence tokens, int batch, int steps) {
        long n = tokens.length();
        if ((long) batch * steps + 1 > n) {
            throw new RnnlabException("a probe of " + steps + " steps x " + batch + " streams needs more than the corpus's " + n + " tokens");
        }
        int[] x = new int[steps * batch], y = new int[steps * batch], row = new int[steps + 1];
        long stride = (n - 1) / batch;
        for (int b = 0; b < batch; b++) {
            tokens.copyTo(b * stride, row, 0, steps + 1);
            for (int t = 0; t < steps; t++) {
                x[t * batch + b] = row[t];
                y[t * batch + b] = row[t + 1];
            }
        }
        return new Batch(steps, batch, x, y);
    }

    /** ||dL_T/dh_{T-k}|| for k = 0 .. steps-1, the loss taken at the last step only, from a zero state. */
    public static double[] perStepNorms(LanguageModel m, Batch b) {
        int steps = b.steps(), n = b.batchSize();
        int[] y = new int[steps * n];
        java.util.Arrays.fill(y, LanguageModel.IGNORE);
        System.arraycopy(b.targets(), (steps - 1) * n, y, (steps - 1) * n, n);
        float[] perStep = new float[steps];
        m.probeGradientNorms(perStep);
        m.forward(b.inputs(), y, steps, n, null);
        m.backward(null, null, null, 1f);
        m.probeGradientNorms(null);
        m.parameters().zeroGrads();
        double[] byDistance = new double[steps];
        for (int k = 0; k < steps; k++) byDistance[k] = perStep[steps - 1 - k];
        return byDistance;
    }

    /** Offset of the square recurrent block the spectra are taken of, and its size. */
    static int[] recurrentBlock(LanguageModel m) {
        Parameters p = m.parameters();
        int h = m.config().hidden();
        if (p.has("W_hh")) return new int[] {p.tensor("W_hh").offset(), h};
        Parameters.Tensor w = p.tensor("rnn.weight_hh_l0");
        CellType c = m.config().cell();
        int block = c == CellType.LSTM || c == CellType.LSTM_LN || c == CellType.GRU ? 2 : 0;  // g of (i,f,g,o); n of (r,z,n)
        return new int[] {w.offset() + block * h * h, h};
    }

    /** Every layer's (and direction's) recurrent block as {name, offset, size}, layer 0 first: the spectra watched. */
    static List<Object[]> recurrentBlocks(LanguageModel m) {
        Parameters p = m.parameters();
        int h = m.config().hidden();
        if (p.has("W_hh")) return List.<Object[]>of(new Object[] {"W_hh", p.tensor("W_hh").offset(), h});
        CellType c = m.config().cell();
        int block = c == CellType.LSTM || c == CellType.LSTM_LN || c == CellType.GRU ? 2 : 0;
        List<Object[]> blocks = new ArrayList<>();
        for (Parameters.Tensor t : p.tensors()) {
            if (t.name().startsWith("rnn.weight_hh_l")) blocks.add(new Object[] {t.name(), t.offset() + block * h * h, h});
        }
        return blocks;
    }

    @Override
    public void trainingStarted(Trainer t) {
        // a resumed run replays the epochs after its checkpoint; a new one measures epoch 0 again
        JsonLines.dropEpochsFrom(dir.resolve("diagnostics.jsonl"), t.epochsDone() == 0 ? 0 : t.epochsDone() + 1);
        if (t.epochsDone() == 0) measure(t.model(), 0);
    }

    @Override
    public void batchEnded(int batch, double loss, double gradNorm) {
        afterSum += theta > 0 ? Math.min(gradNorm, theta) : gradNorm;
        batches++;
    }

    @Override
    public void epochEnded(EpochMetrics m, Trainer t) {
        norms.add(new double[] {m.epoch(), m.gradNormMean(), afterSum / Math.max(1, batches), m.gradNormMax(), m.clippedFraction()});
        afterSum = 0;
        batches = 0;
        measure(t.model(), m.epoch());
    }

    private void measure(LanguageModel model, int epoch) {
        model.setTraining(false, null);
        double[] byDistance = perStepNorms(model, probe);
        int[] block = recurrentBlock(model);
        Rng rng = new Rng(epoch);
        double rho = Spectra.spectralRadius(model.parameters().values(), block[0], block[1], rng);
        double sigma = Spectra.largestSingularValue(model.parameters().values(), block[0], block[1], rng);
        double[] decades = new double[byDistance.length];  // how many powers of ten the gradient lost after k steps
        for (int k = 0; k < decades.length; k++) decades[k] = Math.log10(byDistance[0] / byDistance[k]);
        heat.add(decades);
        spectral.add(new double[] {epoch, rho, sigma});
        ObjectNode o = JSON.createObjectNode().put("epoch", epoch).put("spectral_radius", rho).put("largest_singular_value", sigma);
        var layers = o.putArray("layers");
        for (Object[] b : recurrentBlocks(model)) {
            int offset = (Integer) b[1], size = (Integer) b[2];
            boolean first = offset == block[0];
            Rng layerRng = new Rng(epoch);  // the same draws as layer 0's figures above, so those agree
            layers.addObject().put("name", (String) b[0])
                    .put("spectral_radius", first ? rho : Spectra.spectralRadius(model.parameters().values(), offset, size, layerRng))
                    .put("largest_singular_value", first ? sigma
                            : Spectra.largestSingularValue(model.parameters().values(), offset, size, layerRng));
        }
        var arr = o.putArray("grad_norm_by_distance");
        for (double v : byDistance) arr.add(v);
        if (!norms.isEmpty() && norms.getLast()[0] == epoch) {
            double[] n = norms.getLast();
            o.put("grad_norm_mean_before_clip", n[1]).put("grad_norm_mean_after_clip", n[2]).put("grad_norm_max", n[3]).put("clipped_fraction", n[4]);
        }
        JsonLines.append(dir.resolve("diagnostics.jsonl"), o);
    }

    @Override
    public void trainingEnded(Trainer t) {
        HeatmapChart.write(dir.resolve("grad-norm-heatmap.png"), "decades lost: log10(||dL_T/dh_T|| / ||dL_T/dh_{T-k}||)",
                "distance k (steps back)", "epoch (0 = before training)", heat.toArray(new double[0][]));
        int n = spectral.size();
        double[] e = new double[n], rho = new double[n], sigma = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = spectral.get(i)[0];
            rho[i] = spectral.get(i)[1];
            sigma[i] = spectral.get(i)[2];
        }
        LineChart.write(dir.resolve("spectral.png"), "recurrent matrix over training", "epoch", "value", false,
                List.of(new LineChart.Curve("spectral radius", e, rho), new LineChart.Curve("largest singular value", e, sigma)));
        int m = norms.size();
        double[] ep = new double[m], before = new double[m], after = new double[m], max = new double[m], clipped = new double[m];
        for (int i = 0; i < m; i++) {
            ep[i] = norms.get(i)[0];
            before[i] = norms.get(i)[1];
            after[i] = norms.get(i)[2];
            max[i] = norms.get(i)[3];
            clipped[i] = norms.get(i)[4];
        }
        LineChart.write(dir.resolve("grad-norm.png"), "gradient norm per epoch (mean over batches)", "epoch", "norm (log)", true,
                List.of(new LineChart.Curve("before clipping", ep, before), new LineChart.Curve("after clipping", ep, after),
                        new LineChart.Curve("max before clipping", ep, max), new LineChart.Curve("fraction clipped", ep, clipped)));
    }
}
