package dev.rnnlab.generate;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;

/** Picks the next token from a row of logits. */
public interface TokenSampler {
    /** The token chosen from {@code logits[off .. off + vocab)}. */
    int next(float[] logits, int off, int vocab, Rng rng);

    /** One line naming the sampling rule and its settings, for logs. */
    String describe();

    /** D2L's choice: the most likely token (ties to the lowest index). */
    static TokenSampler greedy() {
        return new TokenSampler() {
            @Override
            public int next(float[] logits, int off, int vocab, Rng rng) {
                int best = 0;
                for (int j = 1; j < vocab; j++) if (logits[off + j] > logits[off + best]) best = j;
                return best;
            }

            @Override
            public String describe() {
                return "greedy";
            }
        };
    }

    /**
     * Sampling from softmax(logits / temperature), restricted to the {@code topK} most likely tokens
     * (0 = all) and then to the smallest set whose probability reaches {@code topP} (1 = all).
     */
    static TokenSampler sampling(double temperature, int topK, double topP) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) throw new RnnlabException("temperature must be > 0, got " + temperature);
        if (topK < 0) throw new RnnlabException("top-k must be >= 0 (0 = no limit), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new RnnlabException("top-p must be in (0, 1], got " + topP);
        return new CategoricalSampler(temperature, topK, topP);
    }
}
