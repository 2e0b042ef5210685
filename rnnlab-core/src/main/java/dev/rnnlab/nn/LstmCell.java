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
 * Forward caches the four gate activations (in {@code gates}, over the pre-activations), every c_t and
 * tanh(c_t); the backward needs nothing else.
 *
 * <p>Backward, step t from last to first, with a_i, a_f, a_g, a_o the gates' pre-activations and
 * dh_t = dL/dh_t from the layer above plus the carry from step t+1:
 * <pre>
 *   dc_t      = dc_carry + dh_t * o * (1 - tanh^2(c_t))          (h_t = o * tanh(c_t))
 *   da_i      = dc_t * g * i (1 - i)                            da_f = dc_t * c_{t-1} * f (1 - f)
 *   da_g      = dc_t * i * (1 - g^2)                            da_o = dh_t * tanh(c_t) * o (1 - o)
 *   dc_{t-1}  = dc_t * f                                        (c_t = f * c_{t-1} + i * g)
 *   dh_{t-1}  = da W_hh                                         (da = [da_i, da_f, da_g, da_o])
 * </pre>
 * then, once for all steps, dW_ih += da^T x, dW_hh += da^T h_{t-1}, db_ih = db_hh += column sums of da
 * (both biases add to the same pre-activation).
 */
final class LstmCell extends RecurrentCell {
    // the gate blocks within a row of G = 4H, PyTorch's order
    private static final int INPUT = 0, FORGET = 1, CANDIDATE = 2, OUTPUT = 3;

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
            recurrentProduct(gates, p0, t);
            int prev = prevSlot(t) * bh, next = outSlot(t) * bh;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * G, hb = b * H, o0 = outOff + (t * batch + b) * outStride, tc = t * bh + hb;
                // the gates, each block in one plain loop the JIT vectorises (Activations)
                int i = p + INPUT * H, f = p + FORGET * H, g = p + CANDIDATE * H, o = p + OUTPUT * H;
                Activations.sigmoidInPlace(gates, i, 2 * H);  // i and f, adjacent
                Activations.tanhInPlace(gates, g, H);
                Activations.sigmoidInPlace(gates, o, H);
                for (int j = 0; j < H; j++) {
                    c[next + hb + j] = gates[f + j] * c[prev + hb + j] + gates[i + j] * gates[g + j];  // c = f c + i g
                }
                Activations.tanhInto(c, next + hb, tanhC, tc, H);
                for (int j = 0; j < H; j++) {
                    float hNew = gates[o + j] * tanhC[tc + j];  // h = o tanh(c)
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
                    int ij = p + INPUT * H + j, fj = p + FORGET * H + j, gj = p + CANDIDATE * H + j, oj = p + OUTPUT * H + j;
                    float i = gates[ij], f = gates[fj], g = gates[gj], o = gates[oj];
                    float tc = tanhC[t * bh + hb + j];
                    float dc = dcCarry[hb + j] + dh * o * (1f - tc * tc);  // through h = o * tanh(c)
                    dGatePre[ij] = dc * g * i * (1f - i);
                    dGatePre[fj] = dc * c[prev + hb + j] * f * (1f - f);
                    dGatePre[gj] = dc * i * (1f - g * g);
                    dGatePre[oj] = dh * tc * o * (1f - o);
                    dcCarry[hb + j] = dc * f;  // dL/dc_{t-1}, direct path
                }
            }
            probe(t, sq);
            recurrentGradient(dGatePre, t, 0f);  // dL/dh_{t-1} = dPre_t W_hh
            if (stepScale != null) {
                scale(dhCarry, bh, stepScale[t]);
                scale(dcCarry, bh, stepScale[t]);
            }
        }
        if (dh0 != null) System.arraycopy(dhCarry, 0, dh0, 0, bh);
        if (dc0 != null) System.arraycopy(dcCarry, 0, dc0, 0, bh);
        accumulateWeightGradients(dGatePre);  // both biases act on the same pre-activation
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
