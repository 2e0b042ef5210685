package dev.rnnlab.nn;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Activations;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.tensor.Initializers;
import java.util.Arrays;

/**
 * D2L 8.5's "RNN from scratch", kept as its own small class to read against the book: parameters
 * W_xh [V,H], W_hh [H,H], b_h [H], W_hq [H,V], b_q [V]; one-hot input; for each step
 * <pre>
 *   H_t = tanh(X_t W_xh + H_{t-1} W_hh + b_h)      (8.4.5)
 *   O_t = H_t W_hq + b_q                           (8.4.6)
 * </pre>
 * and the backward written step by step (D2L 8.7.2), with no batching over time. It shares the GEMM and
 * activation kernels with the engine, and a test checks it against {@link RecurrentLanguageModel} with
 * the same weights. Training and generation accept it like any {@link LanguageModel}.
 */
public final class ScratchRnn implements LanguageModel {
    private final ModelConfig config;
    private final Gemm gemm;
    private final Parameters params = new Parameters();
    private final Parameters.Tensor wXh, wHh, bH, wHq, bQ;
    private final int vocab, hidden;

    private int steps, batch;
    private int[] inputs, targets;
    private float[] states = new float[0];  // H_0 .. H_T, [(T+1)][B][H]
    private float[] logits = new float[0];  // O_t for all t, [T][B][V]
    private float[] dLogits = new float[0];
    private float[] dHBuf = new float[0], dZBuf = new float[0];  // dL/dH_t and dL/dZ_t, [B][H]
    private float[] probe;

    /** D2L's scratch RNN over {@code vocab} tokens with {@code hidden} units; its parameters are zero until {@link #initD2l}. */
    public ScratchRnn(int vocab, int hidden, Gemm gemm) {
        this.config = ModelConfig.simple(CellType.RNN_TANH, vocab, hidden);
        this.vocab = vocab;
        this.hidden = hidden;
        this.gemm = gemm;
        wXh = params.add("W_xh", vocab, hidden);
        wHh = params.add("W_hh", hidden, hidden);
        bH = params.add("b_h", hidden);
        wHq = params.add("W_hq", hidden, vocab);
        bQ = params.add("b_q", vocab);
        params.allocate();
    }

