package dev.rnnlab.data;

import dev.rnnlab.Rng;

/**
 * D2L 8.3.4.2's {@code seq_data_iter_sequential}: from a random offset in [0, steps), lay the corpus out as
 * {@code batchSize} rows of equal length, {@code num_tokens = ((len - offset - 1) // batch) * batch}, and
 * let batch i take columns [i * steps, (i + 1) * steps). Row b of batch i + 1 continues where row b of
 * batch i ended, so the trainer carries the hidden state across batches. (D2L draws this offset from
 * [0, num_steps] inclusive; rnnlab uses [0, steps) for both samplers, which covers the same phases.)
 */
public final class SequentialPartitioner implements SequenceSampler {
    private final int[] corpus;
    private final int batchSize;
    private final int steps;

    /** Partitions {@code corpus} (not copied: do not change it while sampling). */
    public SequentialPartitioner(int[] corpus, int batchSize, int steps) {
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
        return true;
    }

    @Override
    public int batchesPerEpoch() {
        return rowLength(steps - 1) / steps;
    }

    private int rowLength(int offset) {
        return (corpus.length - offset - 1) / batchSize;
    }

    @Override
    public Epoch epoch(Rng rng) {
        int offset = rng.nextInt(steps);
        int rowLength = rowLength(offset);
        return new Epoch(offset, rowLength / steps, i -> {
            int[] inputs = new int[steps * batchSize];
            int[] targets = new int[steps * batchSize];
            for (int b = 0; b < batchSize; b++) {
                int rowStart = offset + b * rowLength + i * steps; // Xs.reshape(batch, -1)[b, i*steps]
                for (int t = 0; t < steps; t++) {
                    inputs[t * batchSize + b] = corpus[rowStart + t];
                    targets[t * batchSize + b] = corpus[rowStart + t + 1];
                }
            }
            return new Batch(steps, batchSize, inputs, targets);
        });
    }
}
