package dev.rnnlab.train;

/**
 * What one epoch measured. Perplexity is exp(mean cross-entropy) (D2L 8.4.4); bits per token is the
 * mean cross-entropy / ln 2; gradient norms are before clipping; validation fields are NaN without a
 * validation split.
 */
public record EpochMetrics(int epoch, int epochs, long tokens, double seconds, double trainLoss, double gradNormMean,
                           double gradNormMax, double clippedFraction, double learningRate, double validationLoss,
                           int bestEpoch) {
    /** The training perplexity, exp(trainLoss) (D2L 8.4.4). */
    public double trainPerplexity() {
        return Math.exp(trainLoss);
    }

    /** The training loss in bits per token. */
    public double bitsPerToken() {
        return trainLoss / Math.log(2);
    }

    /** Training throughput: tokens per second of the epoch. */
    public double tokensPerSecond() {
        return tokens / Math.max(seconds, 1e-9);
    }

    /** The validation perplexity, exp(validationLoss); NaN without a validation split. */
    public double validationPerplexity() {
        return Math.exp(validationLoss);
    }

    /** The validation loss in bits per token; NaN without a validation split. */
    public double validationBitsPerToken() {
        return validationLoss / Math.log(2);
    }

    /** Whether the epoch was validated (validationLoss is not NaN). */
    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }
}
