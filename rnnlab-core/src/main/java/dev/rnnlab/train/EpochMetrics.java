package dev.rnnlab.train;

/**
 * What one epoch measured. Perplexity is exp(mean cross-entropy) (D2L 8.4.4); bits per token is the
 * mean cross-entropy / ln 2; gradient norms are before clipping; validation fields are NaN without a
 * validation split.
 */
public record EpochMetrics(int epoch, int epochs, long tokens, double seconds, double trainLoss, double gradNormMean,
                           double gradNormMax, double clippedFraction, double learningRate, double validationLoss,
                           int bestEpoch) {
    public double trainPerplexity() {
        return Math.exp(trainLoss);
    }

    public double bitsPerToken() {
        return trainLoss / Math.log(2);
    }

    public double tokensPerSecond() {
        return tokens / Math.max(seconds, 1e-9);
    }

    public double validationPerplexity() {
        return Math.exp(validationLoss);
    }

    public double validationBitsPerToken() {
        return validationLoss / Math.log(2);
    }

    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }
}
