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
        float[] bias = sumOfBiases();
        projectInput(x, xOff, tokens, bias);
        loadInitial(h, h0);
        loadInitial(c, c0);
        runParts((part, parts) -> forwardUnits(part, parts, bias, out, outOff, outStride));
    }

    /**
     * The time loop for one part's hidden units j0..j1: the gates of those units need only their own
     * columns of the recurrent product, so the parts meet once per step, after h_t is written.
     */
    private void forwardUnits(int part, int parts, float[] bias, float[] out, int outOff, int outStride) {
        int H = hidden, G = 4 * H, bh = batch * H, j0 = unitStart(part, parts), j1 = unitStart(part + 1, parts), n = j1 - j0;
        gatherInput(bias, j0, j1);
        for (int s = 0; s < steps; s++) {
            int t = timeAt(s), p0 = t * batch * G;
            recurrentProduct(gates, p0, t, part, j0, j1);
            int prev = prevSlot(t) * bh, next = outSlot(t) * bh;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * G, hb = b * H + j0, o0 = outOff + (t * batch + b) * outStride + j0, tc = t * bh + hb;
                // the gates, each block in one plain loop the JIT vectorises (Activations)
                int i = p + INPUT * H + j0, f = p + FORGET * H + j0, g = p + CANDIDATE * H + j0, o = p + OUTPUT * H + j0;
                if (n == H) {
                    Activations.sigmoidInPlace(gates, i, 2 * H);  // i and f, adjacent
                } else {
                    Activations.sigmoidInPlace(gates, i, n);
                    Activations.sigmoidInPlace(gates, f, n);
                }
                Activations.tanhInPlace(gates, g, n);
                Activations.sigmoidInPlace(gates, o, n);
                for (int j = 0; j < n; j++) {
                    c[next + hb + j] = gates[f + j] * c[prev + hb + j] + gates[i + j] * gates[g + j];  // c = f c + i g
                }
                Activations.tanhInto(c, next + hb, tanhC, tc, n);
                for (int j = 0; j < n; j++) {
                    float hNew = gates[o + j] * tanhC[tc + j];  // h = o tanh(c)
                    h[next + hb + j] = hNew;
                    out[o0 + j] = hNew;
                }
            }
            barrier(part, parts);  // step t+1's product reads every unit of h_t
        }
    }

    @Override
    void backward(float[] dOut, int dOutOff, int dOutStride, float[] dhFinal, float[] dcFinal,
                  float[] stepScale, float[] dh0, float[] dc0) {
        int bh = batch * hidden;
        if (dhFinal == null) Arrays.fill(dhCarry, 0, bh, 0f);
        else System.arraycopy(dhFinal, 0, dhCarry, 0, bh);
        if (dcFinal == null) Arrays.fill(dcCarry, 0, bh, 0f);
        else System.arraycopy(dcFinal, 0, dcCarry, 0, bh);
        probeBegin();
        runParts((part, parts) -> backwardUnits(part, parts, dOut, dOutOff, dOutStride, stepScale));
        probeEnd();
        if (dh0 != null) System.arraycopy(dhCarry, 0, dh0, 0, bh);
        if (dc0 != null) System.arraycopy(dcCarry, 0, dc0, 0, bh);
    }

    /**
     * The backward for one part's units j0..j1: the gate gradients of those units need only their own dh and
     * dc, but dh_{t-1}'s columns need every unit's da_t, so the parts meet once per step, before that product.
     * The weight gradients of the part's gate rows follow without another barrier.
     */
    private void backwardUnits(int part, int parts, float[] dOut, int dOutOff, int dOutStride, float[] stepScale) {
        int H = hidden, G = 4 * H, bh = batch * H, j0 = unitStart(part, parts), j1 = unitStart(part + 1, parts);
        for (int s = steps - 1; s >= 0; s--) {
            int t = timeAt(s), p0 = t * batch * G, prev = prevSlot(t) * bh;
            double sq = 0;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * G, hb = b * H, o0 = dOutOff + (t * batch + b) * dOutStride;
                for (int j = j0; j < j1; j++) {
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
            probePart(part, t, sq);
            gradientBarrier(dGatePre, t, part, parts, j0, j1);  // dh_{t-1}[:, j0..j1] reads da_t of every unit
            recurrentGradient(dGatePre, t, 0f, j0, j1);  // dL/dh_{t-1} = dPre_t W_hh
            if (stepScale != null) {
                scale(dhCarry, stepScale[t], j0, j1);
                scale(dcCarry, stepScale[t], j0, j1);
            }
        }
        accumulateWeightGradients(dGatePre, part, j0, j1);  // both biases act on the same pre-activation
    }

    @Override
    float[] cellStates() {
        return c;
    }
}
