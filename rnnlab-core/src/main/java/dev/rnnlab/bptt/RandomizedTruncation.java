package dev.rnnlab.bptt;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.Batch;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;

/**
 * Randomized truncation (Tallec and Ollivier 2017; D2L 8.7.1.2): at each step t a variable xi_t with
 * P(xi_t = 0) = 1 - pi_t and xi_t = 1/pi_t otherwise multiplies the gradient passed from h_t to h_{t-1}.
 * The xi_t are drawn with the forward, so the truncation points are fixed before the backward. Because
 * E[xi_t] = 1 and the xi are independent, every product of them along a path back in time has expectation
 * 1 and the gradient estimate is unbiased (relative to the batch's full backward). A constant pi gives
 * geometric truncation lengths with mean 1/(1-pi); a schedule gives pi_t per step position.
 */
public final class RandomizedTruncation implements BpttStrategy {
    private final double[] pi;  // per step position; the last value holds for later steps
    private float[] scale = new float[0];

    /** Survival probability {@code pi[t]} at step position t; the last value holds for later steps. */
    public RandomizedTruncation(double... pi) {
        if (pi.length == 0) throw new RnnlabException("randomized truncation needs a survival probability pi");
        for (double p : pi) {
            if (!(p > 0 && p <= 1)) throw new RnnlabException("randomized truncation needs 0 < pi <= 1, got " + p);
        }
        this.pi = pi.clone();
    }

    static RandomizedTruncation parse(String text) {
        String[] parts = text.split(",");
        double[] pi = new double[parts.length];
        for (int i = 0; i < pi.length; i++) pi[i] = Double.parseDouble(parts[i]);
        return new RandomizedTruncation(pi);
    }

    double pi(int t) {
        return pi[Math.min(t, pi.length - 1)];
    }

    /** Draws xi_t for steps 1..T-1 (step 0's gradient is cut at the batch boundary anyway). */
    float[] drawScales(int steps, Rng rng) {
        if (scale.length < steps) scale = new float[steps];
        scale[0] = 1f;
        for (int t = 1; t < steps; t++) {
            double p = pi(t);
            scale[t] = rng.nextDouble() < p ? (float) (1 / p) : 0f;
        }
        return scale;
    }

    @Override
    public double computeGradients(LanguageModel model, Batch b, RecurrentState state, Rng rng) {
        float[] xi = drawScales(b.steps(), rng);
        double loss = model.forward(b.inputs(), b.targets(), b.steps(), b.batchSize(), state);
        if (!Double.isFinite(loss)) return loss;
        model.backward(null, null, xi, 1f);
        model.finalState(state);
        return loss;
    }

    @Override
    public String describe() {
        return pi.length == 1 ? "randomized truncation (pi = " + pi[0] + ", mean length " + String.format("%.1f", 1 / (1 - Math.min(pi[0], 0.999999))) + ")"
                : "randomized truncation (pi schedule of " + pi.length + " steps)";
    }
}
