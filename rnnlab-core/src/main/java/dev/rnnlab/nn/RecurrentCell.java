package dev.rnnlab.nn;

import dev.rnnlab.tensor.Gemm;
import java.util.Arrays;

/**
 * What the three cells share: their four parameter tensors (PyTorch's names and layout), the state and
 * gate buffers, the input projection before the time loop and the weight gradients after it. Each
 * subclass writes its own time loop, forward and backward side by side, against its equations.
 *
 * <p>One instance is one direction of one layer. States live in {@code h} (and {@code c} for the LSTM),
 * {@code (T+1)*B*H} floats: a forward-in-time cell keeps h_{t-1} at slot t and h_t at slot t+1, so its
 * initial state is slot 0; a reverse cell runs t = T-1 .. 0 and keeps h_t at slot t and its initial state
 * at slot T. Either way the previous states of all steps are one contiguous [T*B, H] block, and the
 * recurrent weight gradient is one GEMM over it.
 */
abstract class RecurrentCell {
    final CellType type;
    final int inputSize, hidden, gateCount;
    final boolean reverse;
    final Parameters params;
    final Parameters.Tensor wIh, wHh, bIh, bHh;
    final Gemm gemm;

    int steps, batch;  // shape of the cached forward
    float[] h = new float[0];        // states, (T+1)*B*H
    // [T][B][G*H]: the input projection x W_ih^T + bias until step t runs, then step t's gate activations
    // (what the backward reads); one buffer, so the forward writes each value once
    float[] gates = new float[0];
    float[] dGatePre = new float[0];   // dL/d(gate pre-activations), input side: [T][B][G*H]
    float[] dhCarry = new float[0];  // gradient flowing from a step to the state before it: [B][H]
    final float[] biasSum;           // b_ih + b_hh, or b_ih alone where the cell keeps b_hh apart

    float[] normProbe;  // when set, backward writes ||dL/dh_t|| over the batch for each step t

    // DropConnect on W_hh (weight drop): while set, the products read M . W_hh from a copy of its own
    private boolean dropping;
    private float[] whhMask = new float[0], whhDropped = new float[0], dWhh = new float[0];

    // the input of the cached forward: dense rows [T*B, inputSize], or token ids for one-hot
    float[] x;
    int xOff;
    int[] tokens;

    RecurrentCell(CellType type, String suffix, int inputSize, int hidden, boolean reverse, Parameters params, Gemm gemm) {
        this.type = type;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.gateCount = type.gates;
        this.reverse = reverse;
        this.params = params;
        this.gemm = gemm;
        int gh = gateCount * hidden;
        this.wIh = params.add("rnn.weight_ih_" + suffix, gh, inputSize);
        this.wHh = params.add("rnn.weight_hh_" + suffix, gh, hidden);
        this.bIh = params.add("rnn.bias_ih_" + suffix, gh);
        this.bHh = params.add("rnn.bias_hh_" + suffix, gh);
        this.biasSum = new float[gh];
    }

    /**
     * Sets the shape of the next forward and grows the buffers to hold it. Buffers never shrink, so every
     * batch of a run reuses the arrays the first one allocated.
     */
    final void shape(int steps, int batch) {
        this.steps = steps;
        this.batch = batch;
        int rows = steps * batch, gh = gateCount * hidden;
        if (gates.length < rows * gh) {
            gates = new float[rows * gh];
            dGatePre = new float[rows * gh];
        }
        if (h.length < (rows + batch) * hidden) h = new float[(rows + batch) * hidden];
        if (dhCarry.length < batch * hidden) dhCarry = new float[batch * hidden];
        growBuffers(rows, batch);
    }

    /** Grows the cell's own buffers for T*B rows and B streams. */
    abstract void growBuffers(int rows, int batch);

    /** Slot of the state before step t (h_{t-1} for a forward cell, h_{t+1} for a reverse one). */
    final int prevSlot(int t) {
        return reverse ? t + 1 : t;
    }

    /** Slot of the state after step t. */
    final int outSlot(int t) {
        return reverse ? t : t + 1;
    }

    /** Slot of the initial state. */
    final int initSlot() {
        return reverse ? steps : 0;
    }

    /** Time index of the s-th step processed. */
    final int timeAt(int s) {
        return reverse ? steps - 1 - s : s;
    }

