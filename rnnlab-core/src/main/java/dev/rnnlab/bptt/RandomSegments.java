package dev.rnnlab.bptt;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.Batch;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;

/**
 * The first row of D2L's figure 8.7.1: the text cut into segments of random length (uniform in
 * [min, max]), each backpropagated fully, the state carried from one to the next with its gradient cut.
 * Each segment's gradient is weighted by its share of the batch's tokens, so the sum is the gradient of
 * the batch's mean loss under these cuts.
 */
public final class RandomSegments implements BpttStrategy {
    private final int min, max;
    private int[] x = new int[0], y = new int[0];

    /** Segments of a length drawn uniformly from [{@code min}, {@code max}] steps. */
    public RandomSegments(int min, int max) {
        if (min < 1 || max < min) throw new RnnlabException("random segments need 1 <= MIN <= MAX, got " + min + ":" + max);
        this.min = min;
        this.max = max;
    }

    @Override
    public double computeGradients(LanguageModel model, Batch b, RecurrentState state, Rng rng) {
        int steps = b.steps(), n = b.batchSize();
        double lossSum = 0;
        for (int s0 = 0; s0 < steps; ) {
            int len = Math.min(steps - s0, min + rng.nextInt(max - min + 1));
            if (x.length < len * n) {
                x = new int[len * n];
                y = new int[len * n];
            }
            System.arraycopy(b.inputs(), s0 * n, x, 0, len * n);
            System.arraycopy(b.targets(), s0 * n, y, 0, len * n);
            double loss = model.forward(x, y, len, n, state);
            if (!Double.isFinite(loss)) return loss;
            model.backward(null, null, null, (float) len / steps);
            model.finalState(state);
            lossSum += loss * len;
            s0 += len;
        }
        return lossSum / steps;
    }

    @Override
    public long activationBytes(LanguageModel model, int steps, int batch) {
        return model.activationBytes(Math.min(steps, max), batch);
    }

    @Override
    public String describe() {
        return "random segments of " + min + ".." + max + " steps";
    }
}
