package dev.rnnlab.lm;

/**
 * How well a model predicted a token stream: {@code tokens} predictions, {@code unknown} of them of
 * {@code <unk>} (held-out tokens outside the training vocabulary), and the summed negative log-likelihood
 * in nats. Perplexity is exp(mean nats), D2L (8.4.10).
 */
public record CrossEntropy(long tokens, long unknown, double totalNats) {
    /** The mean negative log-likelihood per token, in nats. */
    public double meanNats() {
        return totalNats / tokens;
    }

    /** The perplexity, exp(mean nats), D2L (8.4.10). */
    public double perplexity() {
        return Math.exp(meanNats());
    }

    /** The mean negative log-likelihood per token, in bits. */
    public double bitsPerToken() {
        return meanNats() / Math.log(2);
    }
}
