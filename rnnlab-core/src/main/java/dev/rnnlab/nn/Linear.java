package dev.rnnlab.nn;

import dev.rnnlab.tensor.Gemm;

/**
 * The output layer, {@code linear.weight} [V, F] and {@code linear.bias} [V], applied to all T*B rows
 * in one GEMM: logits = Y W^T + b (D2L 8.4.6).
 */
final class Linear {
    final Parameters.Tensor weight, bias;
    final int in, out;
    private final Parameters params;
    private final Gemm gemm;
    private float[] logits = new float[0];  // [rows][V]
    private float[] dIn = new float[0];     // [rows][F]

    Linear(int in, int out, Parameters params, Gemm gemm) {
        this.in = in;
        this.out = out;
        this.params = params;
        this.gemm = gemm;
        this.weight = params.add("linear.weight", out, in);
        this.bias = params.add("linear.bias", out);
    }

    /** An output layer whose weight is {@code tied}, e.g. the embedding's [V, E] with E = F (weight tying). */
    Linear(Parameters.Tensor tied, Parameters params, Gemm gemm) {
        this.in = tied.shape()[1];
        this.out = tied.shape()[0];
        this.params = params;
        this.gemm = gemm;
        this.weight = params.alias("linear.weight", tied);
        this.bias = params.add("linear.bias", out);
    }

    float[] forward(float[] y, int rows) {
        if (logits.length < rows * out) logits = new float[rows * out];
        float[] w = params.values();
        for (int r = 0; r < rows; r++) System.arraycopy(w, bias.offset(), logits, r * out, out);
        gemm.gemm(false, true, rows, out, in, 1f, y, 0, in, w, weight.offset(), in, 1f, logits, 0, out);
        return logits;
    }

    /** dW += dLogits^T Y, db += column sums; returns dY = dLogits W. */
    float[] backward(float[] dLogits, float[] y, int rows) {
        float[] g = params.grads();
        gemm.gemm(true, false, out, in, rows, 1f, dLogits, 0, out, y, 0, in, 1f, g, weight.offset(), in);
        RecurrentCell.addColumnSums(dLogits, rows, out, g, bias.offset());
        if (dIn.length < rows * in) dIn = new float[rows * in];
        gemm.gemm(false, false, rows, in, out, 1f, dLogits, 0, out, params.values(), weight.offset(), in, 0f, dIn, 0, in);
        return dIn;
    }

    float[] logits() {
        return logits;
    }
}
