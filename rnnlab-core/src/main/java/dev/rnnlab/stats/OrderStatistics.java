package dev.rnnlab.stats;

import java.util.List;

/**
 * What {@code rnnlab stats} reports for one n-gram order, however it was counted (one machine, or a
 * cluster): the occurrences and distinct n-grams, the most frequent ones with their tokens (ties in order
 * of first occurrence), and every distinct n-gram's frequency from the highest rank down.
 */
public record OrderStatistics(int n, long total, long distinct, List<Top> top, long[] frequenciesByRank) {
    /** One row of a top table: an n-gram's tokens and its count. */
    public record Top(List<String> tokens, long count) {
        /** Checks and copies. */
        public Top {
            tokens = List.copyOf(tokens);
        }
    }

    /** Checks and copies. */
    public OrderStatistics {
        top = List.copyOf(top);
        if (distinct != frequenciesByRank.length) {
            throw new IllegalArgumentException(distinct + " distinct n-grams but " + frequenciesByRank.length + " frequencies");
        }
    }

    /** From counts made on one machine, their token indices written out with {@code vocabulary}. */
    public static OrderStatistics of(NGramCounts counts, int topK, dev.rnnlab.text.Vocabulary vocabulary) {
        List<Top> rows = new java.util.ArrayList<>();
        for (NGram g : counts.top(topK)) {
            List<String> tokens = new java.util.ArrayList<>();
            for (int t : g.tokens()) tokens.add(vocabulary.tokenOf(t));
            rows.add(new Top(tokens, g.count()));
        }
        return new OrderStatistics(counts.n(), counts.total(), counts.distinct(), rows, counts.frequenciesByRank());
    }

    /** The least-squares Zipf fit over ranks {@code from..to} (D2L 8.3.2). */
    public ZipfFit zipf(int from, int to) {
        return ZipfFit.fit(frequenciesByRank, from, to);
    }
}
