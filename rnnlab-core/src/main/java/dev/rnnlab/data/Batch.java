package dev.rnnlab.data;

/**
 * One mini-batch, time-major: {@code inputs[t * batchSize + b]} is the token of stream b at step t, and
 * {@code targets} at the same place is the corpus token that follows it.
 */
public record Batch(int steps, int batchSize, int[] inputs, int[] targets) {
    /** Checks that {@code inputs} and {@code targets} each hold {@code steps * batchSize} tokens. */
    public Batch {
        if (inputs.length != steps * batchSize || targets.length != steps * batchSize) {
            throw new IllegalArgumentException("batch of " + steps + " x " + batchSize + " needs "
                    + steps * batchSize + " inputs and targets, got " + inputs.length + " and " + targets.length);
        }
    }

    /** Token of stream {@code b} at step {@code t}. */
    public int input(int t, int b) {
        return inputs[t * batchSize + b];
    }

    /** Target (next token) of stream {@code b} at step {@code t}. */
    public int target(int t, int b) {
        return targets[t * batchSize + b];
    }
}
