package dev.rnnlab.bptt;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.Batch;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;
import java.util.Arrays;

/**
 * tBPTT(k1, k2) (Williams and Peng 1990): every k1 steps, backpropagate the loss of those k1 steps over the
 * last k2 steps. The window of k2 steps reaches back into earlier chunks (and earlier batches of the same
 * streams): the strategy keeps the last k2 - k1 input tokens and the state before each of them, replays
 * them without loss to rebuild the activations, and stops the gradient at the window's start. k1 = k2 =
 * the batch length is D2L's "detach every batch".
 */
public class TruncatedBptt implements BpttStrategy {
    final int k1;
    int k2;
    private final int capacity;  // history steps kept: kMax - k1

    private StateHistory history;  // the current streams' recent past; null before the first batch
    private boolean fresh = true;
    private int[] x = new int[0], y = new int[0];

    /** tBPTT(k1, k2): every {@code k1} steps, backpropagate over the last {@code k2} steps. */
    public TruncatedBptt(int k1, int k2) {
        this(k1, k2, k2);
    }

    TruncatedBptt(int k1, int k2, int kMax) {
        if (k1 < 1 || k2 < k1) throw new RnnlabException("truncated BPTT needs 1 <= k1 <= k2, got k1 = " + k1 + ", k2 = " + k2);
        this.k1 = k1;
        this.k2 = k2;
        this.capacity = kMax - k1;
    }

    @Override
    public void startSequence() {
        fresh = true;
    }

    @Override
    public double computeGradients(LanguageModel model, Batch b, RecurrentState state, Rng rng) {
        int steps = b.steps(), n = b.batchSize();
        if (fresh || history == null || n != history.batch()) {
            history = new StateHistory(model, capacity, state);
            fresh = false;
        }
        double lossSum = 0;
        for (int c0 = 0; c0 < steps; c0 += k1) {
            int chunk = Math.min(k1, steps - c0);
            int length = history.length();
            int back = Math.min(length, k2 - chunk);  // history steps replayed before the chunk
            int window = back + chunk;
            if (x.length < window * n) {
                x = new int[window * n];
                y = new int[window * n];
            }
            int h0 = length - back;
            history.copyTokens(h0, x);
            Arrays.fill(y, 0, back * n, LanguageModel.IGNORE);
            System.arraycopy(b.inputs(), c0 * n, x, back * n, chunk * n);
            System.arraycopy(b.targets(), c0 * n, y, back * n, chunk * n);
            double loss = model.forward(x, y, window, n, history.state(h0));
            if (!Double.isFinite(loss)) return loss;
            model.backward(null, null, null, (float) chunk / steps);
            lossSum += loss * chunk;
            // the replayed steps' states, recomputed with the current weights, replace the stored ones
            for (int i = h0 + 1; i <= length; i++) model.stateAt(i - h0 - 1, history.state(i));
            // then the chunk's steps join the history, each after the state before it
            for (int j = 0; j < chunk; j++) {
                history.append(x, (back + j) * n);
                if (j + 1 < chunk) model.stateAt(back + j, history.state(history.length()));
            }
            model.finalState(history.state(history.length()));
        }
        state.copyFrom(history.state(history.length()));
        return lossSum / steps;
    }

    @Override
    public long activationBytes(LanguageModel model, int steps, int batch) {
        long states = capacity * model.config().stateBytes(batch);  // every direction's state, as FullBptt counts it
        return model.activationBytes(Math.min(steps, k1) + capacity, batch) + states;
    }

    /** The truncation length k2: how many steps back each backward reaches. */
    public int k2() {
        return k2;
    }

    @Override
    public String describe() {
        return k1 == k2 ? "truncated every " + k1 + " steps" : "tBPTT(k1 = " + k1 + ", k2 = " + k2 + ")";
    }
}
