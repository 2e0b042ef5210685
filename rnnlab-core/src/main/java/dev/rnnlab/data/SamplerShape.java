package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;

/** Checks shared by both samplers: positive sizes, and a corpus long enough for every offset. */
final class SamplerShape {
    private SamplerShape() {}

    static void check(int corpusLength, int batchSize, int steps) {
        if (batchSize <= 0) throw new RnnlabException("batch size must be positive, got " + batchSize);
        if (steps <= 0) throw new RnnlabException("number of steps must be positive, got " + steps);
        long need = minimumLength(batchSize, steps);
        if (corpusLength < need) {
            throw new RnnlabException("corpus of " + corpusLength + " tokens is too short for batch " + batchSize
                    + " x steps " + steps + ": need at least " + need
                    + " tokens (one batch plus room for the offset and the shifted targets); lower --batch or --steps");
        }
    }

    /**
     * With offset up to steps - 1, one batch needs batch * steps inputs plus one target token after them:
     * (len - (steps - 1) - 1) >= batch * steps, that is len >= (batch + 1) * steps.
     */
    static long minimumLength(int batchSize, int steps) {
        return ((long) batchSize + 1) * steps;
    }
}
