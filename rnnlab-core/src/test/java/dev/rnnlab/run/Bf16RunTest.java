package dev.rnnlab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.EpochMetrics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run in bf16 follows the fp32 run's loss curve: The Time Machine's first 30,000 characters, an
 * LSTM-256 (wide enough to split its time loop over two threads), Adam, six epochs, every epoch's
 * training loss and the held-out loss within 1% of fp32's. On a CPU with bf16 instructions this runs
 * oneDNN's bf16 GEMM; elsewhere the emulation, which rounds the same way.
 */
class Bf16RunTest {
    @TempDir
    Path work;

    private List<EpochMetrics> train(Gemm.Precision precision) {
        RunSpec spec = RunSpec.builder()
                .corpus(RealCorpora.timemachine()).maxTokens(30_000).split("0.9,0.1")
                .cell(CellType.LSTM).hidden(256).optimizer("adam").lr(0.01).epochs(6).seed(5)
                .build();
        try (TrainingRun run = TrainingRun.builder(spec)
                .gemm(Gemm.create(Gemm.Backend.AUTO, precision, 2, false))
                .checkpointDirectory(work.resolve(precision.name()))
                .build()) {
            return run.run();
        }
    }

    @Test
    void bf16TrainingFollowsTheFp32LossCurveWithinOnePercent() {
        List<EpochMetrics> fp32 = train(Gemm.Precision.FP32), bf16 = train(Gemm.Precision.BF16);
        assertThat(bf16).hasSameSizeAs(fp32);
        boolean differs = false;
        for (int e = 0; e < fp32.size(); e++) {
            EpochMetrics a = fp32.get(e), b = bf16.get(e);
            assertThat(b.trainLoss()).as("training loss, epoch %d", e + 1).isCloseTo(a.trainLoss(), within(0.01 * a.trainLoss()));
            assertThat(b.validationLoss()).as("validation loss, epoch %d", e + 1)
                    .isCloseTo(a.validationLoss(), within(0.01 * a.validationLoss()));
            differs |= b.trainLoss() != a.trainLoss();
        }
        assertThat(differs).as("the bf16 run computed in bf16").isTrue();
        // and it learned (a unigram model of this text has perplexity about 18)
        assertThat(fp32.getLast().trainPerplexity()).isLessThan(12);
    }
}
