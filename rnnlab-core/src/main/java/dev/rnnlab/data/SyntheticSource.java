package dev.rnnlab.data;

import dev.rnnlab.Rng;
import java.util.Map;

/**
 * A random text process whose entropy rate is known exactly, so a model's loss on it can be compared with
 * the best any model can do. Tokens are single characters.
 */
public interface SyntheticSource {
    /** What kind of process this is ({@code markov}, {@code recall}), as written to the sidecar JSON. */
    String kind();

    /** The parameters that, with the seed, determine the process. */
    Map<String, Object> parameters();

    /** Entropy rate in nats per token: the lowest expected log-loss per token of any predictor. */
    double entropyRateNats();

    /** Entropy rate in bits per token. */
    default double entropyRateBits() {
        return entropyRateNats() / Math.log(2);
    }

    /** A sample of {@code length} characters, drawn from {@code rng}. */
    String generate(int length, Rng rng);

    /**
     * Mean negative log-likelihood in nats per token that the true process assigns to {@code text}, over the
     * tokens it can predict (a Markov chain of order k skips the first k). Its expectation on a long
     * sample is the entropy rate.
     */
    double meanLogLoss(String text);
}
