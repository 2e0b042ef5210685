package dev.rnnlab.nn;

import dev.rnnlab.tensor.Activations;
import dev.rnnlab.tensor.Gemm;
import java.util.Arrays;

/**
 * One direction of a layer-normalised LSTM layer (Ba, Kiros and Hinton 2016, "Layer Normalization", eqs.
 * 20-22), gates in PyTorch's order i, f, g, o:
 * <pre>
 *   a_t = LN(W_hh h_{t-1}; gamma_hh, b_hh) + LN(W_ih x_t; gamma_ih, b_ih)     (each over the 4H of a row)
 *   i = sigma(a_i)   f = sigma(a_f)   g = tanh(a_g)   o = sigma(a_o)
 *   c_t = f * c_{t-1} + i * g
 *   h_t = o * tanh(LN(c_t; gamma_c, beta_c))                                  (over the H units)
 * </pre>
 * with LN(z; gamma, beta) = gamma * zHat + beta, zHat = (z - mean(z)) * rstd, rstd = 1 / sqrt(var(z) + eps),
 * the biased variance and eps = 1e-5 (PyTorch's {@code layer_norm}). PyTorch's two LSTM bias vectors are the
 * shifts of the two normalised products, so the layer keeps {@code torch.nn.LSTM}'s four tensors and adds
 * {@code ln.gain_ih}, {@code ln.gain_hh} (4H each, initialised to 1), {@code ln.gain_c} (H, 1) and
 * {@code ln.bias_c} (H, 0).
 *
 * <p>Backward, step t from last to first, with dh_t = dL/dh_t from above plus the carry from step t+1, n_t =
 * LN(c_t) and LNback(dy; yHat, rstd) = rstd * (dy - mean(dy) - yHat * mean(dy * yHat)) (means over the row),
 * the gradient of a normalisation's input given dy at its normalised output:
 * <pre>
 *   dn        = dh_t * o * (1 - tanh^2(n_t))             dgamma_c += dn * cHat,  dbeta_c += dn
 *   dc_t      = dc_carry + LNback(dn * gamma_c; cHat, rstd_c)
 *   da_i      = dc_t * g * i (1 - i)                      da_f = dc_t * c_{t-1} * f (1 - f)
 *   da_g      = dc_t * i * (1 - g^2)                      da_o = dh_t * tanh(n_t) * o (1 - o)
 *   dc_{t-1}  = dc_t * f
 *   dgamma_hh += da * rHat,  db_hh += da,                 dRec_t = LNback(da * gamma_hh; rHat, rstd_r)
 *   dh_{t-1}  = dRec_t W_hh
 * </pre>
 * and after the loop, for every row, dgamma_ih += da * xHat, db_ih += da, dPre = LNback(da * gamma_ih; xHat,
 * rstd_x); then dW_ih += dPre^T x and dW_hh += dRec^T h_{t-1} as in the other cells.
 *
 * <p>The statistics of a row need all its units, so this cell's time loop runs on one thread (a model of it
 * uses the cores by sharding its batch, {@link Models#automaticShards}).
 */
final class LayerNormLstmCell extends RecurrentCell {
    private static final int INPUT = 0, FORGET = 1, CANDIDATE = 2, OUTPUT = 3;
    /** PyTorch's layer_norm default. */
    static final float EPS = 1e-5f;

    final Parameters.Tensor gainIh, gainHh, gainC, biasC;

    private float[] c = new float[0];        // cell states, same slots as h: (T+1)*B*H
    private float[] xHat = new float[0];     // the input product normalised: [T][B][4H]
    private float[] rHat = new float[0];     // the recurrent product normalised: [T][B][4H]
    private float[] cHat = new float[0];     // c_t normalised: [T][B][H]
    private float[] tanhN = new float[0];    // tanh(LN(c_t)): [T][B][H]
    private float[] rstdX = new float[0], rstdR = new float[0], rstdC = new float[0];  // per row: [T][B]
    private float[] dRec = new float[0];     // dL/d(W_hh h_{t-1}), before the normalisation: [T][B][4H]
    private float[] dcCarry = new float[0];  // dL/dc flowing to the previous step: [B][H]
    private final float[] zeroBias, rowH;    // no bias on the raw input product; one row of dy for LNback

    LayerNormLstmCell(String suffix, int inputSize, int hidden, boolean reverse, Parameters params, Gemm gemm) {
        super(CellType.LSTM_LN, suffix, inputSize, hidden, reverse, params, gemm);
        int gh = 4 * hidden;
        gainIh = params.add("ln.gain_ih_" + suffix, gh);
        gainHh = params.add("ln.gain_hh_" + suffix, gh);
        gainC = params.add("ln.gain_c_" + suffix, hidden);
        biasC = params.add("ln.bias_c_" + suffix, hidden);
        zeroBias = new float[gh];
        rowH = new float[hidden];
    }

