package dev.rnnlab.data;

import dev.rnnlab.Rng;

/**
 * D2L 8.3.4.1's {@code seq_data_iter_random}: from a random offset in [0, steps), cut the corpus into
 * non-overlapping subsequences of {@code steps} tokens, shuffle them, and group them into batches. Adjacent
 * batches are unrelated, so the hidden state starts afresh for each.
 */
public final class RandomSampler implements SequenceSampler {
    private final int[] corpus;
    private final int batchSize;
    private final int steps;

    /** Samples {@code corpus} (not copied: do not change it while sampling). */
    public RandomSampler(int[] corpus, int batchSize, int steps) {
        SamplerShape.check(corpus.length, batchSize, steps);
        this.corpus = corpus;
        this.batchSize = batchSize;
        this.steps = steps;
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
        return (corpus.length - offset - 1) / steps / batchSize;
    }

    @Override
    public Epoch epoch(Rng rng) {
        int offset = rng.nextInt(steps);
        int subsequences = (corpus.length - offset - 1) / steps;
        int[] starts = new int[subsequences];
        for (int i = 0; i < subsequences; i++) starts[i] = offset + i * steps;
        rng.shuffle(starts);
        return new Epoch(offset, subsequences / batchSize, i -> {
            int[] inputs = new int[steps * batchSize];
            int[] targets = new int[steps * batchSize];
            for (int b = 0; b < batchSize; b++) {
                int start = starts[i * batchSize + b];
                for (int t = 0; t < steps; t++) {
                    inputs[t * batchSize + b] = corpus[start + t];
                    targets[t * batchSize + b] = corpus[start + t + 1];
                }
            }
            return new Batch(steps, batchSize, inputs, targets);
        });
    }
}
