package dev.rnnlab.bench;

import dev.rnnlab.Rng;
import dev.rnnlab.tensor.Activations;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gate activations of one LSTM-512 step (32 x 2048 values): the rational array forms the cells use
 * now, against the scalar double-exp functions they used before (kept here as the baseline).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ActivationsBenchmark {
    private final float[] src = new float[32 * 2048], a = new float[32 * 2048];

    @Setup
    public void setup() {
        Rng rng = new Rng(1);
        for (int i = 0; i < src.length; i++) src[i] = (float) (2 * rng.nextGaussian());
    }

    @Benchmark
    public float[] sigmoidScalarDoubleExp() {
        for (int i = 0; i < a.length; i++) a[i] = (float) (1.0 / (1.0 + Math.exp(-src[i])));
        return a;
    }

    @Benchmark
    public float[] tanhScalarDoubleExp() {
        for (int i = 0; i < a.length; i++) a[i] = scalarTanh(src[i]);
        return a;
    }

    private static float scalarTanh(float x) {
        if (Math.abs(x) < 1e-4f) return x;
        double e = Math.exp(-2.0 * Math.abs(x));
        double t = (1.0 - e) / (1.0 + e);
        return (float) (x < 0 ? -t : t);
    }

    @Benchmark
    public float[] sigmoidRationalArray() {
        System.arraycopy(src, 0, a, 0, a.length);
        Activations.sigmoidInPlace(a, 0, a.length);
        return a;
    }

    @Benchmark
    public float[] tanhRationalArray() {
        Activations.tanhInto(src, 0, a, 0, a.length);
        return a;
    }
}
