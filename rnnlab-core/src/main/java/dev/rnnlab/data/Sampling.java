package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.TokenSequence;
import java.util.Locale;

/**
 * How a token sequence becomes mini-batches, and the factory for each: D2L 8.3.4's two samplers, and the
 * whole-stream batch full backpropagation through time needs.
 */
public enum Sampling {
    /** {@link SequentialPartitioner}: row b of each batch continues row b of the previous one (state carried). */
    SEQUENTIAL,
    /** {@link RandomSampler}: independent subsequences in random order (state reset per batch). */
    RANDOM,
    /** {@link WholeStreamSampler}: one batch per epoch, each row a whole contiguous stream ({@code steps} unused). */
    WHOLE_STREAM;

    /** A sampler of this kind over {@code tokens}; checks that the tokens fill at least one batch. */
    public SequenceSampler over(int[] tokens, int batchSize, int steps) {
        return over(TokenSequence.of(tokens), batchSize, steps);
    }

    /** A sampler of this kind over {@code tokens}, in memory or a mapped token file. */
    public SequenceSampler over(TokenSequence tokens, int batchSize, int steps) {
        return switch (this) {
            case SEQUENTIAL -> new SequentialPartitioner(tokens, batchSize, steps);
            case RANDOM -> new RandomSampler(tokens, batchSize, steps);
            case WHOLE_STREAM -> new WholeStreamSampler(tokens, batchSize);
        };
    }

    /** The lower-case name the command line and JSON use: sequential, random, whole_stream. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "sequential", "random" or "whole_stream" (any case). */
    public static Sampling parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RnnlabException("unknown sampling '" + s + "': use sequential or random");
        }
    }
}
