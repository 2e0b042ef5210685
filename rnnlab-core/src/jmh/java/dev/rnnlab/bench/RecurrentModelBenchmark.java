package dev.rnnlab.bench;

import dev.rnnlab.Rng;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.RecurrentState;
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
 * One training step's forward and backward of a one-layer, one-hot model (D2L's shape: batch 32,
 * 35 steps, vocab 28): the recurrent layer plus the linear output and the loss. Divide 1120 tokens by the
 * time per op for tokens/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RecurrentModelBenchmark {
    @Param({"lstm"})
    public String cell;

    @Param({"512"})
    public int hidden;

    @Param({"2"})
    public int threads;

    @Param({"OPENBLAS"})
    public String backend;

    static final int STEPS = 35, BATCH = 32, VOCAB = 28;
    private RecurrentLanguageModel model;
    private RecurrentState state;
    private int[] x, y;

    @Setup
    public void setup() {
        model = new RecurrentLanguageModel(ModelConfig.simple(CellType.parse(cell), VOCAB, hidden),
                Gemm.create(Gemm.Backend.valueOf(backend), threads, false));
        Rng rng = new Rng(5);
        model.initPyTorchDefault(rng);
        state = model.zeroState(BATCH);
        x = new int[STEPS * BATCH];
        y = new int[STEPS * BATCH];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(VOCAB);
            y[i] = rng.nextInt(VOCAB);
        }
    }

    @Benchmark
    public double forwardBackward() {
        double loss = model.forward(x, y, STEPS, BATCH, state);
        model.backward();
        return loss;
    }

    @Benchmark
    public double forwardOnly() {
        return model.forward(x, y, STEPS, BATCH, state);
    }
}
