package dev.rnnlab.bptt;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.Batch;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adaptive truncation in the spirit of Aicher, Foti and Fox (2019): tBPTT(k1, K) where K is chosen during
 * training so that the estimated relative bias of the truncated gradient stays under a tolerance delta.
 *
 * <p>At the first batch of every epoch and then every {@code every} batches it measures how fast gradients
 * fade with distance: one forward over the
 * longest window it holds (up to KMAX steps), the loss of the last step only, and a backward that records
 * ||dL/dh_{T-k}|| for each distance k. A least-squares fit of log norm on k gives a geometric rate beta;
 * the gradient mass beyond K is then beta^K of the whole (the tail of a geometric series), so
 * K = ceil(log delta / log beta), clamped to [k1, KMAX] (KMAX when the norms do not decay).
 */
public final class AdaptiveTruncation extends TruncatedBptt {
    private final double tolerance;
    private final int kMax, every;
    private int batches;
    private final List<Integer> chosen = new ArrayList<>();
    private double lastBeta = Double.NaN;

    /** Keeps the estimated bias under {@code tolerance} with K in [k1, kMax], measuring it again every {@code every} batches. */
    public AdaptiveTruncation(double tolerance, int k1, int kMax, int every) {
        super(k1, k1, kMax);
        if (!(tolerance > 0 && tolerance < 1)) throw new RnnlabException("adaptive truncation needs a tolerance in (0, 1), got " + tolerance);
        this.tolerance = tolerance;
        this.kMax = kMax;
        this.every = every;
    }

    @Override
    public void startEpoch() {
        batches = 0;
    }

    @Override
    public double computeGradients(LanguageModel model, Batch b, RecurrentState state, Rng rng) {
        if (batches++ % every == 0) {
            RecurrentState start = model.zeroState(b.batchSize());
            start.copyFrom(state);
            k2 = chooseTruncation(model, b, start);
            chosen.add(k2);
            model.parameters().zeroGrads();  // the measurement's gradient is not the update's
        }
        return super.computeGradients(model, b, state, rng);
    }

    /** Measures the decay of per-step gradient norms over the batch and returns K. */
    int chooseTruncation(LanguageModel model, Batch b, RecurrentState start) {
        int steps = Math.min(b.steps(), kMax), n = b.batchSize();
        if (steps < 3) return k2;
        int[] y = new int[steps * n];
        Arrays.fill(y, LanguageModel.IGNORE);
        System.arraycopy(b.targets(), (steps - 1) * n, y, (steps - 1) * n, n);  // the last step's loss only
        float[] norms = new float[steps];
        model.probeGradientNorms(norms);
        model.forward(Arrays.copyOf(b.inputs(), steps * n), y, steps, n, start);
        model.backward(null, null, null, 1f);
        model.probeGradientNorms(null);
        // norms[t] = ||dL/dh_t||, distance k = steps - 1 - t
        double sk = 0, sy = 0, skk = 0, sky = 0;
        int m = 0;
        for (int t = steps - 2; t >= 0; t--) {
            if (!(norms[t] > 0)) continue;
            double k = steps - 1 - t, ly = Math.log(norms[t]);
            sk += k;
            sy += ly;
            skk += k * k;
            sky += k * ly;
            m++;
        }
        if (m < 2) return kMax;
        double slope = (m * sky - sk * sy) / (m * skk - sk * sk);
        lastBeta = Math.exp(slope);
        if (!(lastBeta < 1)) return kMax;
        int k = (int) Math.ceil(Math.log(tolerance) / Math.log(lastBeta));
        return Math.max(k1, Math.min(kMax, k));
    }

    /** The truncation lengths chosen so far, one per measurement. */
    public List<Integer> chosenLengths() {
        return List.copyOf(chosen);
    }

    /** The decay rate beta of the gradient norms at the last fit, or NaN before the first. */
    public double lastDecayRate() {
        return lastBeta;
    }

    @Override
    public String describe() {
        return "adaptive truncation (tolerance " + tolerance + ", k1 = " + k1 + ", K in [" + k1 + ", " + kMax + "], now " + k2 + ")";
    }
}
