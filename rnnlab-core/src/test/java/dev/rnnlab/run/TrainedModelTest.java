package dev.rnnlab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.generate.TokenSampler;
import dev.rnnlab.io.SafeTensors;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.Evaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainedModelTest {
    @TempDir
    static Path dir;

    static Path checkpoint;
    static String fromTheRun;
    static final Gemm GEMM = Gemm.create(Gemm.Backend.JAVA, 1, false);

    @BeforeAll
    static void train() {
        checkpoint = dir.resolve("gru");
        RunSpec spec = RunSpec.builder().corpus(RealCorpora.timemachine()).maxTokens(5000).cell(CellType.GRU).hidden(32)
                .batch(8).steps(20).epochs(3).build();
        try (TrainingRun run = TrainingRun.builder(spec).gemm(GEMM).checkpointDirectory(checkpoint).build()) {
            run.run();
            fromTheRun = TrainedModel.of(run).generate("the time ", 30);
        }
    }

    @Test
    void aLoadedCheckpointGeneratesWhatTheRunGenerated() {
        TrainedModel m = TrainedModel.load(checkpoint, GEMM);
        assertThat(m.generate("the time ", 30)).isEqualTo(fromTheRun).startsWith("the time ").hasSize(9 + 30);
        // sampling is a function of the seed
        TokenSampler warm = TokenSampler.sampling(0.8, 0, 1);
        assertThat(m.generate("the ", 40, warm, 7)).isEqualTo(m.generate("the ", 40, warm, 7))
                .isNotEqualTo(m.generate("the ", 40, warm, 8));
    }

    @Test
    void scoringATextAgreesWithScoringItsFile() throws Exception {
        TrainedModel m = TrainedModel.load(checkpoint, GEMM);
        String text = Files.readString(RealCorpora.timemachine()).substring(20_000, 26_000);
        Path file = Files.writeString(dir.resolve("part.txt"), text);
        Evaluator.Result inMemory = m.score(text), fromFile = m.score(file);
        assertThat(inMemory.tokens()).isEqualTo(fromFile.tokens());
        assertThat(inMemory.perplexity()).isEqualTo(fromFile.perplexity());
        // three epochs on 5,000 characters learn something: far below the uniform 28
        assertThat(inMemory.perplexity()).isBetween(2.0, 20.0);
        assertThatThrownBy(() -> m.score("a")).isInstanceOf(RnnlabException.class).hasMessageContaining("needs at least 2");
    }

    @Test
    void exportWritesPyTorchNamedWeights() {
        TrainedModel m = TrainedModel.load(checkpoint, GEMM);
        Path out = dir.resolve("export/gru.safetensors");
        m.exportSafetensors(out);
        SafeTensors.Contents c = SafeTensors.read(out);
        assertThat(c.tensors()).containsKeys("rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
                "linear.weight", "linear.bias");
        assertThat(c.tensors().get("rnn.weight_hh_l0").shape()).containsExactly(3 * 32, 32);
        assertThat(c.tensors().get("linear.weight").data()).isEqualTo(m.model().parameters().get("linear.weight"));
        assertThat(out.resolveSibling("gru.safetensors.tmp")).doesNotExist();
    }

    @Test
    void badInputIsOneLineThatSaysWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> TrainedModel.load(dir.resolve("nowhere"), GEMM)).isInstanceOf(RnnlabException.class)
                .hasMessageStartingWith("no checkpoint at");
        TrainedModel m = TrainedModel.load(checkpoint, GEMM);
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> m.score(missing)).isInstanceOf(RnnlabException.class)
                .hasMessage("cannot read corpus '" + missing + "': no such file");
        Path binary = Files.write(dir.resolve("binary.txt"), new byte[] {0, 1, 2, (byte) 0xff, 0, 0});
        assertThatThrownBy(() -> m.score(binary)).isInstanceOf(RnnlabException.class).hasMessageStartingWith("cannot read corpus");
        assertThatThrownBy(() -> m.generate("the ", -1)).isInstanceOf(RnnlabException.class).hasMessageContaining(">= 0");
    }
}
