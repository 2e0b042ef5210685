package dev.rnnlab.lm;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.Vocabulary;
import java.util.Locale;

/**
 * Interpolated modified Kneser-Ney (Chen and Goodman 1998), the smoothing KenLM's {@code lmplz} uses:
 * <pre>
 *   P_m(w | h) = max(a(h w) - D_m(a(h w)), 0) / a(h .) + gamma(h) P_{m-1}(w | h')
 *   gamma(h)   = (D_m1 N1(h .) + D_m2 N2(h .) + D_m3+ N3+(h .)) / a(h .)
 *   P_0(w)     = 1 / V
 * </pre>
 * h' is h without its oldest token, a(h .) the sum of a(h w) over w, Nj(h .) the number of w with
 * a(h w) = j (N3+: at least 3). The adjusted count a is the raw count at the top order and the
 * continuation count N1+(. g), the number of distinct tokens seen before g, below it; the start of the
 * stream counts as one such token. A history with a(h .) = 0 was never seen: P_m = P_{m-1} there.
 *
 * <p>Three discounts per order from the count-of-counts n_j of the adjusted counts of that order:
 * Y = n1 / (n1 + 2 n2), D1 = 1 - 2Y n2/n1, D2 = 2 - 3Y n3/n2, D3+ = 3 - 4Y n4/n3. On a text too small for
 * that (some n_j = 0, or a D_j outside [0, j]) the order falls back to one discount Y (or 0.5), which
 * keeps the distribution proper: every discount in [0, j] does.
 */
public final class KneserNeyModel implements NGramModel {
    private final Vocabulary vocabulary;
    private final CountedNGrams counts;
    private final int order, v;
    private final long[][] adjusted;        // [m][index of the m-gram]
    private final double[][] discounts;     // [m][j], j = 0..3 (D(0) = 0)
    private final boolean[] fellBack;       // [m]: count-of-counts too thin for three discounts
    private final double[][] historyTotal;  // [m][index of the (m-1)-gram history]: a(h .)
    private final double[][] gamma;         // [m][index of the (m-1)-gram history]

    private KneserNeyModel(Vocabulary vocabulary, CountedNGrams counts) {
        this.vocabulary = vocabulary;
        this.counts = counts;
        this.order = counts.order;
        this.v = counts.vocabularySize;
        adjusted = new long[order + 1][];
        discounts = new double[order + 1][];
        fellBack = new boolean[order + 1];
        historyTotal = new double[order + 1][];
        gamma = new double[order + 1][];
        adjusted[order] = counts.counts[order];
        for (int m = order - 1; m >= 1; m--) adjusted[m] = continuationCounts(m);
        for (int m = 1; m <= order; m++) {
            estimateDiscounts(m);
            historyStatistics(m);
        }
    }

    /** Trains a model of {@code order} on {@code tokens}, indices of {@code vocabulary}. */
    public static KneserNeyModel train(int[] tokens, Vocabulary vocabulary, int order) {
        return new KneserNeyModel(vocabulary, CountedNGrams.count(tokens, vocabulary.size(), order));
    }

    /** A model of {@code counts.order()} from counts made elsewhere (a cluster): the same model as {@link #train} on their tokens. */
    public static KneserNeyModel fromCounts(MGramCounts counts, Vocabulary vocabulary) {
        if (counts.vocabularySize() != vocabulary.size()) {
            throw new RnnlabException("counts over " + counts.vocabularySize() + " tokens, vocabulary of " + vocabulary.size());
        }
        return new KneserNeyModel(vocabulary, CountedNGrams.of(counts));
    }

    /** N1+(. g) for every m-gram g: one per distinct (m+1)-gram x g, plus one for g at the stream's start. */
    private long[] continuationCounts(int m) {
        NGramTable grams = counts.tables[m], longer = counts.tables[m + 1];
        long[] a = new long[grams.size()];
        long oldest = counts.power[m];
        for (int i = 0; i < longer.size(); i++) {
            long key = longer.key(i);
            a[grams.find(key % oldest)]++;  // drop the oldest token x: a distinct left context of g
        }
        if (counts.head.length >= m) a[grams.find(counts.key(counts.head, 0, m))]++;
        return a;
    }

