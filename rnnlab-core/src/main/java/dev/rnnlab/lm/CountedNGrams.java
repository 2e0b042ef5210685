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
    final int[] head;            // the stream's first min(order, length) tokens

    /** The empty tables of {@code order} over {@code vocabularySize} tokens; order 0 holds the empty history. */
    private CountedNGrams(int[] head, int vocabularySize, int order, long tokens) {
        this.head = head;
        this.order = order;
        this.vocabularySize = vocabularySize;
        power = new long[order + 1];
        power[0] = 1;
        for (int j = 1; j <= order; j++) power[j] = power[j - 1] * vocabularySize;
        tables = new NGramTable[order + 1];
        counts = new long[order + 1][];
        tables[0] = new NGramTable();
        tables[0].add(0L);
        counts[0] = new long[] {tokens};
    }

    /** Counts the m-grams of {@code tokens} here, each order's table filled in order of first occurrence. */
    private static CountedNGrams counted(int[] tokens, int vocabularySize, int order) {
        CountedNGrams c = new CountedNGrams(java.util.Arrays.copyOf(tokens, Math.min(order, tokens.length)), vocabularySize, order,
                tokens.length);
        for (int m = 1; m <= order; m++) {
            NGramTable table = new NGramTable();
            NGramCounts raw = NGramCounts.count(tokens, vocabularySize, m);
            long[] n = new long[raw.distinct()];
            int width = m;
            raw.forEach((position, count) -> n[table.add(c.key(tokens, (int) position, width))] = count);
            c.tables[m] = table;
            c.counts[m] = n;
        }
        return c;
    }

    /** Counts made elsewhere: each order's keys in order of first occurrence, as counting here inserts them. */
    private static CountedNGrams given(MGramCounts given) {
        CountedNGrams c = new CountedNGrams(given.head(), given.vocabularySize(), given.order(), given.tokens());
        for (int m = 1; m <= c.order; m++) {
            NGramTable table = new NGramTable();
            for (long k : given.keys().get(m - 1)) {
                if (k < 0 || k >= c.power[m]) {
                    throw new RnnlabException("a " + m + "-gram key " + k + " is outside the vocabulary of " + c.vocabularySize);
                }
                int before = table.size();
                table.add(k);
                if (table.size() == before) throw new RnnlabException("the " + m + "-gram key " + k + " is listed twice");
                // counts of one stream: every m-gram's first and last m-1 tokens occur as (m-1)-grams
                if (m > 1 && (c.tables[m - 1].find(k / c.vocabularySize) < 0 || c.tables[m - 1].find(k % c.power[m - 1]) < 0)) {
                    throw new RnnlabException("the " + m + "-gram key " + k + " has no " + (m - 1) + "-gram inside it among the counts;"
                            + " they are not the counts of one token stream");
                }
            }
            c.tables[m] = table;
            c.counts[m] = given.counts().get(m - 1).clone();
        }
        return c;
    }

    /** Counts made elsewhere (on a cluster, say), checked. */
    static CountedNGrams of(MGramCounts c) {
        checkOrder(c.order(), c.vocabularySize());
        if (c.tokens() == 0) throw new RnnlabException("cannot train an n-gram model on no tokens");
        return given(c);
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
        return counted(tokens, vocabularySize, order);
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
