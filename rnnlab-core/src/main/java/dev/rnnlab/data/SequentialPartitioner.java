package dev.rnnlab.data;

import dev.rnnlab.Rng;
import dev.rnnlab.text.TokenSequence;

/**
 * D2L 8.3.4.2's {@code seq_data_iter_sequential}: from a random offset in [0, steps), lay the corpus out as
 * {@code batchSize} rows of equal length, {@code num_tokens = ((len - offset - 1) // batch) * batch}, and
 * let batch i take columns [i * steps, (i + 1) * steps). Row b of batch i + 1 continues where row b of
 * batch i ended, so the trainer carries the hidden state across batches. (D2L draws this offset from
 * [0, num_steps] inclusive; rnnlab uses [0, steps) for both samplers, which covers the same phases.)
 */
public final class SequentialPartitioner implements SequenceSampler {
    private final TokenSequence corpus;
    private final int batchSize;
    private final int steps;

    /** Partitions {@code corpus} (not copied: do not change it while sampling). */
    public SequentialPartitioner(int[] corpus, int batchSize, int steps) {
        this(TokenSequence.of(corpus), batchSize, steps);
    }

    /** Partitions {@code corpus}, in memory or a mapped token file, with 64-bit offsets. */
    public SequentialPartitioner(TokenSequence corpus, int batchSize, int steps) {
        SamplerShape.check(corpus.length(), batchSize, steps);
        this.corpus = corpus;
        this.batchSize = batchSize;
        this.steps = steps;
        SamplerShape.countOf(rowLength(0) / steps, "batches");
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
        return (int) (rowLength(steps - 1) / steps);
    }

    private long rowLength(int offset) {
        return (corpus.length() - offset - 1) / batchSize;
    }

    @Override
    public Epoch epoch(Rng rng) {
        int offset = rng.nextInt(steps);
        long rowLength = rowLength(offset);
        return new Epoch(offset, (int) (rowLength / steps), i -> {
            int[] inputs = new int[steps * batchSize];
            int[] targets = new int[steps * batchSize];
            int[] row = new int[steps + 1];
            for (int b = 0; b < batchSize; b++) {
                long rowStart = offset + b * rowLength + (long) i * steps; // Xs.reshape(batch, -1)[b, i*steps]
                SamplerShape.fill(corpus, rowStart, steps, batchSize, b, row, inputs, targets);
            }
            return new Batch(steps, batchSize, inputs, targets);
        });
    }
}
