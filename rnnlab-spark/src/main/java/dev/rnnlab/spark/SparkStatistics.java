package dev.rnnlab.spark;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.lm.MGramCounts;
import dev.rnnlab.stats.NGramCounts;
import dev.rnnlab.stats.OrderStatistics;
import dev.rnnlab.text.Vocabulary;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Counts over a {@link SparkCorpus} on a Spark cluster (see the package description): the vocabulary, the
 * statistics of {@code rnnlab stats} for any n-gram orders, and the counts an n-gram model is estimated
 * from; each equal to what one machine computes from the same files.
 */
public final class SparkStatistics {
    private final JavaSparkContext spark;
    private final SparkCorpus corpus;
    private final JavaRDD<SparkCorpus.Chunk> chunks;

    /** Counts over {@code corpus} with {@code spark}; one task per chunk. */
    public SparkStatistics(JavaSparkContext spark, SparkCorpus corpus) {
        this.spark = spark;
        this.corpus = corpus;
        List<SparkCorpus.Chunk> list = corpus.chunks();
        this.chunks = spark.parallelize(list, Math.max(1, list.size()));
    }

    /*
     * Values in the shuffles are long[2]: {count, first occurrence}, the first occurrence packed as
     * chunk << 40 | offset in the chunk, so that comparing the longs compares stream positions. Keys are the
     * token (vocabulary), or the n-gram packed base V into a long when V^n fits, else a Gram. Arrays and
     * longs keep the shuffled records small, which decides how fast a shuffle of millions of n-grams is.
     */
    static final int OFFSET_BITS = 40;

    static long first(int chunk, long offset) {
        if (offset >= 1L << OFFSET_BITS) throw new RnnlabException("a chunk of over 2^40 tokens; use a smaller --chunk-size");
        return ((long) chunk << OFFSET_BITS) | offset;
    }

    static long[] merge(long[] a, long[] b) {
        return new long[] {a[0] + b[0], Math.min(a[1], b[1])};
    }

    /** An n-gram of token indices as a key, when V^n does not fit in a long. */
    static final class Gram implements Serializable {
        private static final long serialVersionUID = 1L;
        int[] tokens;

        Gram() {}  // for serializers

        Gram(int[] tokens) {
            this.tokens = tokens;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Gram g && Arrays.equals(tokens, g.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }
    }

    /** The tokens of a key made by {@link #grams}. */
    static int[] tokensOf(Object key, int n, int v) {
        if (key instanceof Gram g) return g.tokens;
        long k = (Long) key;
        int[] t = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            t[i] = (int) (k % v);
            k /= v;
        }
        return t;
    }

    /** The corpus's tokens with their counts, in order of first occurrence, and how many tokens in all. */
    public record TokenCounts(LinkedHashMap<String, Long> inFirstOccurrenceOrder, long tokens) {}

    /** Every token's count (distributed), collected in order of first occurrence. */
    public TokenCounts tokenCounts() {
        SparkCorpus c = corpus;
        JavaPairRDD<String, long[]> tallies = chunks.flatMapToPair(chunk -> {
            LinkedHashMap<String, long[]> local = new LinkedHashMap<>();  // {count, first}
            long[] at = {0};
            c.read(chunk, 0, t -> {
                long[] e = local.get(t);
                if (e == null) local.put(t, new long[] {1, first(chunk.index(), at[0])});
                else e[0]++;
                at[0]++;
            }, t -> { });
            List<Tuple2<String, long[]>> out = new ArrayList<>(local.size());
            for (Map.Entry<String, long[]> e : local.entrySet()) out.add(new Tuple2<>(e.getKey(), e.getValue()));
            return out.iterator();
        }).reduceByKey(SparkStatistics::merge);
        List<Tuple2<String, long[]>> all = new ArrayList<>(tallies.collect());
        all.sort(Comparator.comparingLong(t -> t._2()[1]));
        LinkedHashMap<String, Long> ordered = new LinkedHashMap<>();
        long total = 0;
        for (Tuple2<String, long[]> t : all) {
            ordered.put(t._1(), t._2()[0]);
            total += t._2()[0];
        }
        if (total == 0) {
            throw new RnnlabException("no tokens in " + corpus.name() + " after " + corpus.normalizer().id() + " normalization");
        }
        return new TokenCounts(ordered, total);
    }

    /** The vocabulary as {@link Vocabulary#fromCounts} builds it on one machine from the same stream. */
    public Vocabulary vocabulary(int minFreq, List<String> reserved) {
        return Vocabulary.fromCounts(tokenCounts().inFirstOccurrenceOrder(), minFreq, reserved);
    }

