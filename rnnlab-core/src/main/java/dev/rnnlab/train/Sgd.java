package dev.rnnlab.train;

import dev.rnnlab.nn.Parameters;
import java.util.Map;

/**
 * Stochastic gradient descent. With momentum 0 and no weight decay it is D2L's {@code sgd} with
 * batch_size 1 after a mean loss: w &lt;- w - lr g. With momentum mu: v &lt;- mu v + g, w &lt;- w - lr v
 * (PyTorch's form). Weight decay adds lambda w to the gradient (L2).
 */
public final class Sgd implements Optimizer {
    private final double momentum, weightDecay;
    private final float[] velocity;
    private long steps;

    /** SGD over {@code size} parameters with {@code momentum} in [0, 1) and L2 {@code weightDecay} of 0 or more. */
    public Sgd(int size, double momentum, double weightDecay) {
        if (momentum < 0 || momentum >= 1) throw new dev.rnnlab.RnnlabException("momentum must be in [0, 1), got " + momentum);
        if (weightDecay < 0) throw new dev.rnnlab.RnnlabException("weight decay must be >= 0, got " + weightDecay);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.velocity = momentum > 0 ? new float[size] : new float[0];
    }

    @Override
    public void step(Parameters params, double lr) {
        float[] w = params.values(), g = params.grads();
        float rate = (float) lr, wd = (float) weightDecay, mu = (float) momentum;
        if (mu == 0f) {
            for (int i = 0; i < w.length; i++) w[i] -= rate * (g[i] + wd * w[i]);
        } else {
            for (int i = 0; i < w.length; i++) {
                float v = mu * velocity[i] + g[i] + wd * w[i];
                velocity[i] = v;
                w[i] -= rate * v;
            }
        }
        steps++;
    }

    @Override
    public Map<String, float[]> state() {
        return momentum > 0 ? Map.of("velocity", velocity) : Map.of();
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void restore(Map<String, float[]> state, long steps) {
        if (momentum > 0) Adam.copyInto("velocity", state, velocity);
        this.steps = steps;
    }

    @Override
    public String describe() {
        return momentum > 0 ? "sgd(momentum=" + momentum + ", wd=" + weightDecay + ")" : "sgd(wd=" + weightDecay + ")";
    }
}
