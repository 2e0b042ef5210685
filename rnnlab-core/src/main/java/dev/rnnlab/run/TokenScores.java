package dev.rnnlab.run;

import java.util.List;

/**
 * How probable a model finds each token of a text: for token i >= 1, the natural log of its probability
 * given tokens 0 .. i-1 (the first token has no history and is not scored).
 *
 * @param tokens   the text's tokens as the model reads them ({@code <unk>} for unknown ones)
 * @param logProbs {@code logProbs[i - 1]} for token i, so one fewer than the tokens
 */
public record TokenScores(List<String> tokens, double[] logProbs) {
    /** Mean negative log probability per scored token, in nats. */
    public double meanLoss() {
        double sum = 0;
        for (double lp : logProbs) sum -= lp;
        return sum / logProbs.length;
    }

    /** exp(mean loss). */
    public double perplexity() {
        return Math.exp(meanLoss());
    }

    /** Mean loss in bits per token. */
    public double bitsPerToken() {
        return meanLoss() / Math.log(2);
    }
}