    /** Each distinct n-gram of order {@code n} over {@code vocabulary}'s indices, with {count, first occurrence}. */
    JavaPairRDD<Object, long[]> grams(Vocabulary vocabulary, int n) {
        if (n < 1) throw new RnnlabException("n-gram order must be >= 1, got " + n);
        SparkCorpus c = corpus;
        int v = vocabulary.size();
        boolean packed = NGramCounts.fitsInLong(v, n);
        Broadcast<HashMap<String, Integer>> index = spark.broadcast(indexOf(vocabulary));
        return chunks.flatMapToPair(chunk -> {
            HashMap<String, Integer> ix = index.value();
            // the chunk's tokens, then the n-1 after it, in one growing int array (a chunk holds millions)
            int[][] buffer = {new int[1 << 16]};
            int[] size = {0};
            java.util.function.Consumer<String> append = t -> {
                if (size[0] == buffer[0].length) buffer[0] = Arrays.copyOf(buffer[0], size[0] * 2);
                buffer[0][size[0]++] = ix.getOrDefault(t, 0);
            };
            int[] ownedEnd = {0};
            c.read(chunk, n - 1, t -> {
                append.accept(t);
                ownedEnd[0] = size[0];
            }, append);
            int[] stream = buffer[0];
            int windows = Math.max(0, Math.min(ownedEnd[0], size[0] - n + 1));
            HashMap<Object, long[]> local = new HashMap<>();
            for (int p = 0; p < windows; p++) {
                Object key;
                if (packed) {
                    long k = 0;
                    for (int i = 0; i < n; i++) k = k * v + stream[p + i];
                    key = k;
                } else {
                    key = new Gram(Arrays.copyOfRange(stream, p, p + n));
                }
                long[] e = local.get(key);
                if (e == null) local.put(key, new long[] {1, first(chunk.index(), p)});
                else e[0]++;
            }
            List<Tuple2<Object, long[]>> out = new ArrayList<>(local.size());
            for (Map.Entry<Object, long[]> e : local.entrySet()) out.add(new Tuple2<>(e.getKey(), e.getValue()));
            return out.iterator();
        }).reduceByKey(SparkStatistics::merge);
    }

    /** What {@code rnnlab stats} reports for each order: totals, the top {@code topK} (ties by first occurrence), frequencies by rank. */
    public List<OrderStatistics> statistics(Vocabulary vocabulary, List<Integer> orders, int topK) {
        List<OrderStatistics> out = new ArrayList<>();
        int v = vocabulary.size();
        for (int n : orders) {
            JavaPairRDD<Object, long[]> grams = grams(vocabulary, n).cache();
            try {
                // the histogram of counts gives the total, the distinct count and every frequency by rank
                Map<Long, Long> histogram = grams.map(t -> t._2()[0]).countByValue();
                List<Long> counts = new ArrayList<>(histogram.keySet());
                counts.sort(Comparator.reverseOrder());
                long distinct = 0, total = 0;
                for (long k : counts) {
                    distinct += histogram.get(k);
                    total += k * histogram.get(k);
                }
                long[] byRank = new long[Math.toIntExact(distinct)];
                int r = 0;
                for (long k : counts) for (long i = 0; i < histogram.get(k); i++) byRank[r++] = k;
                List<Tuple2<Object, long[]>> top = topK == 0 ? List.of() : grams.takeOrdered(topK, new ByCountThenFirst());
                List<OrderStatistics.Top> rows = new ArrayList<>();
                for (Tuple2<Object, long[]> t : top) {
                    List<String> tokens = new ArrayList<>();
                    for (int i : tokensOf(t._1(), n, v)) tokens.add(vocabulary.tokenOf(i));
                    rows.add(new OrderStatistics.Top(tokens, t._2()[0]));
                }
                out.add(new OrderStatistics(n, total, distinct, rows, byRank));
            } finally {
                grams.unpersist();
            }
        }
        return out;
    }

    /** Descending count, then ascending first occurrence. */
    static final class ByCountThenFirst implements Comparator<Tuple2<Object, long[]>>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Tuple2<Object, long[]> a, Tuple2<Object, long[]> b) {
            int byCount = Long.compare(b._2()[0], a._2()[0]);
            return byCount != 0 ? byCount : Long.compare(a._2()[1], b._2()[1]);
        }
    }

    /**
     * The counts an n-gram model of {@code order} is estimated from: every m-gram, m = 1..order, keyed and
     * listed in order of first occurrence, as {@link MGramCounts} wants; equal to counting on one machine.
     */
    public MGramCounts modelCounts(Vocabulary vocabulary, int order, long tokens) {
        int v = vocabulary.size();
        List<long[]> keys = new ArrayList<>(), counts = new ArrayList<>();
        if (!NGramCounts.fitsInLong(v, order)) {
            throw new RnnlabException(String.format(java.util.Locale.ROOT, "a %d-gram model over %,d tokens has more possible n-grams"
                    + " than 63-bit keys hold; use a lower order or a smaller vocabulary (--min-freq)", order, v));
        }
        for (int m = 1; m <= order; m++) {
            List<Tuple2<Object, long[]>> all = new ArrayList<>(grams(vocabulary, m).collect());
            all.sort(Comparator.comparingLong(t -> t._2()[1]));
            long[] k = new long[all.size()], c = new long[all.size()];
            for (int i = 0; i < all.size(); i++) {
                k[i] = (Long) all.get(i)._1();
                c[i] = all.get(i)._2()[0];
            }
            keys.add(k);
            counts.add(c);
        }
        return new MGramCounts(order, v, tokens, head(vocabulary, (int) Math.min(order, tokens)), keys, counts);
    }

    /** The stream's first {@code k} tokens, as indices. */
    private int[] head(Vocabulary vocabulary, int k) {
        SparkCorpus c = corpus;
        HashMap<String, Integer> ix = indexOf(vocabulary);
        List<Integer> found = new ArrayList<>();
        for (SparkCorpus.Chunk chunk : corpus.chunks()) {
            if (found.size() >= k) break;
            try {
                c.read(chunk, 0, t -> {
                    if (found.size() < k) found.add(ix.getOrDefault(t, 0));
                }, t -> { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    private static HashMap<String, Integer> indexOf(Vocabulary vocabulary) {
        HashMap<String, Integer> ix = new HashMap<>(vocabulary.size() * 2);
        for (int i = 0; i < vocabulary.size(); i++) ix.put(vocabulary.tokenOf(i), i);
        return ix;
    }
}
