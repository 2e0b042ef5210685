package dev.rnnlab.bench;

import dev.rnnlab.Rng;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.nn.Regularization;
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
 * What the AWD-LSTM regularisers add to one training step (forward and backward, one thread): the
 * configuration of bench/tinyshakespeare.sh with a 256-d embedding (2-layer LSTM-256, batch 16 x 50 steps,
 * one shard's share, vocab 65), with {@code regularizers} none, each one alone, or all at once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RegularizationBenchmark {
    @Param({"none", "embedding", "locked", "weightdrop", "artar", "tied", "all"})
    public String regularizers;

    static final int STEPS = 50, BATCH = 16, VOCAB = 65, HIDDEN = 256;
    private RecurrentLanguageModel model;
    private RecurrentState state;
    private int[] x, y;

    @Setup
    public void setup() {
        Regularization.Builder r = Regularization.builder();
        switch (regularizers) {
            case "none" -> { }
            case "embedding" -> r.embeddingDropout(0.1f);
            case "locked" -> r.inputDropout(0.2f).hiddenDropout(0.2f).outputDropout(0.3f);
            case "weightdrop" -> r.weightDrop(0.5f);
            case "artar" -> r.activation(2f).temporalActivation(1f);
            case "tied" -> r.tieWeights(true);
            case "all" -> r.embeddingDropout(0.1f).inputDropout(0.2f).hiddenDropout(0.2f).outputDropout(0.3f).weightDrop(0.5f)
                    .activation(2f).temporalActivation(1f).tieWeights(true);
            default -> throw new IllegalArgumentException(regularizers);
        }
        model = new RecurrentLanguageModel(new ModelConfig(CellType.LSTM, VOCAB, HIDDEN, HIDDEN, 2, false, 0f, r.build()),
                Gemm.create(Gemm.Backend.AUTO, 1, false));
        Rng rng = new Rng(5);
        model.initPyTorchDefault(rng);
        model.setTraining(true, new Rng(6));
        state = model.zeroState(BATCH);
        x = new int[STEPS * BATCH];
        y = new int[STEPS * BATCH];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(VOCAB);
            y[i] = rng.nextInt(VOCAB);
        }
    }

    @Benchmark
    public double step() {
        model.parameters().zeroGrads();
        double loss = model.forward(x, y, STEPS, BATCH, state);
        model.backward();
        return loss;
    }
}
