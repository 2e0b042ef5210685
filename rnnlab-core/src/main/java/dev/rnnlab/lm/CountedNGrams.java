package dev.rnnlab.lm;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.stats.NGramCounts;
import java.util.Locale;

/**
 * Raw counts of every m-gram, m = 1..order, of one token stream, in one {@link NGramTable} per order
 * (counted by {@link NGramCounts}). What both smoothing methods start from.
 */
final class CountedNGrams {
    static final int MAX_ORDER = 9;

    final int order, vocabularySize;
    final long[] power;          // power[j] = V^j
    final NGramTable[] tables;   // [m], m = 1..order; [0] holds the empty history (key 0)
    final long[][] counts;       // [m][index]
    final int[] tokens;

    private CountedNGrams(int[] tokens, int vocabularySize, int order) {
        this.tokens = tokens;
        this.order = order;
        this.vocabularySize = vocabularySize;
        power = new long[order + 1];
        power[0] = 1;
        for (int j = 1; j <= order; j++) power[j] = power[j - 1] * vocabularySize;
        tables = new NGramTable[order + 1];
        counts = new long[order + 1][];
        tables[0] = new NGramTable();
        tables[0].add(0L);
        counts[0] = new long[] {tokens.length};
        for (int m = 1; m <= order; m++) {
            NGramTable table = new NGramTable();
            NGramCounts raw = NGramCounts.count(tokens, vocabularySize, m);
            long[] c = new long[raw.distinct()];
            int width = m;
            raw.forEach((position, count) -> c[table.add(key(tokens, (int) position, width))] = count);
            tables[m] = table;
            counts[m] = c;
        }
    }

    /** Counts the m-grams of {@code tokens} (indices in [0, vocabularySize)) for m = 1..order. */
    static CountedNGrams count(int[] tokens, int vocabularySize, int order) {
        checkOrder(order, vocabularySize);
        if (tokens.length == 0) throw new RnnlabException("cannot train an n-gram model on no tokens");
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabularySize) {
                throw new RnnlabException("token index " + tokens[i] + " at " + i + " is outside the vocabulary of "
                        + vocabularySize);
            }
        }
        return new CountedNGrams(tokens, vocabularySize, order);
    }

    static void checkOrder(int order, int vocabularySize) {
        if (order < 1 || order > MAX_ORDER) {
            throw new RnnlabException("n-gram order must be between 1 and " + MAX_ORDER + ", got " + order);
        }
        if (!NGramTable.fits(vocabularySize, order)) {
            throw new RnnlabException(String.format(Locale.ROOT, "a %d-gram model over %,d tokens has more "
                    + "possible n-grams than 63-bit keys hold; use a lower order or a smaller vocabulary "
                    + "(--min-freq)", order, vocabularySize));
        }
    }

    /** The key of tokens[position, position + m). */
    long key(int[] t, int position, int m) {
        long k = 0;
        for (int i = 0; i < m; i++) k = k * vocabularySize + t[position + i];
        return k;
    }
}