    /**
     * gates[t, b, :] = x[t, b, :] W_ih^T + bias, for all T*B rows in one GEMM; with one-hot input the product
     * is a gather of W_ih's column for each token (D2L feeds one-hot vectors; the gather is the same
     * arithmetic without the zeros).
     */
    final void projectInput(float[] x, int xOff, int[] tokens, float[] bias) {
        this.x = x;
        this.xOff = xOff;
        this.tokens = tokens;
        float[] w = params.values();
        int rows = steps * batch, gh = gateCount * hidden;
        if (tokens != null) {
            int wOff = wIh.offset(), in = inputSize;
            for (int r = 0; r < rows; r++) {
                int tok = tokens[r], p = r * gh;
                for (int j = 0; j < gh; j++) gates[p + j] = w[wOff + j * in + tok] + bias[j];
            }
        } else {
            gemm.gemm(false, true, rows, gh, inputSize, 1f, x, xOff, inputSize, w, wIh.offset(), inputSize,
                    0f, gates, 0, gh);
            for (int r = 0; r < rows; r++) {
                int p = r * gh;
                for (int j = 0; j < gh; j++) gates[p + j] += bias[j];
            }
        }
    }

    /**
     * DropConnect for the next forward and its backward (Wan et al. 2013; AWD-LSTM's weight drop): a new
     * mask M over W_hh's entries, each 0 with probability p else 1/(1-p), and the products use W' = M . W_hh.
     * The backward then gives dL/dW_hh = M . dL/dW' (see {@link #accumulateWeightGradients}).
     */
    final void dropRecurrentWeights(float p, dev.rnnlab.Rng rng) {
        int n = wHh.size();
        if (whhMask.length < n) {
            whhMask = new float[n];
            whhDropped = new float[n];
            dWhh = new float[n];
        }
        LockedDropout.bernoulli(whhMask, n, p, rng);
        float[] w = params.values();
        for (int i = 0, o = wHh.offset(); i < n; i++) whhDropped[i] = w[o + i] * whhMask[i];
        dropping = true;
    }

    /** The products use W_hh itself again (evaluation, or training without weight drop). */
    final void keepRecurrentWeights() {
        dropping = false;
    }

    /** Where the recurrent products read W_hh: the dropped copy or the parameters. */
    private float[] recurrentWeights() {
        return dropping ? whhDropped : params.values();
    }

    private int recurrentOffset() {
        return dropping ? 0 : wHh.offset();
    }

    /** The two bias vectors summed, for cells where they always appear together. */
    final float[] sumOfBiases() {
        float[] w = params.values();
        for (int j = 0; j < biasSum.length; j++) biasSum[j] = w[bIh.offset() + j] + w[bHh.offset() + j];
        return biasSum;
    }

    /** Writes the initial state (or zeros) into its slot of {@code state}. */
    final void loadInitial(float[] state, float[] init) {
        int bh = batch * hidden, at = initSlot() * bh;
        if (init == null) Arrays.fill(state, at, at + bh, 0f);
        else System.arraycopy(init, 0, state, at, bh);
    }

    /**
     * After the time loop of the backward: dW_ih += dGatePre^T X (a scatter into W_ih's columns for one-hot
     * input), db_ih += column sums of dGatePre, and for the recurrent side dW_hh += dRec^T H_prev over all T*B
     * rows at once, db_hh += column sums of dRec. Under weight drop that product is dL/dW' and is added
     * as M . dL/dW' (the chain rule through W' = M . W_hh).
     */
    final void accumulateWeightGradients(float[] dRec) {
        float[] g = params.grads();
        int rows = steps * batch, gh = gateCount * hidden;
        if (tokens != null) {
            int off = wIh.offset(), in = inputSize;
            for (int r = 0; r < rows; r++) {
                int tok = tokens[r], p = r * gh;
                for (int j = 0; j < gh; j++) g[off + j * in + tok] += dGatePre[p + j];
            }
        } else {
            gemm.gemm(true, false, gh, inputSize, rows, 1f, dGatePre, 0, gh, x, xOff, inputSize, 1f, g, wIh.offset(), inputSize);
        }
        int firstPrev = (reverse ? 1 : 0) * batch * hidden;
        if (dropping) {
            gemm.gemm(true, false, gh, hidden, rows, 1f, dRec, 0, gh, h, firstPrev, hidden, 0f, dWhh, 0, hidden);
            for (int i = 0, o = wHh.offset(), n = wHh.size(); i < n; i++) g[o + i] += whhMask[i] * dWhh[i];
        } else {
            gemm.gemm(true, false, gh, hidden, rows, 1f, dRec, 0, gh, h, firstPrev, hidden, 1f, g, wHh.offset(), hidden);
        }
        addColumnSums(dGatePre, rows, gh, g, bIh.offset());
        addColumnSums(dRec, rows, gh, g, bHh.offset());
    }

