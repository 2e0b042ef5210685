package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;
import java.util.Arrays;

/**
 * Contiguous train/validation/test fractions of a corpus, taken in order as char-rnn ({@code 0.95,0.05,0})
 * and nanoGPT ({@code 0.9,0.1}) do. Part boundaries are {@code floor(n * cumulative fraction)}, and when
 * the fractions sum to 1 the last non-empty part runs to the end.
 */
public record Split(double train, double validation, double test) {
    private static final double ROUNDING = 1e-9;

    public Split {
        check("train", train);
        check("validation", validation);
        check("test", test);
        if (train + validation + test > 1 + ROUNDING) {
            throw new RnnlabException("split fractions " + train + "," + validation + "," + test + " sum to "
                    + (train + validation + test) + ", more than 1");
        }
    }

    private static void check(String part, double f) {
        if (!(f >= 0 && f <= 1)) throw new RnnlabException("split " + part + " fraction must be in [0, 1], got " + f);
    }

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

    /** The three parts of {@code tokens}, as copies. */
    public Parts apply(int[] tokens) {
        int n = tokens.length;
        int trainEnd = (int) Math.floor(n * train);
        int validationEnd = (int) Math.floor(n * (train + validation));
        int testEnd = (int) Math.floor(n * (train + validation + test));
        if (train + validation + test >= 1 - ROUNDING) {
            // rounding must not drop the last tokens: the last non-empty part runs to the end
            if (test > 0) testEnd = n;
            else if (validation > 0) validationEnd = testEnd = n;
            else trainEnd = validationEnd = testEnd = n;
        }
        trainEnd = Math.min(trainEnd, n);
        validationEnd = Math.min(Math.max(validationEnd, trainEnd), n);
        testEnd = Math.min(Math.max(testEnd, validationEnd), n);
        return new Parts(Arrays.copyOfRange(tokens, 0, trainEnd), Arrays.copyOfRange(tokens, trainEnd, validationEnd),
                Arrays.copyOfRange(tokens, validationEnd, testEnd));
    }

    /** A corpus cut by a {@link Split}. */
    public record Parts(int[] train, int[] validation, int[] test) {}

    @Override
    public String toString() {
        return train + "," + validation + "," + test;
    }
}
