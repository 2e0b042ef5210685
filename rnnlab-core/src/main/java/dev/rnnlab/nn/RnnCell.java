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
        projectInput(x, xOff, tokens, sumOfBiases());
        loadInitial(h, h0);
        int H = hidden, bh = batch * H;
        for (int s = 0; s < steps; s++) {
            int t = timeAt(s), p0 = t * bh;
            recurrentProduct(gates, p0, t);
            int next = outSlot(t) * bh;
            // the whole step's B x H pre-activations in one plain loop the JIT vectorises
            if (relu) {
                for (int k = 0; k < bh; k++) h[next + k] = Math.max(gates[p0 + k], 0f);
            } else {
                Activations.tanhInto(gates, p0, h, next, bh);
            }
            for (int b = 0; b < batch; b++) System.arraycopy(h, next + b * H, out, outOff + (t * batch + b) * outStride, H);
        }
    }

    @Override
    void backward(float[] dOut, int dOutOff, int dOutStride, float[] dhFinal, float[] dcFinal,
                  float[] stepScale, float[] dh0, float[] dc0) {
        int H = hidden, bh = batch * H;
        if (dhFinal == null) Arrays.fill(dhCarry, 0, bh, 0f);
        else System.arraycopy(dhFinal, 0, dhCarry, 0, bh);
        for (int s = steps - 1; s >= 0; s--) {
            int t = timeAt(s), p0 = t * bh, next = outSlot(t) * bh;
            double sq = 0;
            for (int b = 0; b < batch; b++) {
                int p = p0 + b * H, o0 = dOutOff + (t * batch + b) * dOutStride;
                for (int j = 0; j < H; j++) {
                    float dh = dhCarry[b * H + j] + (dOut == null ? 0f : dOut[o0 + j]);
                    sq += dh * dh;
                    float v = h[next + b * H + j];
                    dGatePre[p + j] = relu ? (v > 0f ? dh : 0f) : dh * (1f - v * v);
                }
            }
            probe(t, sq);
            recurrentGradient(dGatePre, t, 0f);  // dL/dh_{t-1} = dPre_t W_hh
            if (stepScale != null) scale(dhCarry, bh, stepScale[t]);
        }
        if (dh0 != null) System.arraycopy(dhCarry, 0, dh0, 0, bh);
        accumulateWeightGradients(dGatePre);
    }
}
