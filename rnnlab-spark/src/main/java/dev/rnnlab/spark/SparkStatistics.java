package dev.rnnlab.spark;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.lm.MGramCounts;
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

    /** A count with the first occurrence of what it counts: (chunk, offset in the chunk), in stream order. */
    record Tally(long count, int chunk, long offset) implements Serializable {
        Tally merge(Tally o) {
            boolean earlier = chunk < o.chunk || (chunk == o.chunk && offset <= o.offset);
            return new Tally(count + o.count, earlier ? chunk : o.chunk, earlier ? offset : o.offset);
        }

        boolean before(Tally o) {
            return chunk < o.chunk || (chunk == o.chunk && offset < o.offset);
        }
    }

    /** An n-gram of token indices as a map key. */
    record Gram(int[] tokens) implements Serializable {
        @Override
        public boolean equals(Object o) {
            return o instanceof Gram g && Arrays.equals(tokens, g.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }
    }

    /** First occurrence first: the order of a single pass over the stream. */
    static final Comparator<Tally> IN_STREAM_ORDER = (Comparator<Tally> & Serializable) (a, b) ->
            a.chunk != b.chunk ? Integer.compare(a.chunk, b.chunk) : Long.compare(a.offset, b.offset);

    /** The corpus's tokens with their counts, in order of first occurrence, and how many tokens in all. */
    public record TokenCounts(LinkedHashMap<String, Long> inFirstOccurrenceOrder, long tokens) {}

    /** Every token's count (distributed), collected in order of first occurrence. */
    public TokenCounts tokenCounts() {
        SparkCorpus c = corpus;
        JavaPairRDD<String, Tally> tallies = chunks.flatMapToPair(chunk -> {
            LinkedHashMap<String, long[]> local = new LinkedHashMap<>();  // {count, first offset}
            long[] at = {0};
            c.read(chunk, 0, t -> {
                long[] e = local.get(t);
                if (e == null) local.put(t, new long[] {1, at[0]});
                else e[0]++;
                at[0]++;
            }, t -> { });
            List<Tuple2<String, Tally>> out = new ArrayList<>(local.size());
            for (Map.Entry<String, long[]> e : local.entrySet()) {
                out.add(new Tuple2<>(e.getKey(), new Tally(e.getValue()[0], chunk.index(), e.getValue()[1])));
            }
            return out.iterator();
        }).reduceByKey(Tally::merge);
        List<Tuple2<String, Tally>> all = new ArrayList<>(tallies.collect());
        all.sort((a, b) -> IN_STREAM_ORDER.compare(a._2(), b._2()));
        LinkedHashMap<String, Long> ordered = new LinkedHashMap<>();
        long total = 0;
        for (Tuple2<String, Tally> t : all) {
            ordered.put(t._1(), t._2().count());
            total += t._2().count();
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

    /** Each distinct n-gram of order {@code n} over {@code vocabulary}'s indices, with its count and first occurrence. */
    JavaPairRDD<Gram, Tally> grams(Vocabulary vocabulary, int n) {
        if (n < 1) throw new RnnlabException("n-gram order must be >= 1, got " + n);
        SparkCorpus c = corpus;
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
            int ownedCount = ownedEnd[0];
            int[] stream = Arrays.copyOf(buffer[0], size[0]);
            HashMap<Gram, long[]> local = new LinkedHashMap<>();
            for (int p = 0; p < ownedCount && p + n <= stream.length; p++) {
                Gram g = new Gram(Arrays.copyOfRange(stream, p, p + n));
                long[] e = local.get(g);
                if (e == null) local.put(g, new long[] {1, p});
                else e[0]++;
            }
            List<Tuple2<Gram, Tally>> out = new ArrayList<>(local.size());
            for (Map.Entry<Gram, long[]> e : local.entrySet()) {
                out.add(new Tuple2<>(e.getKey(), new Tally(e.getValue()[0], chunk.index(), e.getValue()[1])));
            }
            return out.iterator();
        }).reduceByKey(Tally::merge);
    }

    /** What {@code rnnlab stats} reports for each order: totals, the top {@code topK} (ties by first occurrence), frequencies by rank. */
    public List<OrderStatistics> statistics(Vocabulary vocabulary, List<Integer> orders, int topK) {
        List<OrderStatistics> out = new ArrayList<>();
        for (int n : orders) {
            JavaPairRDD<Gram, Tally> grams = grams(vocabulary, n).cache();
            try {
                long total = grams.map(t -> t._2().count()).fold(0L, Long::sum);
                // the most frequent first, ties by first occurrence (a serializable comparator for takeOrdered)
                List<Tuple2<Gram, Tally>> top = topK == 0 ? List.of() : grams.takeOrdered(topK, new ByCountThenFirst());
                List<OrderStatistics.Top> rows = new ArrayList<>();
                for (Tuple2<Gram, Tally> t : top) {
                    List<String> tokens = new ArrayList<>();
                    for (int i : t._1().tokens()) tokens.add(vocabulary.tokenOf(i));
                    rows.add(new OrderStatistics.Top(tokens, t._2().count()));
                }
                Map<Long, Long> histogram = grams.map(t -> t._2().count()).countByValue();
                List<Long> counts = new ArrayList<>(histogram.keySet());
                counts.sort(Comparator.reverseOrder());
                long distinct = 0;
                for (long k : counts) distinct += histogram.get(k);
                long[] byRank = new long[Math.toIntExact(distinct)];
                int r = 0;
                for (long k : counts) for (long i = 0; i < histogram.get(k); i++) byRank[r++] = k;
                out.add(new OrderStatistics(n, total, distinct, rows, byRank));
            } finally {
                grams.unpersist();
            }
        }
        return out;
    }

    /** Descending count, then ascending first occurrence. */
    static final class ByCountThenFirst implements Comparator<Tuple2<Gram, Tally>>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Tuple2<Gram, Tally> a, Tuple2<Gram, Tally> b) {
            int byCount = Long.compare(b._2().count(), a._2().count());
            return byCount != 0 ? byCount : IN_STREAM_ORDER.compare(a._2(), b._2());
        }
    }

    /**
     * The counts an n-gram model of {@code order} is estimated from: every m-gram, m = 1..order, keyed and
     * listed in order of first occurrence, as {@link MGramCounts} wants; equal to counting on one machine.
     */
    public MGramCounts modelCounts(Vocabulary vocabulary, int order, long tokens) {
        int v = vocabulary.size();
        List<long[]> keys = new ArrayList<>(), counts = new ArrayList<>();
        for (int m = 1; m <= order; m++) {
            List<Tuple2<Gram, Tally>> all = new ArrayList<>(grams(vocabulary, m).collect());
            all.sort((a, b) -> IN_STREAM_ORDER.compare(a._2(), b._2()));
            long[] k = new long[all.size()], c = new long[all.size()];
            for (int i = 0; i < all.size(); i++) {
                long key = 0;
                for (int t : all.get(i)._1().tokens()) key = Math.addExact(Math.multiplyExact(key, v), t);
                k[i] = key;
                c[i] = all.get(i)._2().count();
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
