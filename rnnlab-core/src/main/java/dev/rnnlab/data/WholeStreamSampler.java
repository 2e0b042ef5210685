package dev.rnnlab.data;

import dev.rnnlab.Rng;
import dev.rnnlab.text.TokenSequence;

/**
 * One batch per epoch holding the whole corpus as {@code batchSize} contiguous streams (each
 * (len - 1) / batchSize tokens long): what full backpropagation through time runs on (D2L 8.7.1.1). The
 * offset is 0 every epoch and every epoch starts from a fresh state.
 */
public final class WholeStreamSampler implements SequenceSampler {
    private final TokenSequence corpus;
    private final int batchSize, steps;

    /** The whole {@code corpus} as {@code batchSize} contiguous streams. */
    public WholeStreamSampler(int[] corpus, int batchSize) {
        this(TokenSequence.of(corpus), batchSize);
    }

    /** The whole {@code corpus} as {@code batchSize} contiguous streams; one batch must fit in memory. */
    public WholeStreamSampler(TokenSequence corpus, int batchSize) {
        SamplerShape.check(corpus.length(), batchSize, 1);
        this.corpus = corpus;
        this.batchSize = batchSize;
        this.steps = SamplerShape.countOf((corpus.length() - 1) / batchSize * batchSize, "tokens in the one batch") / batchSize;
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
            int[] row = new int[steps + 1];
            for (int b = 0; b < batchSize; b++) SamplerShape.fill(corpus, (long) b * steps, steps, batchSize, b, row, inputs, targets);
            return new Batch(steps, batchSize, inputs, targets);
        });
    }
}
