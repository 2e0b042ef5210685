package dev.rnnlab.train;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.Parameters;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015, D2L 12.10): m &lt;- b1 m + (1-b1) g, v &lt;- b2 v + (1-b2) g^2,
 * w &lt;- w - lr m_hat / (sqrt(v_hat) + eps) with bias-corrected moments. Weight decay is L2 on the gradient
 * for Adam, or decoupled (w &lt;- w - lr lambda w, Loshchilov and Hutter 2019) for AdamW.
 */
public final class Adam implements Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final float[] m, v;
    private long steps;

    /** Adam over {@code size} parameters with moment decays {@code beta1}, {@code beta2}; {@code decoupled} makes it AdamW. */
    public Adam(int size, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        if (weightDecay < 0) throw new RnnlabException("weight decay must be >= 0, got " + weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        m = new float[size];
        v = new float[size];
    }

    @Override
    public void step(Parameters params, double lr) {
        steps++;
        float[] w = params.values(), g = params.grads();
        float b1 = (float) beta1, b2 = (float) beta2, e = (float) eps;
        // bias corrections folded into the step size
        float rate = (float) (lr * Math.sqrt(1 - Math.pow(beta2, steps)) / (1 - Math.pow(beta1, steps)));
        float epsHat = (float) (eps * Math.sqrt(1 - Math.pow(beta2, steps)));
        float l2 = decoupled ? 0f : (float) weightDecay, shrink = decoupled ? (float) (1 - lr * weightDecay) : 1f;
        for (int i = 0; i < w.length; i++) {
            float gi = g[i] + l2 * w[i];
            float mi = b1 * m[i] + (1 - b1) * gi;
            float vi = b2 * v[i] + (1 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] = shrink * w[i] - rate * mi / ((float) Math.sqrt(vi) + epsHat);
        }
    }

    @Override
    public Map<String, float[]> state() {
        return Map.of("m", m, "v", v);
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void restore(Map<String, float[]> state, long steps) {
        copyInto("m", state, m);
        copyInto("v", state, v);
        this.steps = steps;
    }

    static void copyInto(String name, Map<String, float[]> state, float[] into) {
        float[] from = state.get(name);
        if (from == null || from.length != into.length) {
            throw new RnnlabException("optimizer state '" + name + "' is " + (from == null ? "missing" : from.length + " values")
                    + " but the model has " + into.length + " parameters (checkpoint from another model or optimizer?)");
        }
        System.arraycopy(from, 0, into, 0, into.length);
    }

    @Override
    public String describe() {
        return (decoupled ? "adamw" : "adam") + "(b1=" + beta1 + ", b2=" + beta2 + ", wd=" + weightDecay + ")";
    }
}
