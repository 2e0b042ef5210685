package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.TokenSequence;
import java.util.Arrays;
import java.util.Locale;

/**
 * Contiguous train/validation/test fractions of a corpus, taken in order as char-rnn ({@code 0.95,0.05,0})
 * and nanoGPT ({@code 0.9,0.1}) do. Part boundaries are {@code floor(n * cumulative fraction)}, and when
 * the fractions sum to 1 the last non-empty part runs to the end. The training part is never empty: a
 * zero fraction is rejected, and so is a cut that leaves it fewer than {@link #MIN_TRAINING_TOKENS} tokens.
 */
public record Split(double train, double validation, double test) {
    private static final double ROUNDING = 1e-9;
    /** A token to read and the next one to predict: the least a model can train on. */
    public static final int MIN_TRAINING_TOKENS = 2;

    /** Checks that each fraction is in [0, 1], the training one above 0, and that they sum to at most 1. */
    public Split {
        check("train", train);
        check("validation", validation);
        check("test", test);
        if (train == 0) {
            throw new RnnlabException("split " + train + "," + validation + "," + test + " has an empty training part;"
                    + " give it a fraction above 0, e.g. 0.9,0.1 trains on the first 90% and validates on the rest");
        }
        if (train + validation + test > 1 + ROUNDING) {
            throw new RnnlabException("split fractions " + train + "," + validation + "," + test + " sum to "
                    + (train + validation + test) + ", more than 1");
        }
    }

    private static void check(String part, double f) {
        if (!(f >= 0 && f <= 1)) throw new RnnlabException("split " + part + " fraction must be in [0, 1], got " + f);
    }

    /** The split with these fractions, as the constructor makes it. */
    public static Split of(double train, double validation, double test) {
        return new Split(train, validation, test);
    }

    /** Parses {@code --split} text: {@code train,validation[,test]}, e.g. {@code 0.95,0.05,0} or {@code 0.9,0.1}. */
    public static Split parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length < 1 || parts.length > 3) {
            throw new RnnlabException("cannot read split '" + text + "': give train,validation[,test] fractions, "
                    + "e.g. 0.9,0.1");
        }
        double[] f = new double[3];
        for (int i = 0; i < parts.length; i++) {
            try {
                f[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new RnnlabException("cannot read split '" + text + "': '" + parts[i].strip()
                        + "' is not a number; give train,validation[,test] fractions, e.g. 0.9,0.1");
            }
        }
        return new Split(f[0], f[1], f[2]);
    }

    /** The three parts of {@code tokens}, as copies; a training part under two tokens is an error. */
    public Parts apply(int[] tokens) {
        long[] b = bounds(tokens.length);
        return new Parts(Arrays.copyOfRange(tokens, 0, (int) b[0]), Arrays.copyOfRange(tokens, (int) b[0], (int) b[1]),
                Arrays.copyOfRange(tokens, (int) b[1], (int) b[2]));
    }

    /** The three parts of {@code tokens} as ranges of it (views, not copies: a token file stays on disk). */
    public Slices slice(TokenSequence tokens) {
        long[] b = bounds(tokens.length());
        return new Slices(tokens.slice(0, b[0]), tokens.slice(b[0], b[1]), tokens.slice(b[1], b[2]));
    }

    /** Where the training, validation and test parts of {@code n} tokens end. */
    public long trainingLength(long n) {
        return bounds(n)[0];
    }

    private long[] bounds(long n) {
        long trainEnd = (long) Math.floor(n * train);
        long validationEnd = (long) Math.floor(n * (train + validation));
        long testEnd = (long) Math.floor(n * (train + validation + test));
        if (train + validation + test >= 1 - ROUNDING) {
            // rounding must not drop the last tokens: the last non-empty part runs to the end
            if (test > 0) testEnd = n;
            else if (validation > 0) validationEnd = testEnd = n;
            else trainEnd = validationEnd = testEnd = n;
        }
        trainEnd = Math.min(trainEnd, n);
        validationEnd = Math.min(Math.max(validationEnd, trainEnd), n);
        testEnd = Math.min(Math.max(testEnd, validationEnd), n);
        if (trainEnd < MIN_TRAINING_TOKENS) {
            throw new RnnlabException(String.format(Locale.ROOT, "split %s leaves %d of the %,d tokens for"
                    + " training, fewer than %d: raise the training fraction, e.g. 0.9,0.1", this, trainEnd, n,
                    MIN_TRAINING_TOKENS));
        }
        return new long[] {trainEnd, validationEnd, testEnd};
    }

    /** A token sequence cut by a {@link Split}, as views of it. */
    public record Slices(TokenSequence train, TokenSequence validation, TokenSequence test) {}

    /** A corpus cut by a {@link Split}. */
    public record Parts(int[] train, int[] validation, int[] test) {}

    @Override
    public String toString() {
        return train + "," + validation + "," + test;
    }
}
