package dev.rnnlab.nn;

import dev.rnnlab.tensor.Activations;
import dev.rnnlab.tensor.Gemm;
import java.util.Arrays;

/**
 * One direction of an Elman RNN layer, D2L (8.4.5) with PyTorch's two biases:
 * <pre>
 *   h_t = phi(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),   phi = tanh or ReLU
 * </pre>
 * Forward caches only the states h_t; phi' comes from them (1 - h^2 for tanh, [h &gt; 0] for ReLU).
 */
final class RnnCell extends RecurrentCell {
    private final boolean relu;

    RnnCell(CellType type, String suffix, int inputSize, int hidden, boolean reverse, Parameters params, Gemm gemm) {
        super(type, suffix, inputSize, hidden, reverse, params, gemm);
        if (type != CellType.RNN_TANH && type != CellType.RNN_RELU) throw new IllegalArgumentException(type.toString());
        this.relu = type == CellType.RNN_RELU;
    }

    @Override
    void growBuffers(int rows, int batch) {}

    // x: [T][B][I] or tokens [T][B]; out: h_t at out[outOff + (t*B + b)*outStride + j]
    @Override
    void forward(float[] x, int xOff, int[] tokens, int steps, int batch, float[] h0, float[] c0,
                 float[] out, int outOff, int outStride) {
        shape(steps, batch);
        float[] bias = sumOfBiases();
        projectInput(x, xOff, tokens, bias);
        loadInitial(h, h0);
        runParts((part, parts) -> forwardUnits(part, parts, bias, out, outOff, outStride));
    }

    /** The time loop for one part's units j0..j1; the parts meet once per step, after h_t is written. */
    private void forwardUnits(int part, int parts, float[] bias, float[] out, int outOff, int outStride) {
        int H = hidden, bh = batch * H, j0 = unitStart(part, parts), j1 = unitStart(part + 1, parts), n = j1 - j0;
        gatherInput(bias, j0, j1);
        for (int s = 0; s < steps; s++) {
            int t = timeAt(s), p0 = t * bh;
            recurrentProduct(gates, p0, t, part, j0, j1);
            int next = outSlot(t) * bh;
            if (n == H) {
                // the whole step's B x H pre-activations in one plain loop the JIT vectorises
                if (relu) {
                    for (int k = 0; k < bh; k++) h[next + k] = Math.max(gates[p0 + k], 0f);
                } else {
                    Activations.tanhInto(gates, p0, h, next, bh);
                }
            } else {
                for (int b = 0; b < batch; b++) {
                    int q = b * H + j0;
                    if (relu) {
                        for (int k = q; k < q + n; k++) h[next + k] = Math.max(gates[p0 + k], 0f);
                    } else {
                        Activations.tanhInto(gates, p0 + q, h, next + q, n);
                    }
                }
            }
            for (int b = 0; b < batch; b++) System.arraycopy(h, next + b * H + j0, out, outOff + (t * batch + b) * outStride + j0, n);
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

    /** The backward for one part's units; the parts meet once per step, before dh_{t-1}'s product reads every da_t. */
    private void backwardUnits(int part, int parts, float[] dOut, int dOutOff, int dOutStride, float[] stepScale) {
        int H = hidden, bh = batch * H, j0 = unitStart(part, parts), j1 = unitStart(part + 1, parts);
        for (int s = steps - 1; s >= 0; s--) {
            int t = timeAt(s), p0 = t * bh, next = outSlot(t) * bh;
            double sq = 0;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * H, o0 = dOutOff + (t * batch + b) * dOutStride;
                for (int j = j0; j < j1; j++) {
                    float dh = dhCarry[b * H + j] + (dOut == null ? 0f : dOut[o0 + j]);
                    sq += dh * dh;
                    float v = h[next + b * H + j];
                    dGatePre[p + j] = relu ? (v > 0f ? dh : 0f) : dh * (1f - v * v);
                }
            }
            probePart(part, t, sq);
            gradientBarrier(dGatePre, t, part, parts, j0, j1);  // dh_{t-1}[:, j0..j1] reads da_t of every unit
            recurrentGradient(dGatePre, t, 0f, j0, j1);  // dL/dh_{t-1} = dPre_t W_hh
            if (stepScale != null) scale(dhCarry, stepScale[t], j0, j1);
        }
        accumulateWeightGradients(dGatePre, part, j0, j1);
    }
}
