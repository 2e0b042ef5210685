package dev.rnnlab.data;

import dev.rnnlab.Rng;

/**
 * Cuts a token sequence into mini-batches of {@code batchSize} subsequences of {@code steps} tokens, one
 * epoch at a time (D2L 8.3.4).
 */
public interface SequenceSampler {
    /** The number of streams per mini-batch. */
    int batchSize();

    /** The number of time steps per mini-batch. */
    int steps();

    /**
     * Whether row b of each batch continues row b of the previous one, so the trainer should carry the
     * hidden state across batches instead of resetting it.
     */
    boolean carriesState();

    /** One epoch: draws its offset in [0, steps) from {@code rng}, then yields its batches. */
    Epoch epoch(Rng rng);

    /**
     * The number of batches every epoch yields at least; an epoch's own count depends on its offset
     * ({@link Epoch#batches()}) and is this or one more.
     */
    int batchesPerEpoch();
}
