package dev.rnnlab.lm;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.Vocabulary;
import java.util.Locale;

/**
 * Add-k smoothing, Laplace smoothing for k = 1 (D2L 8.3.3, (8.3.6)):
 * <pre>
 *   P(w | h) = (n(h w) + k) / (n(h .) + k V)    when n(h .) &gt; 0
 *   P(w | h) = P(w | h')                         when h was never seen (h' drops the oldest token)
 * </pre>
 * n(h .) counts the occurrences of h followed by some token; the empty history's count is the number of
 * tokens, so the recursion always ends. D2L's formulas mix in the lower orders with weights; this is the
 * textbook form that D2L's remark is about: with V in the denominator, every one of the V^n possible
 * n-grams gets the same k, so a rare history gives most of its mass to tokens never seen after it.
 */
public final class AdditiveSmoothingModel implements NGramModel {
    /** ARPA lines the backoff form may have: it lists every token after every seen history. */
    static final long MAX_BACKOFF_ENTRIES = 5_000_000;

    private final Vocabulary vocabulary;
    private final CountedNGrams counts;
    private final double k;
    private final int order, v;
    private final long[][] historyTotal;  // [m][index of the (m-1)-gram history]: n(h .)

    private AdditiveSmoothingModel(Vocabulary vocabulary, CountedNGrams counts, double k) {
        this.vocabulary = vocabulary;
        this.counts = counts;
        this.k = k;
        this.order = counts.order;
        this.v = counts.vocabularySize;
        historyTotal = new long[order + 1][];
        for (int m = 1; m <= order; m++) {
            NGramTable grams = counts.tables[m], histories = counts.tables[m - 1];
            long[] total = new long[histories.size()];
            for (int i = 0; i < grams.size(); i++) total[histories.find(grams.key(i) / v)] += counts.counts[m][i];
            historyTotal[m] = total;
        }
    }

    /** Trains an add-k model of {@code order} on {@code tokens}, indices of {@code vocabulary}; k &gt; 0. */
    public static AdditiveSmoothingModel train(int[] tokens, Vocabulary vocabulary, int order, double k) {
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new RnnlabException("add-k smoothing needs k > 0 (k = 0 gives unseen n-grams probability 0), got " + k);
        }
        return new AdditiveSmoothingModel(vocabulary, CountedNGrams.count(tokens, vocabulary.size(), order), k);
    }

    /** A model from counts made elsewhere (a cluster): the same model as {@link #train} on their tokens. */
    public static AdditiveSmoothingModel fromCounts(MGramCounts counts, Vocabulary vocabulary, double k) {
        if (counts.vocabularySize() != vocabulary.size()) {
            throw new RnnlabException("counts over " + counts.vocabularySize() + " tokens, vocabulary of " + vocabulary.size());
        }
        if (!(k > 0) || Double.isInfinite(k)) {
            throw new RnnlabException("add-k smoothing needs k > 0 (k = 0 gives unseen n-grams probability 0), got " + k);
        }
        return new AdditiveSmoothingModel(vocabulary, CountedNGrams.of(counts), k);
    }

    /** The pseudo-count k added to every n-gram count. */
    public double k() {
        return k;
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
        if (next < 0 || next >= v) throw new IndexOutOfBoundsException("token " + next + " outside vocabulary of " + v);
        int longest = Math.min(order - 1, to - from);
        long[] history = new long[longest + 1];  // history[len]: key of the last len tokens
        for (int len = 1; len <= longest; len++) history[len] = history[len - 1] + tokens[to - len] * counts.power[len - 1];
        for (int len = longest; len >= 0; len--) {
            int h = counts.tables[len].find(history[len]);
            long total = h < 0 ? 0 : historyTotal[len + 1][h];
            if (total == 0) continue;
            int g = counts.tables[len + 1].find(history[len] * v + next);
            long n = g < 0 ? 0 : counts.counts[len + 1][g];
            return (n + k) / (total + k * v);
        }
        throw new IllegalStateException("the empty history always has a count");
    }

    /**
     * The backoff form lists, for every order m and every history h seen before some token, all V tokens
     * w with P(w | h); backoff weights are all 1 (log10 0): a listed history never backs off, and an
     * unlisted or never-continued one backs off to P(w | h'), as {@link #probability} does. Exact, but
     * V entries per history: a word-level model quickly exceeds {@value #MAX_BACKOFF_ENTRIES} entries,
     * which is an error that suggests Kneser-Ney.
     */
    @Override
    public BackoffModel toBackoff() {
        long entries = 0;
        for (int m = 1; m <= order; m++) {
            for (long total : historyTotal[m]) if (total > 0) entries += v;
        }
        if (entries > MAX_BACKOFF_ENTRIES) {
            throw new RnnlabException(String.format(Locale.ROOT, "the add-k %d-gram model would list %,d n-grams "
                    + "in ARPA form (all %,d tokens after every seen history), more than %,d; use --smoothing kn, "
                    + "a lower order or char tokens", order, entries, v, MAX_BACKOFF_ENTRIES));
        }
        BackoffModel.Builder b = new BackoffModel.Builder(vocabulary, order);
        for (int m = 1; m <= order; m++) {
            NGramTable histories = counts.tables[m - 1];
            for (int h = 0; h < histories.size(); h++) {
                long total = historyTotal[m][h];
                if (total == 0) continue;
                long key = histories.key(h);
                for (int w = 0; w < v; w++) {
                    int g = counts.tables[m].find(key * v + w);
                    long n = g < 0 ? 0 : counts.counts[m][g];
                    b.add(m, key * v + w, Math.log10((n + k) / (total + k * v)), 0);
                }
            }
        }
        return b.build();
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%d-gram, add-k smoothing, k = %s", order, k);
    }
}
