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
 *
 * <p>Backward, step t from last to first, with a_r, a_z, a_n the input-side pre-activations, u_n = W_hn h + b_hn
 * (in {@code rec}), and dh_t = dL/dh_t from the layer above plus the carry from step t+1:
 * <pre>
 *   da_n     = dh_t * (1 - z) * (1 - n^2)
 *   da_r     = da_n * u_n * r (1 - r)              da_z = dh_t * (h_{t-1} - n) * z (1 - z)
 *   drec     = [da_r, da_z, da_n * r]              (the recurrent side's gradient)
 *   dh_{t-1} = dh_t * z + drec W_hh                (h_t = (1 - z) n + z h_{t-1})
 * </pre>
 * then, once for all steps, dW_ih += da^T x and db_ih += column sums of da, dW_hh += drec^T h_{t-1} and
 * db_hh += column sums of drec.
 */
final class GruCell extends RecurrentCell {
    // the gate blocks within a row of G = 3H, PyTorch's order
    private static final int RESET = 0, UPDATE = 1, NEW = 2;

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
        System.arraycopy(params.values(), bIh.offset(), biasSum, 0, 3 * hidden);  // the input side carries b_ih alone
        projectInput(x, xOff, tokens, biasSum);
        loadInitial(h, h0);
        runParts((part, parts) -> forwardUnits(part, parts, out, outOff, outStride));
    }

    /** The time loop for one part's units j0..j1; the parts meet once per step, after h_t is written. */
    private void forwardUnits(int part, int parts, float[] out, int outOff, int outStride) {
        float[] w = params.values();
        int H = hidden, G = 3 * H, bh = batch * H, j0 = unitStart(part, parts), j1 = unitStart(part + 1, parts), n = j1 - j0;
        gatherInput(biasSum, j0, j1);
        for (int s = 0; s < steps; s++) {
            int t = timeAt(s), p0 = t * batch * G;
            for (int b = 0; b < batch; b++) {
                for (int k = 0; k < 3; k++) System.arraycopy(w, bHh.offset() + k * H + j0, rec, p0 + b * G + k * H + j0, n);
            }
            recurrentProduct(rec, p0, t, part, j0, j1);
            int prev = prevSlot(t) * bh, next = outSlot(t) * bh;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * G, hb = b * H + j0, o0 = outOff + (t * batch + b) * outStride + j0;
                // each gate block in plain loops the JIT vectorises (Activations); gates ends holding r, z, n
                int r = p + RESET * H + j0, u = p + UPDATE * H + j0, nw = p + NEW * H + j0;
                if (n == H) {
                    for (int k = r; k < r + 2 * H; k++) gates[k] += rec[k];  // r and z, adjacent
                    Activations.sigmoidInPlace(gates, r, 2 * H);
                } else {
                    for (int k = r; k < r + n; k++) gates[k] += rec[k];
                    for (int k = u; k < u + n; k++) gates[k] += rec[k];
                    Activations.sigmoidInPlace(gates, r, n);
                    Activations.sigmoidInPlace(gates, u, n);
                }
                for (int j = 0; j < n; j++) gates[nw + j] += gates[r + j] * rec[nw + j];
                Activations.tanhInPlace(gates, nw, n);
                for (int j = 0; j < n; j++) {
                    float z = gates[u + j], nv = gates[nw + j];
                    float hNew = (1f - z) * nv + z * h[prev + hb + j];
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
        probeBegin();
        runParts((part, parts) -> backwardUnits(part, parts, dOut, dOutOff, dOutStride, stepScale));
        probeEnd();
        if (dh0 != null) System.arraycopy(dhCarry, 0, dh0, 0, bh);
    }

    /** The backward for one part's units; the parts meet once per step, before dh_{t-1}'s product reads every drec_t. */
    private void backwardUnits(int part, int parts, float[] dOut, int dOutOff, int dOutStride, float[] stepScale) {
        int H = hidden, G = 3 * H, bh = batch * H, j0 = unitStart(part, parts), j1 = unitStart(part + 1, parts);
        for (int s = steps - 1; s >= 0; s--) {
            int t = timeAt(s), p0 = t * batch * G, prev = prevSlot(t) * bh;
            double sq = 0;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * G, hb = b * H, o0 = dOutOff + (t * batch + b) * dOutStride;
                for (int j = j0; j < j1; j++) {
                    float dh = dhCarry[hb + j] + (dOut == null ? 0f : dOut[o0 + j]);
                    sq += dh * dh;
                    int rj = p + RESET * H + j, zj = p + UPDATE * H + j, nj = p + NEW * H + j;
                    float r = gates[rj], z = gates[zj], n = gates[nj];
                    float dnPre = dh * (1f - z) * (1f - n * n);
                    float drPre = dnPre * rec[nj] * r * (1f - r);
                    float dzPre = dh * (h[prev + hb + j] - n) * z * (1f - z);
                    dGatePre[rj] = drPre;
                    dGatePre[zj] = dzPre;
                    dGatePre[nj] = dnPre;
                    dRec[rj] = drPre;
                    dRec[zj] = dzPre;
                    dRec[nj] = dnPre * r;
                    dhCarry[hb + j] = dh * z;  // the direct path h' = ... + z * h
                }
            }
            probePart(part, t, sq);
            gradientBarrier(dRec, t, part, parts, j0, j1);  // dh_{t-1}[:, j0..j1] reads drec_t of every unit
            recurrentGradient(dRec, t, 1f, j0, j1);  // dL/dh_{t-1} = dh * z + dRec_t W_hh
            if (stepScale != null) scale(dhCarry, stepScale[t], j0, j1);
        }
        accumulateWeightGradients(dRec, part, j0, j1);
    }
}
