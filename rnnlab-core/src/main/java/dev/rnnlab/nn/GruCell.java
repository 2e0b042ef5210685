package dev.rnnlab.nn;

import dev.rnnlab.tensor.Activations;
import dev.rnnlab.tensor.Gemm;
import java.util.Arrays;

/**
 * One direction of a GRU layer, PyTorch's equations (D2L 9.1.1-9.1.3, gates in the order r, z, n; the
 * reset gate multiplies the whole recurrent term of n, bias included):
 * <pre>
 *   r = sigma(W_ir x + b_ir + W_hr h + b_hr)      z = sigma(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh (W_in x + b_in + r * (W_hn h + b_hn))
 *   h' = (1 - z) * n + z * h
 * </pre>
 * Because of r * (W_hn h + b_hn) the two sides of the pre-activation differ, so the cell keeps the
 * recurrent side {@code W_hh h + b_hh} per step ({@code rec}) and its own gradient ({@code dRec}).
 */
final class GruCell extends RecurrentCell {
    private float[] rec = new float[0];   // W_hh h_{t-1} + b_hh: [T][B][3H]
    private float[] dRec = new float[0];  // gradient wrt rec: [T][B][3H]

    GruCell(String suffix, int inputSize, int hidden, boolean reverse, Parameters params, Gemm gemm) {
        super(CellType.GRU, suffix, inputSize, hidden, reverse, params, gemm);
    }

    @Override
    void growBuffers(int rows, int batch) {
        if (rec.length < rows * 3 * hidden) {
            rec = new float[rows * 3 * hidden];
            dRec = new float[rows * 3 * hidden];
        }
    }

    // x: [T][B][I] or tokens [T][B]; out: h_t at out[outOff + (t*B + b)*outStride + j]
    @Override
    void forward(float[] x, int xOff, int[] tokens, int steps, int batch, float[] h0, float[] c0,
                 float[] out, int outOff, int outStride) {
        shape(steps, batch);
        float[] w = params.values();
        int H = hidden, G = 3 * H, bh = batch * H;
        System.arraycopy(w, bIh.offset(), biasSum, 0, G);  // the input side carries b_ih alone
        projectInput(x, xOff, tokens, biasSum);
        loadInitial(h, h0);
        for (int s = 0; s < steps; s++) {
            int t = timeAt(s), p0 = t * batch * G;
            for (int b = 0; b < batch; b++) System.arraycopy(w, bHh.offset(), rec, p0 + b * G, G);
            recurrentProduct(rec, p0, t);
            int prev = prevSlot(t) * bh, next = outSlot(t) * bh;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * G, hb = b * H, o0 = outOff + (t * batch + b) * outStride;
                // each gate block in plain loops the JIT vectorises (Activations); pre ends holding r, z, n
                for (int k = p; k < p + 2 * H; k++) pre[k] += rec[k];
                Activations.sigmoidInPlace(pre, p, 2 * H);  // r, z
                for (int j = 0; j < H; j++) pre[p + 2 * H + j] += pre[p + j] * rec[p + 2 * H + j];
                Activations.tanhInPlace(pre, p + 2 * H, H);  // n
                for (int j = 0; j < H; j++) {
                    float z = pre[p + H + j], n = pre[p + 2 * H + j];
                    float hNew = (1f - z) * n + z * h[prev + hb + j];
                    h[next + hb + j] = hNew;
                    out[o0 + j] = hNew;
                }
            }
        }
    }

    @Override
    void backward(float[] dOut, int dOutOff, int dOutStride, float[] dhFinal, float[] dcFinal,
                  float[] stepScale, float[] dh0, float[] dc0) {
        int H = hidden, G = 3 * H, bh = batch * H;
        if (dhFinal == null) Arrays.fill(dhCarry, 0, bh, 0f);
        else System.arraycopy(dhFinal, 0, dhCarry, 0, bh);
        for (int s = steps - 1; s >= 0; s--) {
            int t = timeAt(s), p0 = t * batch * G, prev = prevSlot(t) * bh;
            double sq = 0;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * G, hb = b * H, o0 = dOutOff + (t * batch + b) * dOutStride;
                for (int j = 0; j < H; j++) {
                    float dh = dhCarry[hb + j] + (dOut == null ? 0f : dOut[o0 + j]);
                    sq += dh * dh;
                    float r = pre[p + j], z = pre[p + H + j], n = pre[p + 2 * H + j];
                    float dnPre = dh * (1f - z) * (1f - n * n);
                    float drPre = dnPre * rec[p + 2 * H + j] * r * (1f - r);
                    float dzPre = dh * (h[prev + hb + j] - n) * z * (1f - z);
                    dPre[p + j] = drPre;
                    dPre[p + H + j] = dzPre;
                    dPre[p + 2 * H + j] = dnPre;
                    dRec[p + j] = drPre;
                    dRec[p + H + j] = dzPre;
                    dRec[p + 2 * H + j] = dnPre * r;
                    dhCarry[hb + j] = dh * z;  // the direct path h' = ... + z * h
                }
            }
            probe(t, sq);
            recurrentGradient(dRec, t, 1f);  // dL/dh_{t-1} = dh * z + dRec_t W_hh
            if (stepScale != null) scale(dhCarry, bh, stepScale[t]);
        }
        if (dh0 != null) System.arraycopy(dhCarry, 0, dh0, 0, bh);
        accumulateWeightGradients(dRec);
    }
}
