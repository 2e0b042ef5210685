package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.tensor.Gemm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnlab train FILE} with no model options: the auto recipe, what it says, and where options win over it. */
class TrainRecipeTest {
    @TempDir
    Path dir;

    private Path text() throws Exception {
        Path t = dir.resolve("book.txt");
        Files.writeString(t, Files.readString(RealCorpora.timemachine()).substring(0, 40_000));
        return t;
    }

    @Test
    void aTextFileAloneGetsTheAutoRecipeAndTheRunSaysWhatItChoseAndWhy() throws Exception {
        Path ck = dir.resolve("auto");
        CliRun t = CliRun.of("train", text().toString(), "--time-budget", "1s", "--checkpoint", ck.toString(), "--sample-length", "5");
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).contains("recipe auto for this text and a 1s budget").containsPattern("why: the budget reads the text about "
                        + "[0-9.]+ times at ~[0-9,]+ chars/s \\(measured here in 0\\.[5-9] s\\)")
                .contains("model lstm_ln, 2 layers x 256 hidden").contains("adam").contains("cosine").contains("split 0.9,0.1")
                .contains("stopped: the time budget of 1s ran out");
        RunSpec s = RunSpec.of(Checkpoint.read(ck, Gemm.create(Gemm.Backend.AUTO, 1, false)).info());
        assertThat(s.model().hidden()).isEqualTo(256);
        assertThat(s.optimization().schedule()).isEqualTo("cosine");
        // 40,000 characters read for 1 s at the speed measured (under 40,000 chars/s for an LSTM-256 on every
        // machine of this project, docs/RESULTS.md): under 2 passes, so no dropout
        assertThat(s.model().regularization().any()).isFalse();
    }

    @Test
    void optionsGivenWinAndAModelOptionMeansD2lsSettingsUnlessTheRecipeIsAsked() throws Exception {
        Path book = text();
        CliRun byHand = CliRun.of("train", book.toString(), "--hidden", "16", "--epochs", "1", "--checkpoint", dir.resolve("hand").toString(),
                "--sample-length", "5");
        assertThat(byHand.exitCode()).as(byHand.err()).isZero();
        assertThat(byHand.out()).doesNotContain("recipe auto").contains("model rnn_tanh, 1 layer x 16 hidden").contains("sgd");

        CliRun asked = CliRun.of("train", book.toString(), "--recipe", "auto", "--hidden", "16", "--split", "0.8,0.2", "--time-budget", "1s",
                "--checkpoint", dir.resolve("asked").toString(), "--sample-length", "5");
        assertThat(asked.exitCode()).as(asked.err()).isZero();
        assertThat(asked.out()).contains("recipe auto").contains("model lstm_ln, 2 layers x 16 hidden").contains("split 0.8,0.2");

        CliRun d2l = CliRun.of("train", "--corpus", "timemachine", "--recipe", "auto", "--epochs", "1");
        assertThat(d2l.exitCode()).isEqualTo(2);
        assertThat(d2l.err().strip()).isEqualTo("rnnlab: --recipe auto sizes the model by the text: give a text FILE (not a named corpus or a prepared directory)");
    }

    @Test
    void averagedWeightsAreWhatTheCheckpointHoldsAndAResumeKeepsAveraging() throws Exception {
        Path ck = dir.resolve("avg");
        String[] args = TrainCommandTest.trainArgs(text(), ck, "--epochs", "2", "--split", "0.9,0.1", "--average", "from:2");
        CliRun t = CliRun.of(args);
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).contains("weight averaging: from epoch 2")
                .contains("averaging the weights from epoch 2 on: validation, checkpoints and the result use the average");
        CliRun more = CliRun.of("train", "--resume", ck.toString(), "--epochs", "3", "--sample-length", "5");
        assertThat(more.exitCode()).as(more.err()).isZero();
        assertThat(more.out()).contains("weight averaging: from epoch 2, averaging since epoch 2").contains("epoch 3/3");
        CliRun bad = CliRun.of(TrainCommandTest.trainArgs(text(), dir.resolve("bad"), "--average", "last:2"));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("rnnlab: weight averaging last:FRACTION (--average) needs 0 < FRACTION < 1, got 2.0");
    }
}
