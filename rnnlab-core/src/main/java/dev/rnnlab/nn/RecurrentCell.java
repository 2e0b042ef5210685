package dev.rnnlab.nn;

import dev.rnnlab.tensor.Bf16;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.tensor.WorkerTeam;
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
    // the team that splits the time loop by hidden units, and the one-thread GEMM each part calls
    final WorkerTeam team;
    final Gemm serial;
    /** Fewer units per part than this and the loop runs on one thread (a vector's width on AVX-512). */
    static final int MIN_UNITS_PER_PART = 16;
    /**
     * Less recurrent product per part and step than this many multiply-adds and the loop runs on one thread:
     * measured on two cores (docs/BENCHMARKS.md), an LSTM-128 at batch 32 (1 M a part) ran 11% slower split,
     * an LSTM-256 and an RNN-512 (4 M) 45% and 63% faster.
     */
    static final long MIN_PART_STEP_WORK = 1L << 21;
    /**
     * The threshold {@link #splits} applies: {@link #MIN_PART_STEP_WORK}, lowered to 0 by the tests that must run
     * the split loop on models small enough to check quickly (TeamSplitTest, Bf16TrainingTest).
     */
    static volatile long minPartStepWork = MIN_PART_STEP_WORK;
    /** At batch 1, W_hh of fewer floats than this (2 MiB, a core's L2 here) runs on one thread. */
    static final long MIN_BATCH1_WEIGHTS = 1L << 19;

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

    // bf16 training (Gemm.Precision.BF16): the products with W_hh read it (or its dropped copy) rounded to
    // bf16 once per forward; each part rounds h_{t-1} for itself before its forward products, and its own
    // columns of dRec_t into a shared [T][B][G*H] copy before the backward's barrier, which the recurrent
    // weight gradient reads again after the loop, with the states rounded once more (all T*B rows); sums
    // and weights stay fp32
    private boolean bf16;
    private short[] whhBf16 = new short[0];
    private short[][] stateBf16 = new short[0][];  // per part: h_{t-1} [B][H] in the loop, then H_prev [T*B][H]
    private short[] dRecBf16 = new short[0];       // [T][B][G*H]

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
        this.team = gemm.team();
        this.serial = gemm.serial();
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
        if (bf16) growBf16Buffers(rows);
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
     * gates[t, b, :] = x[t, b, :] W_ih^T + bias for all T*B rows: for dense input one GEMM here, before the
     * time loop; with one-hot input the product is a gather of W_ih's column for each token (D2L feeds
     * one-hot vectors; the gather is the same arithmetic without the zeros), which each part does for its
     * own units in {@link #gatherInput}.
     */
    final void projectInput(float[] x, int xOff, int[] tokens, float[] bias) {
        this.x = x;
        this.xOff = xOff;
        this.tokens = tokens;
        if (tokens != null) return;
        float[] w = params.values();
        int rows = steps * batch, gh = gateCount * hidden;
        gemm.gemm(false, true, rows, gh, inputSize, 1f, x, xOff, inputSize, w, wIh.offset(), inputSize,
                0f, gates, 0, gh);
        for (int r = 0; r < rows; r++) {
            int p = r * gh;
            for (int j = 0; j < gh; j++) gates[p + j] += bias[j];
        }
    }

    /** The one-hot gather of {@link #projectInput} for units [j0, j1) of every gate (all units: one block). */
    final void gatherInput(float[] bias, int j0, int j1) {
        if (tokens == null) return;
        float[] w = params.values();
        int rows = steps * batch, gh = gateCount * hidden, wOff = wIh.offset(), in = inputSize;
        boolean whole = j0 == 0 && j1 == hidden;
        int blocks = whole ? 1 : gateCount, width = whole ? gh : j1 - j0;
        for (int r = 0; r < rows; r++) {
            int tok = tokens[r], p = r * gh;
            for (int k = 0; k < blocks; k++) {
                int from = whole ? 0 : k * hidden + j0;
                for (int j = from; j < from + width; j++) gates[p + j] = w[wOff + j * in + tok] + bias[j];
            }
        }
    }

    /**
     * How many parts split this cell's time loop: the team's size when every part gets at least
     * {@link #MIN_UNITS_PER_PART} hidden units and {@link #MIN_PART_STEP_WORK} of product per step, else 1.
     */
    final int parts() {
        return team != null && splits(type, hidden, batch, team.size()) ? team.size() : 1;
    }

    /** Whether a cell of this type and shape splits its time loop over a team of {@code parts} (never one whose rows must stay whole, {@link CellType#splitsByUnits}): see {@link #parts()}. */
    static boolean splits(CellType type, int hidden, int batch, int parts) {
        int units = hidden / parts, gateCount = type.gates;
        if (!type.splitsByUnits() || parts < 2 || units < MIN_UNITS_PER_PART) return false;
        // batch 1 (generation) streams W_hh from memory once per step: splitting pays when it is larger than
        // one core's cache holds, so that each core streams its own share
        if (batch == 1) return (long) gateCount * hidden * hidden >= MIN_BATCH1_WEIGHTS;
        return (long) batch * gateCount * units * hidden >= minPartStepWork;
    }

    /** Part {@code part}'s first hidden unit of {@code parts}. */
    final int unitStart(int part, int parts) {
        return WorkerTeam.start(part, parts, hidden);
    }

    /** A time loop over one part's hidden units, [unitStart(part, parts), unitStart(part + 1, parts)). */
    @FunctionalInterface
    interface PartLoop {
        void run(int part, int parts);
    }

    /**
     * Runs {@code loop} on the team, one part per share of the hidden units, or on this thread over all units
     * when the cell is not split or the team is busy (another model's task, e.g. a shard's).
     */
    final void runParts(PartLoop loop) {
        int parts = parts();
        // one step of one stream is shorter than waking a parked worker: split only while the team is awake
        if (parts > 1 && (batch * steps == 1 ? team.tryRunIfAwake(part -> loop.run(part, parts))
                : team.tryRun(part -> loop.run(part, parts)))) return;
        loop.run(0, 1);
    }

    /** Waits at the team's barrier when the loop runs split. */
    final void barrier(int part, int parts) {
        if (parts > 1) team.await(part);
    }

    /**
     * The backward's barrier before {@link #recurrentGradient}: in bf16 the part first rounds its own columns
     * (units j0..j1 of every gate) of dRec_t, so that after the barrier the whole of it is there, rounded once.
     */
    final void gradientBarrier(float[] dRec, int t, int part, int parts, int j0, int j1) {
        if (bf16) {
            int gh = gateCount * hidden;
            boolean whole = j0 == 0 && j1 == hidden;
            int blocks = whole ? 1 : gateCount, width = whole ? gh : j1 - j0;
            for (int b = 0; b < batch; b++) {
                int row = (t * batch + b) * gh;
                for (int k = 0; k < blocks; k++) {
                    int from = whole ? 0 : k * hidden + j0;
                    Bf16.round(dRec, row + from, width, dRecBf16, row + from);
                }
            }
        }
        barrier(part, parts);
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

    /**
     * Chooses the precision of the next forward's and backward's per-step products: bf16 in training when
     * the GEMM's precision is BF16 (W_hh, after any weight drop, rounded here once for all steps), else fp32.
     * Evaluation and generation always run fp32. Call after {@link #dropRecurrentWeights} or
     * {@link #keepRecurrentWeights}.
     */
    final void chooseProductPrecision(boolean training) {
        bf16 = training && serial.precision() == Gemm.Precision.BF16;
        if (!bf16) return;
        int n = wHh.size();
        if (whhBf16.length < n) whhBf16 = new short[n];
        Bf16.round(recurrentWeights(), recurrentOffset(), n, whhBf16, 0);
    }

    /** Grows the bf16 buffers for T*B rows (from {@link #shape}, once the forward's shape is known). */
    private void growBf16Buffers(int rows) {
        int parts = team == null ? 1 : team.size(), rh = rows * hidden, rg = rows * gateCount * hidden;
        if (stateBf16.length < parts) stateBf16 = Arrays.copyOf(stateBf16, parts);
        for (int p = 0; p < parts; p++) if (stateBf16[p] == null || stateBf16[p].length < rh) stateBf16[p] = new short[rh];
        if (dRecBf16.length < rg) dRecBf16 = new short[rg];
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
     * After the time loop of the backward, for the rows of units [j0, j1) of every gate: dW_ih += dGatePre^T X
     * (a scatter into W_ih's columns for one-hot input), db_ih += column sums of dGatePre, and for the
     * recurrent side dW_hh += dRec^T H_prev over all T*B rows at once, db_hh += column sums of dRec. Under
     * weight drop that product is dL/dW' and is added as M . dL/dW' (the chain rule through W' = M . W_hh).
     * Each part writes only its own rows, so the parts need no barrier here.
     */
    final void accumulateWeightGradients(float[] dRec, int part, int j0, int j1) {
        accumulateWeightGradients(dRec, part, j0, j1, true);
    }

    /**
     * As {@link #accumulateWeightGradients(float[], int, int, int)}, with the biases' column sums only when
     * {@code biasSums}: a cell whose biases act after a normalisation (LayerNormLstmCell) adds their
     * gradients itself.
     */
    final void accumulateWeightGradients(float[] dRec, int part, int j0, int j1, boolean biasSums) {
        float[] g = params.grads();
        int rows = steps * batch, gh = gateCount * hidden, H = hidden;
        boolean whole = j0 == 0 && j1 == hidden;
        int blocks = whole ? 1 : gateCount, width = whole ? gh : j1 - j0;
        int firstPrev = (reverse ? 1 : 0) * batch * hidden;
        // in bf16, dRec's rows are already rounded (gradientBarrier); the states are rounded here, by each part
        short[] hPrev = bf16 ? stateBf16[part] : null;
        if (bf16) Bf16.round(h, firstPrev, rows * H, hPrev, 0);
        for (int k = 0; k < blocks; k++) {
            int from = whole ? 0 : k * H + j0;  // the first gate row (a column of dGatePre) of this block
            if (tokens != null) {
                int off = wIh.offset(), in = inputSize;
                for (int r = 0; r < rows; r++) {
                    int tok = tokens[r], p = r * gh;
                    for (int j = from; j < from + width; j++) g[off + j * in + tok] += dGatePre[p + j];
                }
            } else {
                serial.gemm(true, false, width, inputSize, rows, 1f, dGatePre, from, gh, x, xOff, inputSize,
                        1f, g, wIh.offset() + from * inputSize, inputSize);
            }
            if (dropping) {
                if (bf16) serial.gemmBf16(true, false, width, H, rows, 1f, dRecBf16, from, gh, hPrev, 0, H, 0f, dWhh, from * H, H);
                else serial.gemm(true, false, width, H, rows, 1f, dRec, from, gh, h, firstPrev, H, 0f, dWhh, from * H, H);
                for (int i = from * H, o = wHh.offset(), end = (from + width) * H; i < end; i++) g[o + i] += whhMask[i] * dWhh[i];
            } else if (bf16) {
                serial.gemmBf16(true, false, width, H, rows, 1f, dRecBf16, from, gh, hPrev, 0, H, 1f, g, wHh.offset() + from * H, H);
            } else {
                serial.gemm(true, false, width, H, rows, 1f, dRec, from, gh, h, firstPrev, H, 1f, g, wHh.offset() + from * H, H);
            }
            if (biasSums) {
                addColumnSums(dGatePre, rows, gh, from, width, g, bIh.offset());
                addColumnSums(dRec, rows, gh, from, width, g, bHh.offset());
            }
        }
    }

    /** into[off + j] += sum over rows of m[r][j], for every column of a rows x cols matrix. */
    static void addColumnSums(float[] m, int rows, int cols, float[] into, int off) {
        addColumnSums(m, rows, cols, 0, cols, into, off);
    }

    /** into[off + j] += sum over rows of m[r][j], for columns [from, from + width) of a rows x cols matrix. */
    static void addColumnSums(float[] m, int rows, int cols, int from, int width, float[] into, int off) {
        for (int r = 0; r < rows; r++) {
            int p = r * cols;
            for (int j = from; j < from + width; j++) into[off + j] += m[p + j];
        }
    }

    /** dX += dGatePre W_ih, the gradient for the layer below (or the embedding). */
    final void accumulateInputGradient(float[] dx, int dxOff) {
        int gh = gateCount * hidden;
        gemm.gemm(false, false, steps * batch, inputSize, gh, 1f, dGatePre, 0, gh, params.values(), wIh.offset(), inputSize,
                1f, dx, dxOff, inputSize);
    }

    /**
     * dhCarry[:, j0:j1] = dRec_t W_hh[:, j0:j1] (+ the direct term the cell put there before, when {@code beta}
     * is 1): the units' columns need all of dRec_t, so the parts meet at the barrier before this.
     */
    final void recurrentGradient(float[] dRec, int t, float beta, int j0, int j1) {
        int gh = gateCount * hidden;
        if (bf16) {
            serial.gemmBf16(false, false, batch, j1 - j0, gh, 1f, dRecBf16, t * batch * gh, gh, whhBf16, j0, hidden,
                    beta, dhCarry, j0, hidden);
            return;
        }
        serial.gemm(false, false, batch, j1 - j0, gh, 1f, dRec, t * batch * gh, gh, recurrentWeights(), recurrentOffset() + j0, hidden,
                beta, dhCarry, j0, hidden);
    }

    /** Multiplies units [j0, j1) of every stream of the [B][H] block {@code v} by {@code s} (skipped when s is 1). */
    final void scale(float[] v, float s, int j0, int j1) {
        if (s == 1f) return;
        for (int b = 0; b < batch; b++) for (int i = b * hidden + j0, end = b * hidden + j1; i < end; i++) v[i] *= s;
    }

    /**
     * pre_t[:, units j0..j1 of every gate] += h_prev W_hh^T: the one per-step GEMM, one call over all gates
     * when the cell is not split, one per gate block of the part's units when it is.
     */
    final void recurrentProduct(float[] into, int intoOff, int t, int part, int j0, int j1) {
        int gh = gateCount * hidden, H = hidden;
        boolean whole = j0 == 0 && j1 == hidden;
        int blocks = whole ? 1 : gateCount, width = whole ? gh : j1 - j0;
        if (bf16) Bf16.round(h, prevSlot(t) * batch * H, batch * H, stateBf16[part], 0);
        for (int k = 0; k < blocks; k++) {
            int from = whole ? 0 : k * H + j0;
            if (bf16) {
                serial.gemmBf16(false, true, batch, width, H, 1f, stateBf16[part], 0, H,
                        whhBf16, from * H, H, 1f, into, intoOff + from, gh);
                continue;
            }
            serial.gemm(false, true, batch, width, H, 1f, h, prevSlot(t) * batch * H, H,
                    recurrentWeights(), recurrentOffset() + from * H, H, 1f, into, intoOff + from, gh);
        }
    }

    /** Sums of squares of dL/dh_t per part and step, added up in part order for the probe after the loop. */
    private double[] probeSquares = new double[0];

    /** Records part {@code part}'s sum of squares of dL/dh_t at step t (when a probe is set). */
    final void probePart(int part, int t, double sumOfSquares) {
        if (normProbe != null) probeSquares[part * steps + t] = sumOfSquares;
    }

    /** Clears the per-part sums before a backward. */
    final void probeBegin() {
        if (normProbe == null) return;
        int n = Math.max(1, parts()) * steps;
        if (probeSquares.length < n) probeSquares = new double[n];
        Arrays.fill(probeSquares, 0, n, 0);
    }

    /** Writes ||dL/dh_t|| for every step from the parts' sums. */
    final void probeEnd() {
        if (normProbe == null) return;
        for (int t = 0; t < steps; t++) {
            double sq = 0;
            for (int p = 0, n = parts(); p < n; p++) sq += probeSquares[p * steps + t];
            probe(t, sq);
        }
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
    final void finalState(float[] into, boolean cellState) {
        int bh = batch * hidden;
        System.arraycopy(cellState ? cellStates() : h, outSlot(timeAt(steps - 1)) * bh, into, 0, bh);
    }
}
