package dev.rnnlab.run;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.generate.TokenSampler;
import java.util.List;
import java.util.Objects;

/**
 * What to generate: a prefix, how many tokens at most, how to choose each (greedy, sampling with
 * temperature, top-k and top-p, or beam search), the seed, stop strings, and a time limit. Built with
 * {@link #builder(String)}; every field is checked there, with a message naming it.
 *
 * @param prefix        the text to continue (read the model's way; at least one known token)
 * @param length        tokens to generate at most
 * @param temperature   0 for greedy (D2L's argmax), else sampling from softmax(logits / temperature)
 * @param topK          sample among the k most likely tokens only (0: all)
 * @param topP          then among the fewest whose probability reaches p (1: all)
 * @param seed          the sampler's seed: the same request gives the same text
 * @param stop          generation ends before the first of these strings (which is not returned)
 * @param beamWidth     above 1: beam search with this many hypotheses (D2L 9.8.3) instead of sampling
 * @param lengthPenalty beam search's alpha in log P / L^alpha (D2L 9.8.4)
 * @param timeLimitSeconds stop generating after this long (0: no limit)
 */
public record GenerationRequest(String prefix, int length, double temperature, int topK, double topP, long seed,
        List<String> stop, int beamWidth, double lengthPenalty, double timeLimitSeconds) {

    /** Checks every field. */
    public GenerationRequest {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) throw new RnnlabException("prefix must not be empty");
        if (length < 0) throw new RnnlabException("length must be >= 0, got " + length);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) throw new RnnlabException("temperature must be >= 0 (0 = greedy), got " + temperature);
        if (topK < 0) throw new RnnlabException("top_k must be >= 0 (0 = no limit), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new RnnlabException("top_p must be in (0, 1], got " + topP);
        stop = List.copyOf(stop);
        for (String s : stop) if (s.isEmpty()) throw new RnnlabException("stop strings must not be empty");
        if (beamWidth < 1) throw new RnnlabException("beam width must be >= 1 (1 = no beam search), got " + beamWidth);
        if (beamWidth > 1 && temperature > 0) throw new RnnlabException("beam search chooses the most probable text; give it no temperature");
        if (!(lengthPenalty >= 0) || Double.isInfinite(lengthPenalty)) throw new RnnlabException("length penalty must be >= 0, got " + lengthPenalty);
        if (!(timeLimitSeconds >= 0) || Double.isInfinite(timeLimitSeconds)) throw new RnnlabException("time limit must be >= 0 seconds, got " + timeLimitSeconds);
    }

    /** A greedy request for 100 tokens after {@code prefix}, to refine. */
    public static Builder builder(String prefix) {
        return new Builder(prefix);
    }

    /** The same request with another time limit (a server's deadline, less the time spent waiting). */
    public GenerationRequest withTimeLimitSeconds(double seconds) {
        return new GenerationRequest(prefix, length, temperature, topK, topP, seed, stop, beamWidth, lengthPenalty, seconds);
    }

    /** The token sampler this request asks for (greedy at temperature 0). */
    public TokenSampler sampler() {
        return temperature == 0 ? TokenSampler.greedy() : TokenSampler.sampling(temperature, topK, topP);
    }

    /** Builds a {@link GenerationRequest}; unset fields keep the defaults shown. */
    public static final class Builder {
        private final String prefix;
        private int length = 100, topK, beamWidth = 1;
        private double temperature, topP = 1, lengthPenalty = 0.75, timeLimitSeconds;
        private long seed;
        private List<String> stop = List.of();

        private Builder(String prefix) {
            this.prefix = prefix;
        }

        /** Tokens to generate at most (default 100). */
        public Builder length(int n) { length = n; return this; }

        /** Sampling temperature (default 0: greedy). */
        public Builder temperature(double t) { temperature = t; return this; }

        /** Top-k truncation (default 0: none). */
        public Builder topK(int k) { topK = k; return this; }

        /** Top-p (nucleus) truncation (default 1: none). */
        public Builder topP(double p) { topP = p; return this; }

        /** The sampler's seed (default 0). */
        public Builder seed(long s) { seed = s; return this; }

        /** Stop strings (default: none). */
        public Builder stop(List<String> strings) { stop = strings; return this; }

        /** Beam search with {@code width} hypotheses and length penalty {@code alpha} (D2L's 0.75 by default). */
        public Builder beam(int width, double alpha) { beamWidth = width; lengthPenalty = alpha; return this; }

        /** Stop after this many seconds (default 0: no limit). */
        public Builder timeLimitSeconds(double s) { timeLimitSeconds = s; return this; }

        /** The checked request. */
        public GenerationRequest build() {
            return new GenerationRequest(prefix, length, temperature, topK, topP, seed, stop, beamWidth, lengthPenalty, timeLimitSeconds);
        }
    }
}
