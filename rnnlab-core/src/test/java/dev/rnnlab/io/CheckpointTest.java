package dev.rnnlab.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    static final Gemm GEMM = Gemm.create(Gemm.Backend.AUTO, 1, false);

    @TempDir
    Path tmp;

    static Vocabulary vocab(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n - 1; i++) b.append((char) ('a' + i)).append(' ');
        return Vocabulary.of(List.of(b.toString().strip().split(" ")), 0, List.of());
    }

    static Checkpoint.Info info(ModelConfig c) {
        return new Checkpoint.Info("test", "rnn", c, new Checkpoint.Provenance("t.txt", "ab", "raw", "char", 10, null),
                new ObjectMapper().createObjectNode().put("seed", 1));
    }

    @Test
    void writesAndReadsBackEveryTensorAndTheOptimizerState() {
        ModelConfig c = new ModelConfig(CellType.GRU, 6, 3, 5, 2, true, 0f);
        RecurrentLanguageModel m = new RecurrentLanguageModel(c, GEMM);
        m.initPyTorchDefault(new Rng(1));
        Path dir = tmp.resolve("ck");
        float[] moment = {1, 2, 3};
        Checkpoint.write(dir, info(c), m, vocab(6), Map.of("m", moment), 17, null);
        assertThat(Files.exists(tmp.resolve("ck.tmp"))).isFalse();
        assertThat(Files.exists(tmp.resolve("ck.prev"))).isFalse();

        Checkpoint.Loaded back = Checkpoint.read(dir, GEMM);
        assertThat(back.model().parameters().values()).containsExactly(m.parameters().values());
        assertThat(back.optimizerState().get("m")).containsExactly(moment);
        assertThat(back.optimizerSteps()).isEqualTo(17);
        assertThat(back.info().model()).isEqualTo(c);
        assertThat(back.vocabulary()).isEqualTo(vocab(6));

        // a second save replaces the first completely
        m.parameters().values()[0] += 1;
        Checkpoint.write(dir, info(c), m, vocab(6), null, 0, null);
        assertThat(Checkpoint.read(dir, GEMM).model().parameters().values()[0]).isEqualTo(m.parameters().values()[0]);
        assertThat(Checkpoint.read(dir, GEMM).optimizerState()).isNull();
    }

    @Test
    void aSaveCutOffBetweenTheTwoRenamesIsFoundAtPrev() throws IOException {
        ModelConfig c = ModelConfig.simple(CellType.LSTM, 4, 3);
        RecurrentLanguageModel m = new RecurrentLanguageModel(c, GEMM);
        Path dir = tmp.resolve("ck");
        Checkpoint.write(dir, info(c), m, vocab(4), null, 0, null);
        Files.move(dir, tmp.resolve("ck.prev"));  // as if killed after DIR -> DIR.prev
        assertThat(Checkpoint.read(dir, GEMM).directory()).isEqualTo(tmp.resolve("ck.prev").toAbsolutePath().normalize());
    }

    @Test
    void missingCorruptTruncatedAndMismatchedCheckpointsGiveOneClearLine() throws IOException {
        assertThatThrownBy(() -> Checkpoint.read(tmp.resolve("nope"), GEMM)).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("no checkpoint at").hasMessageNotContaining("\n");

        ModelConfig c = ModelConfig.simple(CellType.LSTM, 4, 3);
        Path dir = tmp.resolve("ck");
        Checkpoint.write(dir, info(c), new RecurrentLanguageModel(c, GEMM), vocab(4), null, 0, null);
        Path model = dir.resolve("model.safetensors");
        byte[] whole = Files.readAllBytes(model);

        Files.write(model, java.util.Arrays.copyOf(whole, whole.length - 10));
        assertThatThrownBy(() -> Checkpoint.read(dir, GEMM)).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("not a valid safetensors file").hasMessageContaining("truncated");

        Files.write(model, "garbage that is not a safetensors file at all".getBytes());
        assertThatThrownBy(() -> Checkpoint.read(dir, GEMM)).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("not a valid safetensors file");

        // weights of another shape than config.json says
        RecurrentLanguageModel other = new RecurrentLanguageModel(ModelConfig.simple(CellType.LSTM, 4, 5), GEMM);
        Checkpoint.write(tmp.resolve("other"), info(other.config()), other, vocab(4), null, 0, null);
        Files.copy(tmp.resolve("other/model.safetensors"), model, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> Checkpoint.read(dir, GEMM)).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("has shape [20, 4] but the model needs [12, 4]");

        Files.delete(dir.resolve("vocab.json"));
        assertThatThrownBy(() -> Checkpoint.read(dir, GEMM)).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("vocab.json is missing");
    }

    /**
     * A file written by PyTorch (tools/reference/make_fixtures.py: the state_dict of nn.LSTM + nn.Linear saved as
     * safetensors) loads into the engine by name, and the engine then computes PyTorch's float32 logits and loss.
     */
    @Test
    void loadsAPyTorchStateDictAndReproducesItsOutputs() throws IOException {
        Path fixture = Path.of("src/test/resources/fixtures/torch/checkpoint_lstm_l1");
        JsonNode expected;
        try (InputStream in = Files.newInputStream(fixture.resolve("expected.json"))) {
            expected = new ObjectMapper().readTree(in);
        }
        JsonNode cfg = expected.get("config");
        ModelConfig c = new ModelConfig(CellType.parse(cfg.get("cell").asText()), cfg.get("vocab").asInt(), cfg.get("embed").asInt(),
                cfg.get("hidden").asInt(), cfg.get("layers").asInt(), cfg.get("bidirectional").asBoolean(), 0f);
        LanguageModel m = new RecurrentLanguageModel(c, GEMM);
        SafeTensors.Contents torch = SafeTensors.read(fixture.resolve("model.safetensors"));
        Checkpoint.loadParameters(m.parameters(), torch, fixture.resolve("model.safetensors"));
        assertThat(torch.metadata()).containsEntry("format", "pt");

        int steps = cfg.get("steps").asInt(), batch = cfg.get("batch").asInt();
        RecurrentState h0 = m.zeroState(batch);
        float[] hd = floats(expected.get("h0")), cd = floats(expected.get("c0"));
        System.arraycopy(hd, 0, h0.h(0), 0, hd.length);
        System.arraycopy(cd, 0, h0.c(0), 0, cd.length);
        double loss = m.forward(ints(expected.get("inputs")), ints(expected.get("targets")), steps, batch, h0);
        assertThat(loss).isCloseTo(expected.get("loss").asDouble(), within(1e-5));
        float[] logits = floats(expected.get("logits"));
        for (int i = 0; i < logits.length; i++) assertThat(m.logits()[i]).isCloseTo(logits[i], within(1e-5f));
    }

    static float[] floats(JsonNode t) {
        JsonNode d = t.get("data");
        float[] a = new float[d.size()];
        for (int i = 0; i < a.length; i++) a[i] = (float) d.get(i).asDouble();
        return a;
    }

    static int[] ints(JsonNode d) {
        int[] a = new int[d.size()];
        for (int i = 0; i < a.length; i++) a[i] = d.get(i).asInt();
        return a;
    }
}