    static void addColumnSums(float[] m, int rows, int cols, float[] into, int off) {
        for (int r = 0; r < rows; r++) {
            int p = r * cols;
            for (int j = 0; j < cols; j++) into[off + j] += m[p + j];
        }
    }

    /** dX += dGatePre W_ih, the gradient for the layer below (or the embedding). */
    final void accumulateInputGradient(float[] dx, int dxOff) {
        int gh = gateCount * hidden;
        gemm.gemm(false, false, steps * batch, inputSize, gh, 1f, dGatePre, 0, gh, params.values(), wIh.offset(), inputSize,
                1f, dx, dxOff, inputSize);
    }

    /** dhCarry = dRec_t W_hh (+ the direct term the cell put there before, when {@code beta} is 1). */
    final void recurrentGradient(float[] dRec, int t, float beta) {
        int gh = gateCount * hidden;
        gemm.gemm(false, false, batch, hidden, gh, 1f, dRec, t * batch * gh, gh, recurrentWeights(), recurrentOffset(), hidden,
                beta, dhCarry, 0, hidden);
    }

    /** Multiplies the first {@code n} entries of {@code v} by {@code s} (skipped when s is 1). */
    static void scale(float[] v, int n, float s) {
        if (s == 1f) return;
        for (int i = 0; i < n; i++) v[i] *= s;
    }

    /** pre_t += h_prev W_hh^T: the one per-step GEMM. */
    final void recurrentProduct(float[] into, int intoOff, int t) {
        int gh = gateCount * hidden;
        gemm.gemm(false, true, batch, gh, hidden, 1f, h, prevSlot(t) * batch * hidden, hidden,
                recurrentWeights(), recurrentOffset(), hidden, 1f, into, intoOff, gh);
    }

    /**
     * Runs the cell over T steps. {@code out} receives h_t at {@code out[outOff + (t*B + b)*outStride + j]}
     * (a bidirectional layer interleaves its two directions this way). Initial states may be null (zeros).
     */
    abstract void forward(float[] x, int xOff, int[] tokens, int steps, int batch, float[] h0, float[] c0,
                          float[] out, int outOff, int outStride);

    /**
     * Backpropagates through the cached forward. {@code dOut} is dL/dh_t from above (same layout as
     * {@code out}); {@code dhFinal}/{@code dcFinal} the gradient arriving at the final state (null = 0).
     * {@code stepScale[t]}, when given, multiplies the gradient passed from step t to the state before it
     * (0 truncates there). Accumulates parameter gradients; writes dL/dh0 (and dL/dc0) when non-null.
     */
    abstract void backward(float[] dOut, int dOutOff, int dOutStride, float[] dhFinal, float[] dcFinal,
                           float[] stepScale, float[] dh0, float[] dc0);

    /** Copies the state after step t of the cached forward (h, or c with {@code cellState}) into {@code into}. */
    void stateAfter(int t, float[] into, boolean cellState) {
        int bh = batch * hidden;
        System.arraycopy(cellState ? cellStates() : h, outSlot(t) * bh, into, 0, bh);
    }

    /** The cell-state buffer (same slots as h); LSTM only. */
    float[] cellStates() {
        throw new IllegalStateException(type + " has no cell state");
    }

    /** Records ||dL/dh_t|| when a probe is set. */
    final void probe(int t, double sumOfSquares) {
        if (normProbe != null && t < normProbe.length) normProbe[t] = (float) Math.sqrt(sumOfSquares);
    }

    /** Copies the final state h of the cached forward (c with {@code cellState}, LSTM only) into {@code into}. */
    void finalState(float[] into, boolean cellState) {
        if (cellState) throw new IllegalStateException(type + " has no cell state");
        int bh = batch * hidden;
        System.arraycopy(h, outSlot(timeAt(steps - 1)) * bh, into, 0, bh);
    }
}