    /** D2L's get_params: weights N(0, 0.01^2), biases zero. */
    public void initD2l(Rng rng) {
        float[] w = params.values();
        Arrays.fill(w, 0f);
        for (Parameters.Tensor t : new Parameters.Tensor[] {wXh, wHh, wHq}) Initializers.normal(w, t.offset(), t.size(), 0.01, rng);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public RecurrentState zeroState(int batch) {
        return RecurrentState.zeros(config, batch);
    }

    @Override
    public void setTraining(boolean training, Rng rng) {}  // no dropout in the scratch model

    @Override
    public double forward(int[] inputs, int[] targets, int steps, int batch, RecurrentState initial) {
        if (steps < 1 || batch < 1 || inputs.length < steps * batch || (targets != null && targets.length < steps * batch)) {
            throw new RnnlabException("scratch RNN: a batch of " + inputs.length + " tokens does not fit steps x batch = " + steps + " x " + batch);
        }
        for (int r = 0; r < steps * batch; r++)
            if (inputs[r] < 0 || inputs[r] >= vocab || (targets != null && (targets[r] < IGNORE || targets[r] >= vocab)))
                throw new RnnlabException("token index outside the scratch RNN's vocabulary of " + vocab + " at step " + r / batch);
        this.steps = steps;
        this.batch = batch;
        this.inputs = inputs;
        this.targets = targets;
        int H = hidden, V = vocab, bh = batch * H, rows = steps * batch;
        if (states.length < (steps + 1) * bh) states = new float[(steps + 1) * bh];
        if (logits.length < rows * V) logits = new float[rows * V];
        if (initial == null) Arrays.fill(states, 0, bh, 0f);
        else System.arraycopy(initial.h[0], 0, states, 0, bh);
        float[] w = params.values();
        for (int t = 0; t < steps; t++) {
            int prev = t * bh, cur = (t + 1) * bh;
            // Z = X_t W_xh (a one-hot row picks a row of W_xh) + b_h, then Z += H_{t-1} W_hh
            for (int b = 0; b < batch; b++) {
                int tok = inputs[t * batch + b];
                for (int j = 0; j < H; j++) states[cur + b * H + j] = w[wXh.offset() + tok * H + j] + w[bH.offset() + j];
            }
            gemm.gemm(false, false, batch, H, H, 1f, states, prev, H, w, wHh.offset(), H, 1f, states, cur, H);
            Activations.tanhInPlace(states, cur, bh);
            // O_t = H_t W_hq + b_q
            for (int b = 0; b < batch; b++) System.arraycopy(w, bQ.offset(), logits, (t * batch + b) * V, V);
            gemm.gemm(false, false, batch, V, H, 1f, states, cur, H, w, wHq.offset(), V, 1f, logits, t * batch * V, V);
        }
        if (targets == null) return Double.NaN;
        if (dLogits.length < rows * V) dLogits = new float[rows * V];
        int counted = SoftmaxCrossEntropy.counted(targets, rows);
        if (counted == 0) {
            Arrays.fill(dLogits, 0, rows * V, 0f);
            return 0;
        }
        return SoftmaxCrossEntropy.forward(logits, targets, rows, V, dLogits, counted) / counted;
    }

    @Override
    public void backward(RecurrentState gradInitial, RecurrentState gradFinal, float[] stepScale, float lossScale) {
        if (targets == null) throw new IllegalStateException("backward needs a forward with targets");
        if (lossScale != 1f) for (int i = 0, n = steps * batch * vocab; i < n; i++) dLogits[i] *= lossScale;
        int H = hidden, V = vocab, bh = batch * H;
        if (dHBuf.length < bh) {
            dHBuf = new float[bh];
            dZBuf = new float[bh];
        }
        float[] w = params.values(), g = params.grads(), dh = dHBuf, dz = dZBuf;
        if (gradFinal == null) Arrays.fill(dh, 0, bh, 0f);  // dL/dH_T from later steps
        else System.arraycopy(gradFinal.h[0], 0, dh, 0, bh);
        for (int t = steps - 1; t >= 0; t--) {
            int prev = t * bh, cur = (t + 1) * bh, o = t * batch * V;
            // output layer: dW_hq += H_t^T dO_t, db_q += sum dO_t, dH_t += dO_t W_hq^T
            gemm.gemm(true, false, H, V, batch, 1f, states, cur, H, dLogits, o, V, 1f, g, wHq.offset(), V);
            for (int r = 0; r < batch; r++) for (int j = 0; j < V; j++) g[bQ.offset() + j] += dLogits[o + r * V + j];
            gemm.gemm(false, true, batch, H, V, 1f, dLogits, o, V, w, wHq.offset(), V, 1f, dh, 0, H);
            // through tanh: dZ = dH_t * (1 - H_t^2)
            double sq = 0;
            for (int i = 0; i < bh; i++) {
                float v = states[cur + i];
                sq += dh[i] * dh[i];
                dz[i] = dh[i] * (1f - v * v);
            }
            if (probe != null && t < probe.length) probe[t] = (float) Math.sqrt(sq);
            // dW_xh[x_t] += dZ (one-hot rows), dW_hh += H_{t-1}^T dZ, db_h += sum dZ
            for (int b = 0; b < batch; b++) {
                int tok = inputs[t * batch + b];
                for (int j = 0; j < H; j++) g[wXh.offset() + tok * H + j] += dz[b * H + j];
            }
            gemm.gemm(true, false, H, H, batch, 1f, states, prev, H, dz, 0, H, 1f, g, wHh.offset(), H);
            RecurrentCell.addColumnSums(dz, batch, H, g, bH.offset());
            // dL/dH_{t-1} = dZ W_hh^T (D2L 8.7.14)
            gemm.gemm(false, true, batch, H, H, stepScale == null ? 1f : stepScale[t], dz, 0, H, w, wHh.offset(), H, 0f, dh, 0, H);
        }
        if (gradInitial != null) System.arraycopy(dh, 0, gradInitial.h[0], 0, bh);
    }

    @Override
    public void stateAt(int t, RecurrentState into) {
        System.arraycopy(states, (t + 1) * batch * hidden, into.h[0], 0, batch * hidden);
    }

    @Override
    public void probeGradientNorms(float[] perStep) {
        probe = perStep;
    }

    @Override
    public long activationBytes(int steps, int batch) {
        return 4L * steps * batch * (hidden + 2L * vocab);  // states, logits, their gradient
    }

    @Override
    public void finalState(RecurrentState into) {
        System.arraycopy(states, steps * batch * hidden, into.h[0], 0, batch * hidden);
    }

    @Override
    public float[] logits() {
        return logits;
    }
}
