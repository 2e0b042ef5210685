package dev.rnnlab.generate;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;
import java.util.function.IntConsumer;

/** D2L 8.5.4's predict: warm-up on the prefix, then n tokens, each streamed to a consumer as it is chosen. */
public final class Generator {
    private final LanguageModel model;
    private final int[] one = new int[1];

    /** A generator over {@code model}, which must not be bidirectional. */
    public Generator(LanguageModel model) {
        if (model.config().bidirectional()) {
            throw new RnnlabException("a bidirectional model cannot generate: its reverse direction reads the tokens after"
                    + " the one being predicted, which do not exist yet; use it for evaluation only");
        }
        this.model = model;
    }

    /**
     * Feeds {@code prefix} (at least one token) without emitting anything, then generates {@code n} tokens,
     * passing each to {@code emit}. Returns the generated tokens.
     */
    public int[] generate(int[] prefix, int n, TokenSampler sampler, Rng rng, IntConsumer emit) {
        if (prefix.length == 0) throw new RnnlabException("generation needs a prefix of at least one token");
        if (n < 0) throw new RnnlabException("number of tokens to generate must be >= 0, got " + n);
        model.setTraining(false, null);
        RecurrentState state = model.zeroState(1);
        // warm-up: run the prefix but its last token, keeping only the state (D2L: "warm-up period")
        if (prefix.length > 1) {
            model.forward(prefix, null, prefix.length - 1, 1, state);
            model.finalState(state);
        }
        int vocab = model.config().vocab();
        int[] out = new int[n];
        int input = prefix[prefix.length - 1];
        for (int i = 0; i < n; i++) {
            one[0] = input;
            model.forward(one, null, 1, 1, state);
            model.finalState(state);
            input = sampler.next(model.logits(), 0, vocab, rng);
            out[i] = input;
            if (emit != null) emit.accept(input);
        }
        return out;
    }
}
