package dev.rnnlab.generate;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.LanguageModel;
import java.util.function.IntConsumer;

/** D2L 8.5.4's predict: warm-up on the prefix, then n tokens, each streamed to a consumer as it is chosen. */
public final class Generator {
    private final LanguageModel model;

    /** A generator over {@code model}, which must not be bidirectional. */
    public Generator(LanguageModel model) {
        new GenerationSession(model);  // checks the model can generate
        this.model = model;
    }

    /**
     * Feeds {@code prefix} (at least one token) without emitting anything, then generates {@code n} tokens,
     * passing each to {@code emit}. Returns the generated tokens.
     */
    public int[] generate(int[] prefix, int n, TokenSampler sampler, Rng rng, IntConsumer emit) {
        if (prefix.length == 0) throw new RnnlabException("generation needs a prefix of at least one token");
        if (n < 0) throw new RnnlabException("number of tokens to generate must be >= 0, got " + n);
        GenerationSession session = new GenerationSession(model);
        session.feed(prefix);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = session.next(sampler, rng);
            if (emit != null) emit.accept(out[i]);
        }
        return out;
    }
}
