package dev.rnnlab.nn;

import java.util.Arrays;

/** A learned vector per token, {@code embedding.weight} [V, E]: a row gather forward, a scatter-add backward. */
final class Embedding {
    final Parameters.Tensor weight;
    final int vocab, size;
    private final Parameters params;
    private float[] out = new float[0];  // [T*B][E]

    Embedding(int vocab, int size, Parameters params) {
        this.vocab = vocab;
        this.size = size;
        this.params = params;
        this.weight = params.add("embedding.weight", vocab, size);
    }

    /** out[r, :] = W[tokens[r], :] for r in [0, rows). */
    float[] forward(int[] tokens, int rows) {
        if (out.length < rows * size) out = new float[rows * size];
        float[] w = params.values();
        for (int r = 0; r < rows; r++) System.arraycopy(w, weight.offset() + tokens[r] * size, out, r * size, size);
        return out;
    }

    /** dW[tokens[r], :] += dOut[r, :]. */
    void backward(int[] tokens, int rows, float[] dOut) {
        float[] g = params.grads();
        for (int r = 0; r < rows; r++) {
            int to = weight.offset() + tokens[r] * size, from = r * size;
            for (int j = 0; j < size; j++) g[to + j] += dOut[from + j];
        }
    }

    float[] lastOutput() {
        return out;
    }

    @Override
    public String toString() {
        return "Embedding" + Arrays.toString(weight.shape());
    }
}