    @Override
    void growBuffers(int rows, int batch) {
        int G = 4 * hidden;
        if (c.length < (rows + batch) * hidden) c = new float[(rows + batch) * hidden];
        if (xHat.length < rows * G) {
            xHat = new float[rows * G];
            rHat = new float[rows * G];
            dRec = new float[rows * G];
        }
        if (cHat.length < rows * hidden) {
            cHat = new float[rows * hidden];
            tanhN = new float[rows * hidden];
        }
        if (rstdX.length < rows) {
            rstdX = new float[rows];
            rstdR = new float[rows];
            rstdC = new float[rows];
        }
        if (dcCarry.length < batch * hidden) dcCarry = new float[batch * hidden];
    }

    /**
     * zHat = (z - mean) * rstd for the n values of z at {@code from} into {@code to} at {@code toFrom} (may be
     * the same place); returns rstd. Sums in double: a row's mean and variance are one number each, and a
     * float sum of 2,048 terms would lose digits the backward's differences need.
     */
    static float normalize(float[] z, int from, int n, float[] to, int toFrom) {
        double sum = 0;
        for (int j = 0; j < n; j++) sum += z[from + j];
        float mean = (float) (sum / n);
        double sq = 0;
        for (int j = 0; j < n; j++) {
            float d = z[from + j] - mean;
            sq += d * d;
        }
        float rstd = (float) (1 / Math.sqrt(sq / n + EPS));
        for (int j = 0; j < n; j++) to[toFrom + j] = (z[from + j] - mean) * rstd;
        return rstd;
    }

    /**
     * LNback in place: dy at {@code dy[from..from+n)} becomes rstd * (dy - mean(dy) - yHat * mean(dy * yHat)),
     * the gradient at the normalisation's input (yHat at {@code yHat[yFrom..]}).
     */
    static void normalizeBackward(float[] dy, int from, int n, float[] yHat, int yFrom, float rstd, float[] into, int intoFrom) {
        double s1 = 0, s2 = 0;
        for (int j = 0; j < n; j++) {
            s1 += dy[from + j];
            s2 += (double) dy[from + j] * yHat[yFrom + j];
        }
        float m1 = (float) (s1 / n), m2 = (float) (s2 / n);
        for (int j = 0; j < n; j++) into[intoFrom + j] = rstd * (dy[from + j] - m1 - yHat[yFrom + j] * m2);
    }

    @Override
    void forward(float[] x, int xOff, int[] tokens, int steps, int batch, float[] h0, float[] c0,
                 float[] out, int outOff, int outStride) {
        shape(steps, batch);
        int H = hidden, G = 4 * H, bh = batch * H, rows = steps * batch;
        // the raw input product W_ih x_t of every row (no bias: b_ih is the normalised product's shift), normalised
        projectInput(x, xOff, tokens, zeroBias);
        gatherInput(zeroBias, 0, H);
        for (int r = 0; r < rows; r++) rstdX[r] = normalize(gates, r * G, G, xHat, r * G);
        loadInitial(h, h0);
        loadInitial(c, c0);
        float[] w = params.values();
        int gx = gainIh.offset(), gr = gainHh.offset(), bx = bIh.offset(), br = bHh.offset(), gc = gainC.offset(), bc = biasC.offset();
        for (int s = 0; s < steps; s++) {
            int t = timeAt(s), p0 = t * batch * G, prev = prevSlot(t) * bh, next = outSlot(t) * bh;
            Arrays.fill(rHat, p0, p0 + batch * G, 0f);
            recurrentProduct(rHat, p0, t, 0, 0, H);  // rHat_t = h_{t-1} W_hh^T, normalised below
            for (int b = 0; b < batch; b++) {
                int r = t * batch + b, p = r * G, hb = b * H, n0 = r * H, o0 = outOff + r * outStride;
                rstdR[r] = normalize(rHat, p, G, rHat, p);
                for (int j = 0; j < G; j++) {  // eq. 20: both normalised products, each with its gain and shift
                    gates[p + j] = w[gr + j] * rHat[p + j] + w[br + j] + w[gx + j] * xHat[p + j] + w[bx + j];
                }
                Activations.sigmoidInPlace(gates, p + INPUT * H, 2 * H);  // i and f, adjacent
                Activations.tanhInPlace(gates, p + CANDIDATE * H, H);
                Activations.sigmoidInPlace(gates, p + OUTPUT * H, H);
                int i = p + INPUT * H, f = p + FORGET * H, g = p + CANDIDATE * H, o = p + OUTPUT * H;
                for (int j = 0; j < H; j++) c[next + hb + j] = gates[f + j] * c[prev + hb + j] + gates[i + j] * gates[g + j];  // eq. 21
                rstdC[r] = normalize(c, next + hb, H, cHat, n0);
                for (int j = 0; j < H; j++) tanhN[n0 + j] = w[gc + j] * cHat[n0 + j] + w[bc + j];
                Activations.tanhInPlace(tanhN, n0, H);
                for (int j = 0; j < H; j++) {
                    float hNew = gates[o + j] * tanhN[n0 + j];  // eq. 22
                    h[next + hb + j] = hNew;
                    out[o0 + j] = hNew;
                }
            }
        }
    }

