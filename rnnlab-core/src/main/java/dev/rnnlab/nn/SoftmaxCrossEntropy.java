package dev.rnnlab.nn;

import dev.rnnlab.tensor.WorkerTeam;

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
        for (int r = 0; r < rows; r++) total += row(logits, targets, r, vocab, grad, 1f / normalizer);
        return total;
    }

    /** Fewer logits than this (about a millisecond of exps) and the rows are not split between threads. */
    static final int MIN_SPLIT_LOGITS = 1 << 17;

    /**
     * As {@link #forward(float[], int[], int, int, float[], int)}, with the rows cut between {@code team}'s
     * threads when there are enough of them (a word model: 1,120 rows of 4,580 logits, one exp each). Each
     * row's loss goes to {@code rowLoss} and the rows are summed in order after, so the result is the same,
     * bit for bit, as on one thread. {@code team} may be null.
     */
    static double forward(float[] logits, int[] targets, int rows, int vocab, float[] grad, int normalizer,
                          WorkerTeam team, double[] rowLoss) {
        if (team == null || (long) rows * vocab < MIN_SPLIT_LOGITS || rows < team.size()) {
            return forward(logits, targets, rows, vocab, grad, normalizer);
        }
        float invN = 1f / normalizer;
        boolean split = team.tryRun(part -> {
            for (int r = WorkerTeam.start(part, team.size(), rows), end = WorkerTeam.start(part + 1, team.size(), rows); r < end; r++) {
                rowLoss[r] = row(logits, targets, r, vocab, grad, invN);
            }
        });
        if (!split) return forward(logits, targets, rows, vocab, grad, normalizer);
        double total = 0;
        for (int r = 0; r < rows; r++) total += rowLoss[r];
        return total;
    }

    /** Row r's loss (0 for an ignored target), and its gradient into {@code grad} when non-null. */
    private static double row(float[] logits, int[] targets, int r, int vocab, float[] grad, float invN) {
        int p = r * vocab;
        if (targets[r] < 0) {
            if (grad != null) java.util.Arrays.fill(grad, p, p + vocab, 0f);
            return 0;
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
        return max + Math.log(sum) - logits[p + targets[r]];
    }
}
