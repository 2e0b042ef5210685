package dev.rnnlab.nn;

import dev.rnnlab.tensor.Activations;
import dev.rnnlab.tensor.Gemm;
import java.util.Arrays;

/**
 * One direction of an LSTM layer, PyTorch's equations (D2L 9.2.1, gates in the order i, f, g, o):
 * <pre>
 *   i = sigma(W_ii x + b_ii + W_hi h + b_hi)     f = sigma(W_if x + b_if + W_hf h + b_hf)
 *   g = tanh (W_ig x + b_ig + W_hg h + b_hg)     o = sigma(W_io x + b_io + W_ho h + b_ho)
 *   c' = f * c + i * g                           h' = o * tanh(c')
 * </pre>
 * Forward caches the four gate activations (in {@code pre}, over the pre-activations), every c_t and
 * tanh(c_t); the backward needs nothing else.
 */
final class LstmCell extends RecurrentCell {
    private float[] c = new float[0];        // cell states, same slots as h: (T+1)*B*H
    private float[] tanhC = new float[0];    // tanh(c_t): [T][B][H]
    private float[] dcCarry = new float[0];  // dL/dc flowing to the previous step: [B][H]

    LstmCell(String suffix, int inputSize, int hidden, boolean reverse, Parameters params, Gemm gemm) {
        super(CellType.LSTM, suffix, inputSize, hidden, reverse, params, gemm);
    }

    @Override
    void growBuffers(int rows, int batch) {
        if (c.length < (rows + batch) * hidden) c = new float[(rows + batch) * hidden];
        if (tanhC.length < rows * hidden) tanhC = new float[rows * hidden];
        if (dcCarry.length < batch * hidden) dcCarry = new float[batch * hidden];
    }

    // x: [T][B][I] or tokens [T][B]; out: h_t at out[outOff + (t*B + b)*outStride + j]
    @Override
    void forward(float[] x, int xOff, int[] tokens, int steps, int batch, float[] h0, float[] c0,
                 float[] out, int outOff, int outStride) {
        shape(steps, batch);
        projectInput(x, xOff, tokens, sumOfBiases());
        loadInitial(h, h0);
        loadInitial(c, c0);
        int H = hidden, G = 4 * H, bh = batch * H;
        for (int s = 0; s < steps; s++) {
            int t = timeAt(s), p0 = t * batch * G;
            recurrentProduct(pre, p0, t);
            int prev = prevSlot(t) * bh, next = outSlot(t) * bh;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * G, hb = b * H, o0 = outOff + (t * batch + b) * outStride, tc = t * bh + hb;
                // the gates, each block in one plain loop the JIT vectorises (Activations)
                Activations.sigmoidInPlace(pre, p, 2 * H);      // i, f
                Activations.tanhInPlace(pre, p + 2 * H, H);     // g
                Activations.sigmoidInPlace(pre, p + 3 * H, H);  // o
                for (int j = 0; j < H; j++) {
                    c[next + hb + j] = pre[p + H + j] * c[prev + hb + j] + pre[p + j] * pre[p + 2 * H + j];  // c = f c + i g
                }
                Activations.tanhInto(c, next + hb, tanhC, tc, H);
                for (int j = 0; j < H; j++) {
                    float hNew = pre[p + 3 * H + j] * tanhC[tc + j];  // h = o tanh(c)
                    h[next + hb + j] = hNew;
                    out[o0 + j] = hNew;
                }
            }
        }
    }

    @Override
    void backward(float[] dOut, int dOutOff, int dOutStride, float[] dhFinal, float[] dcFinal,
                  float[] stepScale, float[] dh0, float[] dc0) {
        int H = hidden, G = 4 * H, bh = batch * H;
        if (dhFinal == null) Arrays.fill(dhCarry, 0, bh, 0f);
        else System.arraycopy(dhFinal, 0, dhCarry, 0, bh);
        if (dcFinal == null) Arrays.fill(dcCarry, 0, bh, 0f);
        else System.arraycopy(dcFinal, 0, dcCarry, 0, bh);
        for (int s = steps - 1; s >= 0; s--) {
            int t = timeAt(s), p0 = t * batch * G, prev = prevSlot(t) * bh;
            double sq = 0;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * G, hb = b * H, o0 = dOutOff + (t * batch + b) * dOutStride;
                for (int j = 0; j < H; j++) {
                    float dh = dhCarry[hb + j] + (dOut == null ? 0f : dOut[o0 + j]);
                    sq += dh * dh;
                    float i = pre[p + j], f = pre[p + H + j], g = pre[p + 2 * H + j], o = pre[p + 3 * H + j];
                    float tc = tanhC[t * bh + hb + j];
                    float dc = dcCarry[hb + j] + dh * o * (1f - tc * tc);  // through h = o * tanh(c)
                    dPre[p + j] = dc * g * i * (1f - i);
                    dPre[p + H + j] = dc * c[prev + hb + j] * f * (1f - f);
                    dPre[p + 2 * H + j] = dc * i * (1f - g * g);
                    dPre[p + 3 * H + j] = dh * tc * o * (1f - o);
                    dcCarry[hb + j] = dc * f;  // dL/dc_{t-1}, direct path
                }
            }
            probe(t, sq);
            recurrentGradient(dPre, t, 0f);  // dL/dh_{t-1} = dPre_t W_hh
            if (stepScale != null) {
                scale(dhCarry, bh, stepScale[t]);
                scale(dcCarry, bh, stepScale[t]);
            }
        }
        if (dh0 != null) System.arraycopy(dhCarry, 0, dh0, 0, bh);
        if (dc0 != null) System.arraycopy(dcCarry, 0, dc0, 0, bh);
        accumulateWeightGradients(dPre);  // both biases act on the same pre-activation
    }

    @Override
    float[] cellStates() {
        return c;
    }

    @Override
    void finalState(float[] into, boolean cellState) {
        int bh = batch * hidden, last = outSlot(timeAt(steps - 1)) * bh;
        System.arraycopy(cellState ? c : h, last, into, 0, bh);
    }
}