    private void estimateDiscounts(int m) {
        long[] n = new long[5];
        for (long a : adjusted[m]) if (a >= 1 && a <= 4) n[(int) a]++;
        double[] d = new double[4];
        boolean ok = n[1] > 0 && n[2] > 0 && n[3] > 0 && n[4] > 0;
        if (ok) {
            double y = n[1] / (n[1] + 2.0 * n[2]);
            d[1] = 1 - 2 * y * n[2] / n[1];
            d[2] = 2 - 3 * y * n[3] / n[2];
            d[3] = 3 - 4 * y * n[4] / n[3];
            for (int j = 1; j <= 3; j++) ok &= d[j] >= 0 && d[j] <= j;
        }
        if (!ok) {
            double y = n[1] > 0 ? n[1] / (n[1] + 2.0 * n[2]) : 0.5;
            d[1] = d[2] = d[3] = y;
        }
        discounts[m] = d;
        fellBack[m] = !ok;
    }

    /** a(h .), N1, N2, N3+ and gamma(h) for every history h of order m, kept on h's (m-1)-gram entry. */
    private void historyStatistics(int m) {
        NGramTable histories = counts.tables[m - 1], grams = counts.tables[m];
        double[] total = new double[histories.size()], mass = new double[histories.size()];
        double[] d = discounts[m];
        for (int i = 0; i < grams.size(); i++) {
            long a = adjusted[m][i];
            if (a == 0) continue;
            int h = histories.find(grams.key(i) / v);
            total[h] += a;
            mass[h] += d[(int) Math.min(a, 3)];
        }
        for (int h = 0; h < total.length; h++) mass[h] = total[h] > 0 ? mass[h] / total[h] : 0;
        historyTotal[m] = total;
        gamma[m] = mass;
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
        return probability(tokens, from, to, next, order);
    }

    /** P_top(next | history), the recursion stopped at order {@code top}. */
    private double probability(int[] tokens, int from, int to, int next, int top) {
        if (next < 0 || next >= v) throw new IndexOutOfBoundsException("token " + next + " outside vocabulary of " + v);
        double p = 1.0 / v;
        long history = 0;
        int longest = Math.min(top - 1, to - from);
        for (int len = 0; len <= longest; len++) {
            int m = len + 1;
            if (len > 0) history += tokens[to - len] * counts.power[len - 1];
            int h = counts.tables[len].find(history);
            if (h < 0 || historyTotal[m][h] == 0) break;  // unseen history: P_m = P_{m-1}
            int g = counts.tables[m].find(history * v + next);
            long a = g < 0 ? 0 : adjusted[m][g];
            double discounted = a == 0 ? 0 : Math.max(a - discounts[m][(int) Math.min(a, 3)], 0);
            p = discounted / historyTotal[m][h] + gamma[m][h] * p;
        }
        return p;
    }

    /**
     * The backoff form: every m-gram with a positive adjusted count gets log10 P_m(w | h), which already
     * includes the interpolated lower orders, and as a history the backoff weight gamma(g), the mass
     * P_{m+1}(. | g) gives to the lower order; every vocabulary token is a unigram. Then for an m-gram
     * h w that is not listed, P(w | h) = gamma(h) P(w | h') is exactly the interpolated formula with
     * a(h w) = 0, so the two forms give the same probabilities for every history.
     */
    @Override
    public BackoffModel toBackoff() {
        BackoffModel.Builder b = new BackoffModel.Builder(vocabulary, order);
        for (int m = 1; m <= order; m++) {
            NGramTable grams = counts.tables[m];
            if (m == 1) {
                for (int w = 0; w < v; w++) {
                    int g = grams.find(w);
                    b.add(1, w, Math.log10(probability(new int[0], 0, 0, w, 1)), backoff(1, g));
                }
                continue;
            }
            for (int i = 0; i < grams.size(); i++) {
                if (adjusted[m][i] == 0) continue;
                int[] t = NGramTable.tokens(grams.key(i), m, v);
                b.add(m, grams.key(i), Math.log10(probability(t, 0, m - 1, t[m - 1], m)), backoff(m, i));
            }
        }
        return b.build();
    }

    /** log10 gamma of m-gram {@code g} as a history of order m+1; 0 (weight 1) when it is none. */
    private double backoff(int m, int g) {
        if (m == order || g < 0 || historyTotal[m + 1][g] == 0) return 0;
        return Math.log10(gamma[m + 1][g]);
    }

    /** The discounts D1, D2, D3+ of order m (1-based). */
    public double[] discounts(int m) {
        return new double[] {discounts[m][1], discounts[m][2], discounts[m][3]};
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%d-gram, interpolated modified Kneser-Ney, discounts D1/D2/D3+ per order:", order));
        for (int m = 1; m <= order; m++) {
            sb.append(String.format(Locale.ROOT, " %d: %.3f/%.3f/%.3f%s", m, discounts[m][1], discounts[m][2],
                    discounts[m][3], fellBack[m] ? " (one discount: count-of-counts n1..n4 not all positive)" : ""));
            if (m < order) sb.append(';');
        }
        return sb.toString();
    }
}
