package dev.rnnlab.generate;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;
import java.util.Arrays;

/**
 * A batch-1 hidden state that text can be fed into and tokens drawn from, turn after turn: the state after
 * one turn's output is where the next turn's input continues (an interactive session, or one generation).
 * The last token fed is held back until something is drawn, so that drawing always runs the model on it
 * and reads the logits of the next position (D2L 8.5.4's warm-up, then one step per token).
 */
public final class GenerationSession {
    private final LanguageModel model;
    private final RecurrentState state;
    private final int[] one = new int[1];
    private int pending = -1;  // the last token fed or drawn, not yet run through the model

    /** A session over {@code model} from a zero state; the model must not be bidirectional. */
    public GenerationSession(LanguageModel model) {
        if (model.config().bidirectional()) {
            throw new RnnlabException("a bidirectional model cannot generate: its reverse direction reads the tokens after"
                    + " the one being predicted, which do not exist yet; use it for evaluation only");
        }
        this.model = model;
        model.setTraining(false, null);
        this.state = model.zeroState(1);
    }

    /** Appends {@code tokens} to the context: all but the last are run through the model now, in one call. */
    public void feed(int[] tokens) {
        if (tokens.length == 0) return;
        int[] all = tokens;
        if (pending >= 0) {
            all = new int[tokens.length + 1];
            all[0] = pending;
            System.arraycopy(tokens, 0, all, 1, tokens.length);
        }
        if (all.length > 1) {
            model.forward(Arrays.copyOf(all, all.length - 1), null, all.length - 1, 1, state);
            model.finalState(state);
        }
        pending = all[all.length - 1];
    }

    /** Whether anything has been fed, so that a token can be drawn. */
    public boolean hasContext() {
        return pending >= 0;
    }

    /** Runs the model on the last token and returns its logits for the next one (length: the vocabulary). */
    public float[] advance() {
        if (pending < 0) throw new RnnlabException("generation needs a prefix of at least one token");
        one[0] = pending;
        model.forward(one, null, 1, 1, state);
        model.finalState(state);
        pending = -1;
        return model.logits();
    }

    /** Draws the next token with {@code sampler}; it becomes the context's last token. */
    public int next(TokenSampler sampler, Rng rng) {
        float[] logits = advance();
        pending = sampler.next(logits, 0, model.config().vocab(), rng);
        return pending;
    }

    /** Takes {@code other}'s state and last token (beam search branches a hypothesis this way). */
    void copyFrom(GenerationSession other) {
        state.copyFrom(other.state);
        pending = other.pending;
    }

    /** Makes {@code token} the context's last token without running the model (a branch's choice). */
    void choose(int token) {
        pending = token;
    }

    /** Forgets the context: back to a zero state. */
    public void reset() {
        state.fill(0f);
        pending = -1;
    }
}
