package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.TokenSequence;

/** Checks shared by both samplers: positive sizes, and a corpus long enough for every offset. */
final class SamplerShape {
    private SamplerShape() {}

    static void check(long corpusLength, int batchSize, int steps) {
        if (batchSize <= 0) throw new RnnlabException("batch size must be positive, got " + batchSize);
        if (steps <= 0) throw new RnnlabException("number of steps must be positive, got " + steps);
        long need = minimumLength(batchSize, steps);
        if (corpusLength < need) {
            throw new RnnlabException("corpus of " + corpusLength + " tokens is too short for batch " + batchSize
                    + " x steps " + steps + ": need at least " + need
                    + " tokens (one batch plus room for the offset and the shifted targets); lower --batch or --steps");
        }
    }

    /** One row's tokens [start, start + steps] (inputs and the shifted targets) into column {@code b} of a batch. */
    static void fill(TokenSequence corpus, long start, int steps, int batchSize, int b, int[] row, int[] inputs, int[] targets) {
        corpus.copyTo(start, row, 0, steps + 1);
        for (int t = 0; t < steps; t++) {
            inputs[t * batchSize + b] = row[t];
            targets[t * batchSize + b] = row[t + 1];
        }
    }

    /** {@code count} as an int, or a one-line error naming what there are too many of. */
    static int countOf(long count, String what) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new RnnlabException(String.format(java.util.Locale.ROOT, "%,d %s per epoch is more than one epoch can"
                    + " index; raise --batch or --steps, or train on part of the corpus (--max-tokens)", count, what));
        }
        return (int) count;
    }

    /**
     * With offset up to steps - 1, one batch needs batch * steps inputs plus one target token after them:
     * (len - (steps - 1) - 1) >= batch * steps, that is len >= (batch + 1) * steps.
     */
    static long minimumLength(int batchSize, int steps) {
        return ((long) batchSize + 1) * steps;
    }
}
