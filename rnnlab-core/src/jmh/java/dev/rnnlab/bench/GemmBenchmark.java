package dev.rnnlab.bench;

import dev.rnnlab.Rng;
import dev.rnnlab.tensor.Gemm;
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
 * GEMM per backend on the shapes of a character RNN (batch 32, 35 steps, hidden 256/512, vocab 28).
 * GFLOP/s = 2*m*n*k / (us/op * 1000). Shapes are "m x n x k" of C[m,n] = A[m,k] B[k,n].
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GemmBenchmark {
    @Param({"OPENBLAS", "JAVA"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    // per-step recurrent product (LSTM-512: 4 gates), input-side projection, output layer, weight gradient
    @Param({"32x2048x512", "32x512x512", "1120x2048x28", "1120x28x512", "2048x512x1120", "1024x1024x1024"})
    public String shape;

    private Gemm gemm;
    private int m, n, k;
    private float[] a, b, c;

    @Setup
    public void setup() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        n = Integer.parseInt(s[1]);
        k = Integer.parseInt(s[2]);
        gemm = Gemm.create(Gemm.Backend.valueOf(backend), threads, false);
        Rng rng = new Rng(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rng.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = rng.nextFloat() - 0.5f;
    }

    @Benchmark
    public float[] gemm() {
        gemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        return c;
    }
}
