package dev.rnnlab.data;

import dev.rnnlab.Rng;

/**
 * One batch per epoch holding the whole corpus as {@code batchSize} contiguous streams (each
 * (len - 1) / batchSize tokens long): what full backpropagation through time runs on (D2L 8.7.1.1). The
 * offset is 0 every epoch and every epoch starts from a fresh state.
 */
public final class WholeStreamSampler implements SequenceSampler {
    private final int[] corpus;
    private final int batchSize, steps;

    /** The whole {@code corpus} as {@code batchSize} contiguous streams. */
    public WholeStreamSampler(int[] corpus, int batchSize) {
        SamplerShape.check(corpus.length, batchSize, 1);
        this.corpus = corpus;
        this.batchSize = batchSize;
        this.steps = (corpus.length - 1) / batchSize;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    /** The length of each stream. */
    @Override
    public int steps() {
        return steps;
    }

    @Override
    public boolean carriesState() {
        return false;
    }

    @Override
    public int batchesPerEpoch() {
        return 1;
    }

    @Override
    public Epoch epoch(Rng rng) {
        return new Epoch(0, 1, i -> {
            int[] inputs = new int[steps * batchSize], targets = new int[steps * batchSize];
            for (int b = 0; b < batchSize; b++) {
                int start = b * steps;
                for (int t = 0; t < steps; t++) {
                    inputs[t * batchSize + b] = corpus[start + t];
                    targets[t * batchSize + b] = corpus[start + t + 1];
                }
            }
            return new Batch(steps, batchSize, inputs, targets);
        });
    }
}
