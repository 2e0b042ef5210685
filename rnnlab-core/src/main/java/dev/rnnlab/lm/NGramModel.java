package dev.rnnlab.lm;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.Vocabulary;

/**
 * A language model that predicts a token from the previous order-1 tokens (D2L 8.3.3), over the token
 * indices of {@link #vocabulary()}. Every implementation is a proper distribution: for any history the
 * probabilities of all V tokens sum to 1 and none is 0.
 */
public interface NGramModel {
    /** n: the longest n-gram the model uses (history of n-1 tokens). */
    int order();

    /** The vocabulary whose token indices the model reads and predicts. */
    Vocabulary vocabulary();

    /** P(next | tokens[from, to)), of which only the last order-1 tokens matter. */
    double probability(int[] tokens, int from, int to, int next);

    /** The same model as explicit probabilities and backoff weights, the form ARPA files store. */
    BackoffModel toBackoff();

    /** One line for logs and the sidecar, e.g. "3-gram, interpolated modified Kneser-Ney, D = ...". */
    String describe();

    /** P(next | history). */
    default double probability(int[] history, int next) {
        return probability(history, 0, history.length, next);
    }

    /** P(w | tokens[from, to)) for every w in the vocabulary. */
    default double[] distribution(int[] tokens, int from, int to) {
        int v = vocabulary().size();
        double[] p = new double[v];
        for (int w = 0; w < v; w++) p[w] = probability(tokens, from, to, w);
        return p;
    }

    /**
     * The cross-entropy of the model on a token stream: every token is predicted from the up to order-1
     * tokens before it in the same stream (the first from none), so all of them count.
     */
    default CrossEntropy crossEntropy(int[] tokens) {
        int n = order();
        double nats = 0;
        long unknown = 0;
        for (int i = 0; i < tokens.length; i++) {
            double p = probability(tokens, Math.max(0, i - n + 1), i, tokens[i]);
            nats -= Math.log(p);
            if (tokens[i] == 0) unknown++;
        }
        return new CrossEntropy(tokens.length, unknown, nats);
    }

    /**
     * {@code count} tokens drawn one at a time from P(w | history), the history starting as {@code prefix}
     * and growing with each draw. Returns only the new tokens.
     */
    default int[] sample(int[] prefix, int count, Rng rng) {
        if (count < 0) throw new RnnlabException("number of tokens to sample must be 0 or more, got " + count);
        int n = order();
        int[] all = new int[prefix.length + count];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        for (int i = prefix.length; i < all.length; i++) {
            double[] p = distribution(all, Math.max(0, i - n + 1), i);
            all[i] = rng.categorical(p);
        }
        return java.util.Arrays.copyOfRange(all, prefix.length, all.length);
    }
}
