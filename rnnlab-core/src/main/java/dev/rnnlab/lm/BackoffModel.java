package dev.rnnlab.lm;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.Vocabulary;
import java.util.Arrays;
import java.util.Locale;

/**
 * An n-gram model as ARPA files store it (Katz's backoff form): listed n-grams with log10 P(w | h), listed
 * histories with a log10 backoff weight b(h), and
 * <pre>
 *   P(w | h) = P*(h w)              when h w is listed
 *   P(w | h) = b(h) P(w | h')       otherwise (b = 1 when h is not listed)
 * </pre>
 * down to the unigrams, which list every token. Built from a trained model ({@code toBackoff()}) or read
 * from an ARPA file.
 */
public final class BackoffModel implements NGramModel {
    private final Vocabulary vocabulary;
    private final int order, v;
    private final long[] power;
    private final NGramTable[] tables;   // [m], m = 1..order
    private final double[][] logProb;    // [m][index], log10
    private final double[][] logBackoff; // [m][index], log10

    private BackoffModel(Builder b) {
        this.vocabulary = b.vocabulary;
        this.order = b.order;
        this.v = vocabulary.size();
        this.power = new long[order + 1];
        power[0] = 1;
        for (int j = 1; j <= order; j++) power[j] = power[j - 1] * v;
        this.tables = b.tables;
        this.logProb = new double[order + 1][];
        this.logBackoff = new double[order + 1][];
        for (int m = 1; m <= order; m++) {
            logProb[m] = Arrays.copyOf(b.logProb[m], tables[m].size());
            logBackoff[m] = Arrays.copyOf(b.logBackoff[m], tables[m].size());
        }
    }

    /** Collects the entries of a backoff model, order by order. */
    public static final class Builder {
        private final Vocabulary vocabulary;
        private final int order;
        private final NGramTable[] tables;
        private final double[][] logProb, logBackoff;

        /** An empty builder for a model of {@code order} over {@code vocabulary}. */
        public Builder(Vocabulary vocabulary, int order) {
            CountedNGrams.checkOrder(order, vocabulary.size());
            this.vocabulary = vocabulary;
            this.order = order;
            tables = new NGramTable[order + 1];
            logProb = new double[order + 1][];
            logBackoff = new double[order + 1][];
            for (int m = 1; m <= order; m++) {
                tables[m] = new NGramTable();
                logProb[m] = new double[16];
                logBackoff[m] = new double[16];
            }
        }

        /** Adds (or replaces) the m-gram with packed key {@code key}. */
        public Builder add(int m, long key, double log10Probability, double log10Backoff) {
            int i = tables[m].add(key);
            if (i == logProb[m].length) {
                logProb[m] = Arrays.copyOf(logProb[m], i * 2);
                logBackoff[m] = Arrays.copyOf(logBackoff[m], i * 2);
            }
            logProb[m][i] = log10Probability;
            logBackoff[m][i] = log10Backoff;
            return this;
        }

        /** Adds the m-gram {@code tokens} (indices, oldest first). */
        public Builder add(int[] tokens, double log10Probability, double log10Backoff) {
            long key = 0;
            for (int t : tokens) key = key * vocabulary.size() + t;
            return add(tokens.length, key, log10Probability, log10Backoff);
        }

        /** The model of the entries added; an error unless every vocabulary token is listed as a unigram. */
        public BackoffModel build() {
            for (int w = 0; w < vocabulary.size(); w++) {
                if (tables[1].find(w) < 0) {
                    throw new RnnlabException("the unigrams do not list token '" + vocabulary.tokenOf(w)
                            + "': a backoff model must list every vocabulary token");
                }
            }
            return new BackoffModel(this);
        }
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public double probability(int[] tokens, int from, int to, int next) {
        return Math.pow(10, log10Probability(tokens, from, to, next));
    }

    /** log10 P(next | tokens[from, to)) by the backoff recursion. */
    public double log10Probability(int[] tokens, int from, int to, int next) {
        if (next < 0 || next >= v) throw new IndexOutOfBoundsException("token " + next + " outside vocabulary of " + v);
        int longest = Math.min(order - 1, to - from);
        long[] history = new long[longest + 1];
        for (int len = 1; len <= longest; len++) history[len] = history[len - 1] + tokens[to - len] * power[len - 1];
        double backoff = 0;
        for (int len = longest; len >= 0; len--) {
            int g = tables[len + 1].find(history[len] * v + next);
            if (g >= 0) return backoff + logProb[len + 1][g];
            if (len > 0) {
                int h = tables[len].find(history[len]);
                if (h >= 0) backoff += logBackoff[len][h];
            }
        }
        throw new IllegalStateException("every token is a unigram");
    }

    /** Number of listed m-grams. */
    public int count(int m) {
        return tables[m].size();
    }

    /** Visits the listed m-grams: tokens (oldest first), log10 probability, log10 backoff weight. */
    public void forEach(int m, EntryVisitor visitor) {
        for (int i = 0; i < tables[m].size(); i++) {
            visitor.visit(NGramTable.tokens(tables[m].key(i), m, v), logProb[m][i], logBackoff[m][i]);
        }
    }

    /** Receives one listed n-gram. */
    @FunctionalInterface
    public interface EntryVisitor {
        /** Receives an n-gram's tokens (oldest first), its log10 probability and its log10 backoff weight. */
        void visit(int[] tokens, double log10Probability, double log10Backoff);
    }

    @Override
    public BackoffModel toBackoff() {
        return this;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d-gram backoff model,", order));
        for (int m = 1; m <= order; m++) sb.append(String.format(Locale.ROOT, " %,d %d-grams", count(m), m));
        return sb.toString();
    }
}
