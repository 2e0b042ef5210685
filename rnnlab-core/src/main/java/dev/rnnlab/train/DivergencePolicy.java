package dev.rnnlab.train;

import dev.rnnlab.RnnlabException;
import java.util.Locale;

/**
 * When a run counts as diverged: a loss or gradient norm that is NaN or infinite, weights that are, or a
 * finite loss far above what guessing gets. A model that predicts every token with probability 1/V has a
 * cross-entropy of ln V nats, and a freshly initialised model starts near it; a loss several times that
 * (the default: 4 x ln V, e.g. 13.3 nats for 28 characters, 33.7 for 4,580 words) means the updates blew
 * the weights up, as with a learning rate of 1e4 and no clipping, and no later epoch will bring it back.
 *
 * @param uniformMultiple how many times the uniform loss ln V a batch's mean loss may reach
 */
public record DivergencePolicy(double uniformMultiple) {
    /** 4 x the uniform loss. */
    public static final DivergencePolicy DEFAULT = new DivergencePolicy(4);

    /** Checks that {@code uniformMultiple} is finite and above 1. */
    public DivergencePolicy {
        if (!(uniformMultiple > 1) || Double.isInfinite(uniformMultiple)) {
            throw new RnnlabException("the divergence limit must be a finite multiple > 1 of the uniform loss, got " + uniformMultiple);
        }
    }

    /** The largest mean cross-entropy (nats per token) a healthy model over {@code vocab} tokens shows. */
    public double lossLimit(int vocab) {
        return uniformMultiple * Math.log(Math.max(vocab, 2));
    }

    /** Null when {@code loss} is healthy, else what is wrong with it, in words. */
    public String problemWith(double loss, int vocab) {
        if (Double.isNaN(loss)) return "the loss became NaN";
        if (Double.isInfinite(loss)) return "the loss became infinite";
        if (loss > lossLimit(vocab)) {
            return String.format(Locale.ROOT, "the loss reached %.4g nats per token, more than %.0f x the %.2f of a uniform guess"
                    + " over %,d tokens", loss, uniformMultiple, Math.log(Math.max(vocab, 2)), vocab);
        }
        return null;
    }
}
