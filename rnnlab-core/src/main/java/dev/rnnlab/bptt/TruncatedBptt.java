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

    // history of the current streams, time-major: the last histLen steps' input tokens, and the state
    // before each of them (histStates[i] is the state before history step i; histStates[histLen] = now)
    private int[] histTokens = new int[0];
    private RecurrentState[] histStates = new RecurrentState[0];
    private int histLen, batch = -1;
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
        if (fresh || n != batch) reset(model, state, n);
        double lossSum = 0;
        for (int c0 = 0; c0 < steps; c0 += k1) {
            int chunk = Math.min(k1, steps - c0);
            int back = Math.min(histLen, k2 - chunk);  // history steps replayed before the chunk
            int window = back + chunk;
            if (x.length < window * n) {
                x = new int[window * n];
                y = new int[window * n];
            }
            int h0 = histLen - back;
            System.arraycopy(histTokens, h0 * n, x, 0, back * n);
            Arrays.fill(y, 0, back * n, LanguageModel.IGNORE);
            System.arraycopy(b.inputs(), c0 * n, x, back * n, chunk * n);
            System.arraycopy(b.targets(), c0 * n, y, back * n, chunk * n);
            double loss = model.forward(x, y, window, n, histStates[h0]);
            if (!Double.isFinite(loss)) return loss;
            model.backward(null, null, null, (float) chunk / steps);
            lossSum += loss * chunk;
            // keep the last `capacity` steps (replayed history and this chunk) and the states before them
            int keep = Math.min(capacity, histLen + chunk);
            int[] tokens = new int[keep * n];
            RecurrentState[] states = new RecurrentState[keep + 1];
            for (int i = 0; i < keep; i++) {
                int fromEnd = keep - i;            // steps before the window's end
                int windowStep = window - fromEnd;  // index in this window, or < 0 for older history
                if (windowStep >= 0) {
                    System.arraycopy(x, windowStep * n, tokens, i * n, n);
                    states[i] = stateBefore(model, windowStep, h0, n);
                } else {  // older than the window: still in the old history, at histLen + chunk - fromEnd
                    System.arraycopy(histTokens, (histLen - (fromEnd - chunk)) * n, tokens, i * n, n);
                    states[i] = histStates[histLen - (fromEnd - chunk)];
                }
            }
            RecurrentState now = model.zeroState(n);
            model.finalState(now);
            states[keep] = now;
            histTokens = tokens;
            histStates = states;
            histLen = keep;
        }
        state.copyFrom(histStates[histLen]);
        return lossSum / steps;
    }

    /** The state before step {@code windowStep} of the last forward, which started at history step h0. */
    private RecurrentState stateBefore(LanguageModel model, int windowStep, int h0, int n) {
        if (windowStep == 0) return histStates[h0];
        RecurrentState s = model.zeroState(n);
        model.stateAt(windowStep - 1, s);
        return s;
    }

    private void reset(LanguageModel model, RecurrentState state, int n) {
        batch = n;
        histLen = 0;
        histTokens = new int[0];
        RecurrentState start = model.zeroState(n);
        start.copyFrom(state);
        histStates = new RecurrentState[] {start};
        fresh = false;
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
