package dev.rnnlab.data;

import dev.rnnlab.Rng;
import dev.rnnlab.text.TokenSequence;

/**
 * D2L 8.3.4.1's {@code seq_data_iter_random}: from a random offset in [0, steps), cut the corpus into
 * non-overlapping subsequences of {@code steps} tokens, shuffle them, and group them into batches. Adjacent
 * batches are unrelated, so the hidden state starts afresh for each.
 */
public final class RandomSampler implements SequenceSampler {
    private final TokenSequence corpus;
    private final int batchSize;
    private final int steps;

    /** Samples {@code corpus} (not copied: do not change it while sampling). */
    public RandomSampler(int[] corpus, int batchSize, int steps) {
        this(TokenSequence.of(corpus), batchSize, steps);
    }

    /**
     * Samples {@code corpus}, in memory or a mapped token file. The shuffled order is one int per
     * subsequence (4 / steps bytes per token), so at most 2^31 subsequences per epoch.
     */
    public RandomSampler(TokenSequence corpus, int batchSize, int steps) {
        SamplerShape.check(corpus.length(), batchSize, steps);
        this.corpus = corpus;
        this.batchSize = batchSize;
        this.steps = steps;
        SamplerShape.countOf((corpus.length() - 1) / steps, "subsequences");
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

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
        return batchesAt(steps - 1);
    }

    private int batchesAt(int offset) {
        // num_subseqs = (len(corpus) - 1) // num_steps after dropping the offset; num_batches = num_subseqs // batch
        return (int) ((corpus.length() - offset - 1) / steps / batchSize);
    }

    @Override
    public Epoch epoch(Rng rng) {
        int offset = rng.nextInt(steps);
        int subsequences = (int) ((corpus.length() - offset - 1) / steps);
        // subsequence numbers, not offsets, so that an int suffices beyond 2^31 tokens; shuffled alike
        int[] order = new int[subsequences];
        for (int i = 0; i < subsequences; i++) order[i] = i;
        rng.shuffle(order);
        return new Epoch(offset, subsequences / batchSize, i -> {
            int[] inputs = new int[steps * batchSize];
            int[] targets = new int[steps * batchSize];
            int[] row = new int[steps + 1];
            for (int b = 0; b < batchSize; b++) {
                long start = offset + (long) order[i * batchSize + b] * steps;
                SamplerShape.fill(corpus, start, steps, batchSize, b, row, inputs, targets);
            }
            return new Batch(steps, batchSize, inputs, targets);
        });
    }
}
