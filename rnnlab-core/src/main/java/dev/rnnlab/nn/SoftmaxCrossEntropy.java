package dev.rnnlab.nn;

/**
 * Softmax and cross-entropy fused (D2L 4.1.2): per row, loss = logsumexp(z) - z_target computed with the
 * row maximum subtracted, so no exp overflows; the gradient (softmax(z) - onehot(target)) / N is written
 * in the same pass, one exp per logit. A negative target ({@link #IGNORE}) marks a position that carries no
 * loss: its row gets a zero gradient and it is not counted.
 */
final class SoftmaxCrossEntropy {
    static final int IGNORE = -1;

    private SoftmaxCrossEntropy() {}

    /** How many of the first {@code rows} targets carry loss. */
    static int counted(int[] targets, int rows) {
        int n = 0;
        for (int r = 0; r < rows; r++) if (targets[r] >= 0) n++;
        return n;
    }

    /**
     * Returns the summed loss over {@code rows} rows (in double). When {@code grad} is non-null it receives
     * dL/dz for the mean loss, i.e. divided by {@code normalizer}.
     */
    static double forward(float[] logits, int[] targets, int rows, int vocab, float[] grad, int normalizer) {
        double total = 0;
        float invN = 1f / normalizer;
        for (int r = 0; r < rows; r++) {
            int p = r * vocab;
            if (targets[r] < 0) {
                if (grad != null) java.util.Arrays.fill(grad, p, p + vocab, 0f);
                continue;
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < vocab; j++) max = Math.max(max, logits[p + j]);
            double sum = 0;
            if (grad != null) {
                for (int j = 0; j < vocab; j++) {
                    float e = (float) Math.exp(logits[p + j] - max);
                    grad[p + j] = e;
                    sum += e;
                }
                float scale = (float) (invN / sum);
                for (int j = 0; j < vocab; j++) grad[p + j] *= scale;
                grad[p + targets[r]] -= invN;
            } else {
                for (int j = 0; j < vocab; j++) sum += Math.exp(logits[p + j] - max);
            }
            total += max + Math.log(sum) - logits[p + targets[r]];
        }
        return total;
    }
}
