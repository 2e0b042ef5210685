package dev.rnnlab.train;

import dev.rnnlab.text.TokenSequence;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.RecurrentState;

/**
 * Mean cross-entropy of a model on a token sequence, streamed: the sequence is cut into {@code batch}
 * contiguous streams read {@code steps} tokens at a time with the hidden state carried, so any length
 * runs in fixed memory and every token after the first of its stream is predicted from all its history
 * in that stream. The last partial chunk of each stream is evaluated too; only the final
 * {@code len mod batch} tokens are left out.
 */
public final class Evaluator {
    private Evaluator() {}

    /** The evaluated token count and the mean cross-entropy in nats over them. */
    public record Result(long tokens, double meanLoss) {
        /** The perplexity, exp(meanLoss). */
        public double perplexity() {
            return Math.exp(meanLoss);
        }

        /** The mean loss in bits per token. */
        public double bitsPerToken() {
            return meanLoss / Math.log(2);
        }
    }

    /** Evaluates {@code model} on {@code tokens} as {@code batch} streams read {@code steps} tokens at a time. */
    public static Result evaluate(LanguageModel model, int[] tokens, int batch, int steps) {
        return evaluate(model, TokenSequence.of(tokens), batch, steps);
    }

    /** As {@link #evaluate(LanguageModel, int[], int, int)}, for tokens in memory or a mapped token file. */
    public static Result evaluate(LanguageModel model, TokenSequence tokens, int batch, int steps) {
        long n = tokens.length();
        if (n < 2) throw new dev.rnnlab.RnnlabException("need at least 2 tokens to evaluate, got " + n);
        batch = (int) Math.max(1, Math.min(batch, (n - 1) / 2));
        long perStream = (n - 1) / batch;  // predictions per stream
        model.setTraining(false, null);
        RecurrentState state = model.zeroState(batch);
        int[] x = new int[steps * batch], y = new int[steps * batch], row = new int[steps + 1];
        double total = 0;
        long count = 0;
        for (long start = 0; start < perStream; start += steps) {
            int t = (int) Math.min(steps, perStream - start);
            for (int b = 0; b < batch; b++) {
                tokens.copyTo(b * perStream + start, row, 0, t + 1);
                for (int s = 0; s < t; s++) {
                    x[s * batch + b] = row[s];
                    y[s * batch + b] = row[s + 1];
                }
            }
            double loss = model.forward(x, y, t, batch, state);
            model.finalState(state);
            total += loss * t * batch;
            count += (long) t * batch;
        }
        return new Result(count, total / count);
    }
}
