package dev.rnnlab.stats;

import dev.rnnlab.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * n-gram counting throughput on 10 million Zipf-distributed tokens: packed keys (vocabulary 28, the
 * character case; 5,000, the word case) and in-place comparison (a vocabulary too large to pack).
 * Run: ./mvn25 -Pbench -DskipTests package && java -jar target/benchmarks.jar NGramCountsBenchmark
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(1)
public class NGramCountsBenchmark {
    @Param({"28", "5000", "2000000000"})
    int vocabulary;

    @Param({"1", "3"})
    int n;

    int[] tokens;

    @Setup
    public void makeTokens() {
        // ranks drawn with probability ~ 1/rank over the first min(V, 100k) ranks, like words in a book
        int ranks = Math.min(vocabulary, 100_000);
        double[] cumulative = new double[ranks];
        double sum = 0;
        for (int r = 0; r < ranks; r++) cumulative[r] = sum += 1.0 / (r + 1);
        Rng rng = new Rng(1);
        tokens = new int[10_000_000];
        for (int i = 0; i < tokens.length; i++) {
            int at = java.util.Arrays.binarySearch(cumulative, rng.nextDouble() * sum);
            tokens[i] = Math.min(at < 0 ? -at - 1 : at, ranks - 1);
        }
    }

    @Benchmark
    public int count() {
        return NGramCounts.count(tokens, vocabulary, n).distinct();
    }
}