    @Override
    void backward(float[] dOut, int dOutOff, int dOutStride, float[] dhFinal, float[] dcFinal,
                  float[] stepScale, float[] dh0, float[] dc0) {
        int H = hidden, G = 4 * H, bh = batch * H, rows = steps * batch;
        if (dhFinal == null) Arrays.fill(dhCarry, 0, bh, 0f);
        else System.arraycopy(dhFinal, 0, dhCarry, 0, bh);
        if (dcFinal == null) Arrays.fill(dcCarry, 0, bh, 0f);
        else System.arraycopy(dcFinal, 0, dcCarry, 0, bh);
        probeBegin();
        float[] w = params.values(), gr = params.grads();
        int gc = gainC.offset(), bc = biasC.offset();
        for (int s = steps - 1; s >= 0; s--) {
            int t = timeAt(s), prev = prevSlot(t) * bh;
            double sq = 0;
            for (int b = 0; b < batch; b++) {
                int r = t * batch + b, p = r * G, hb = b * H, n0 = r * H, o0 = dOutOff + r * dOutStride;
                int i0 = p + INPUT * H, f0 = p + FORGET * H, g0 = p + CANDIDATE * H, oo = p + OUTPUT * H;
                // through h = o * tanh(n), n = gamma_c cHat + beta_c: dn, then dy = dn * gamma_c at cHat
                for (int j = 0; j < H; j++) {
                    float dh = dhCarry[hb + j] + (dOut == null ? 0f : dOut[o0 + j]);
                    sq += dh * dh;
                    float o = gates[oo + j], tn = tanhN[n0 + j];
                    float dn = dh * o * (1f - tn * tn);
                    gr[gc + j] += dn * cHat[n0 + j];
                    gr[bc + j] += dn;
                    rowH[j] = dn * w[gc + j];
                    dGatePre[oo + j] = dh * tn * o * (1f - o);  // da_o
                }
                normalizeBackward(rowH, 0, H, cHat, n0, rstdC[r], rowH, 0);  // dL/dc_t through LN(c_t)
                for (int j = 0; j < H; j++) {
                    float i = gates[i0 + j], f = gates[f0 + j], g = gates[g0 + j];
                    float dc = dcCarry[hb + j] + rowH[j];
                    dGatePre[i0 + j] = dc * g * i * (1f - i);
                    dGatePre[f0 + j] = dc * c[prev + hb + j] * f * (1f - f);
                    dGatePre[g0 + j] = dc * i * (1f - g * g);
                    dcCarry[hb + j] = dc * f;  // dL/dc_{t-1}, direct path
                }
                throughProductNormalization(p, rHat, rstdR[r], gainHh, bHh, dRec);  // dRec_t
            }
            probePart(0, t, sq);
            gradientBarrier(dRec, t, 0, 1, 0, H);  // one part: no wait; in bf16 it rounds dRec_t
            recurrentGradient(dRec, t, 0f, 0, H);  // dL/dh_{t-1} = dRec_t W_hh
            if (stepScale != null) {
                scale(dhCarry, stepScale[t], 0, H);
                scale(dcCarry, stepScale[t], 0, H);
            }
        }
        // the input product's normalisation, every row at once: dGatePre becomes dPre, in place
        for (int r = 0; r < rows; r++) throughProductNormalization(r * G, xHat, rstdX[r], gainIh, bIh, dGatePre);
        accumulateWeightGradients(dRec, 0, 0, H, false);  // the biases' gradients are added above
        probeEnd();
        if (dh0 != null) System.arraycopy(dhCarry, 0, dh0, 0, bh);
        if (dc0 != null) System.arraycopy(dcCarry, 0, dc0, 0, bh);
    }

    /**
     * The backward through one row's y = gain * yHat + shift (a product's normalisation, yHat at {@code p} of
     * {@code yHat}), given da = dGatePre's row: dgain += da * yHat, dshift += da, and LNback(da * gain) into
     * {@code into}'s row (which may be dGatePre itself).
     */
    private void throughProductNormalization(int p, float[] yHat, float rstd, Parameters.Tensor gain, Parameters.Tensor shift, float[] into) {
        float[] w = params.values(), gr = params.grads();
        int G = 4 * hidden, g0 = gain.offset(), s0 = shift.offset();
        for (int j = 0; j < G; j++) {
            float da = dGatePre[p + j];
            gr[g0 + j] += da * yHat[p + j];
            gr[s0 + j] += da;
            into[p + j] = da * w[g0 + j];
        }
        normalizeBackward(into, p, G, yHat, p, rstd, into, p);
    }

    @Override
    float[] cellStates() {
        return c;
    }
}
