package dev.rnnlab.nn;

import dev.rnnlab.tensor.Gemm;
import java.util.Arrays;

/**
 * One layer of a recurrent stack: one cell running forward in time, plus one running backward when
 * bidirectional, whose outputs are concatenated per step ([T][B][D*H], forward direction first, as
 * PyTorch does).
 */
final class RecurrentLayer {
    final RecurrentCell[] directions;
    final int inputSize, hidden;
    private float[] out = new float[0];  // [T][B][D*H]
    private float[] dx = new float[0];   // [T][B][I], gradient for the layer below
    private int steps, batch;

    RecurrentLayer(CellType type, int layer, int inputSize, int hidden, boolean bidirectional, Parameters params, Gemm gemm) {
        this.inputSize = inputSize;
        this.hidden = hidden;
        directions = new RecurrentCell[bidirectional ? 2 : 1];
        for (int d = 0; d < directions.length; d++) {
            String suffix = "l" + layer + (d == 1 ? "_reverse" : "");
            directions[d] = switch (type) {
                case LSTM -> new LstmCell(suffix, inputSize, hidden, d == 1, params, gemm);
                case LSTM_LN -> new LayerNormLstmCell(suffix, inputSize, hidden, d == 1, params, gemm);
                case GRU -> new GruCell(suffix, inputSize, hidden, d == 1, params, gemm);
                case RNN_TANH, RNN_RELU -> new RnnCell(type, suffix, inputSize, hidden, d == 1, params, gemm);
            };
        }
    }

    int width() {
        return directions.length * hidden;
    }

    /** Runs every direction; h0[d], c0[d] may be null (zeros). Returns the output buffer [T][B][D*H]. */
    float[] forward(float[] x, int[] tokens, int steps, int batch, float[][] h0, float[][] c0, int stateBase) {
        this.steps = steps;
        this.batch = batch;
        int width = width();
        if (out.length < steps * batch * width) out = new float[steps * batch * width];
        for (int d = 0; d < directions.length; d++) {
            directions[d].forward(x, 0, tokens, steps, batch, h0 == null ? null : h0[stateBase + d],
                    c0 == null ? null : c0[stateBase + d], out, d * hidden, width);
        }
        return out;
    }

    /**
     * Backpropagates dOut ([T][B][D*H]) through every direction. Returns dL/dx [T][B][I] when
     * {@code wantInputGradient}, else null. Writes dL/dh0 into dh0[stateBase + d] when dh0 is non-null.
     */
    float[] backward(float[] dOut, float[][] dhFinal, float[][] dcFinal, float[] stepScale,
                     float[][] dh0, float[][] dc0, int stateBase, boolean wantInputGradient) {
        if (wantInputGradient) {
            int n = steps * batch * inputSize;
            if (dx.length < n) dx = new float[n];
            else Arrays.fill(dx, 0, n, 0f);
        }
        int width = width();
        for (int d = 0; d < directions.length; d++) {
            RecurrentCell cell = directions[d];
            cell.backward(dOut, d * hidden, width, dhFinal == null ? null : dhFinal[stateBase + d],
                    dcFinal == null ? null : dcFinal[stateBase + d], stepScale,
                    dh0 == null ? null : dh0[stateBase + d], dc0 == null ? null : dc0[stateBase + d]);
            if (wantInputGradient) cell.accumulateInputGradient(dx, 0);
        }
        return wantInputGradient ? dx : null;
    }
}
