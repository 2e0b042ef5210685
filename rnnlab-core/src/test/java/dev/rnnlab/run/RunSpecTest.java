package dev.rnnlab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.Sampling;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.Initialization;
import dev.rnnlab.nn.ModelKind;
import dev.rnnlab.text.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunSpecTest {
    private static RunSpec everyFieldChanged() {
        return RunSpec.builder().corpus("tinyshakespeare").tokens(Tokenizer.WORD).normalize("raw").minFreq(3).maxTokens(5000)
                .split("0.9,0.1").sampling(Sampling.RANDOM).batch(16).steps(20).kind(ModelKind.ENGINE).cell(CellType.GRU)
                .hidden(64).layers(2).embed(32).bidirectional(false).dropout(0.25f).init(Initialization.D2L)
                .optimizer("adamw").weightDecay(0.05).lr(0.002).schedule("cosine:0.0001").warmup(1.5).clip(0.5).epochs(7)
                .patience(2).seed(99).bptt("truncated:10:20").maxMemory("512m").saveEvery(3).saveMinutes(2.5).build();
    }

    @Test
    void jsonRoundTripKeepsEveryField() {
        RunSpec s = everyFieldChanged();
        assertThat(RunSpec.fromJson(s.toJson())).isEqualTo(s);
        assertThat(RunSpec.fromJson(s.toJsonString())).isEqualTo(s);
        assertThat(RunSpec.fromJson(RunSpec.d2l().toJson())).isEqualTo(RunSpec.d2l());
        assertThat(s.toJson().at("/model/cell").asText()).isEqualTo("GRU");
        assertThat(s.toJson().at("/bptt/maxMemoryBytes").asLong()).isEqualTo(512L << 20);
    }

    @Test
    void javaSerializationRoundTrips() throws Exception {
        RunSpec s = everyFieldChanged();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(s);
        }
    }

    @Test
    void readsTheFlatSettingsOfCheckpointsWrittenAtAbc23fb() throws Exception {
        var flat = new ObjectMapper().readTree(Path.of("src/test/resources/fixtures/run/training-abc23fb.json").toFile());
        RunSpec s = RunSpec.fromJson(flat);
        assertThat(s.data()).isEqualTo(new DataSpec("/tmp/fx/tm3k.txt", Tokenizer.CHAR, "", 0, 0, "0.9,0.1",
                Sampling.SEQUENTIAL, 4, 8));
        assertThat(s.model()).isEqualTo(new ModelSpec(ModelKind.ENGINE, CellType.LSTM, 8, 1, 0, false, 0f, Initialization.AUTO));
        assertThat(s.optimization()).isEqualTo(new OptimizationSpec("sgd", 0, 1, "constant", 0, 1, 2, 0, 42));
        assertThat(s.bptt()).isEqualTo(BpttSpec.perBatch());
        assertThat(s.checkpoint()).isEqualTo(CheckpointSpec.defaults());
        // and it is written back in the new layout, which reads to the same
        assertThat(RunSpec.fromJson(s.toJson())).isEqualTo(s);
    }

    @Test
    void theFlatScratchModelIsTheScratchKind() throws Exception {
        var flat = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper()
                .readTree(Path.of("src/test/resources/fixtures/run/training-abc23fb.json").toFile());
        flat.put("model", "scratch");
        assertThat(RunSpec.fromJson(flat).model().kind()).isEqualTo(ModelKind.SCRATCH);
        assertThat(RunSpec.fromJson(flat).model().cell()).isEqualTo(CellType.RNN_TANH);
    }

    static Stream<Arguments> badFields() {
        return Stream.of(
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.hidden(0), "model.hidden", "model.hidden must be >= 1, got 0"),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.layers(-2), "model.layers", "model.layers must be >= 1, got -2"),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.dropout(1f), "model.dropout", "model.dropout must be in [0, 1), got 1.0"),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.batch(0), "data.batch", "data.batch must be >= 1, got 0"),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.maxTokens(-5), "data.maxTokens",
                        "data.maxTokens must be >= 0 (0 = all tokens), got -5"),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.lr(Double.NaN), "optimization.lr",
                        "optimization.lr must be a finite number > 0, got NaN"),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.epochs(0), "optimization.epochs",
                        "optimization.epochs must be >= 1, got 0"),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.saveMinutes(-1), "checkpoint.saveMinutes",
                        "checkpoint.saveMinutes must be a finite number >= 0 (0 = not by time), got -1.0"),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.optimizer("lion"), "optimization.optimizer",
                        "optimization.optimizer: unknown optimizer 'lion': use sgd, momentum[:MU], adam or adamw"),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.bptt("truncated:x"), "bptt.strategy", null),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.split("0.9,x"), "data.split", null),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.kind(ModelKind.SCRATCH).layers(2), "model.kind", null),
                Arguments.of((UnaryOperator<RunSpec.Builder>) b -> b.kind(ModelKind.SCRATCH).init(Initialization.PYTORCH),
                        "model.init", "model.init pytorch is for the engine's models; the scratch model uses d2l"));
    }

    @ParameterizedTest
    @MethodSource("badFields")
    void validationNamesTheBadField(UnaryOperator<RunSpec.Builder> change, String field, String message) {
        assertThatThrownBy(() -> change.apply(RunSpec.builder()).build()).isInstanceOfSatisfying(InvalidSpecException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            if (message != null) assertThat(e).hasMessage(message);
        });
    }

    @Test
    void aBadValueInJsonIsReportedByItsField() {
        var json = RunSpec.d2l().toJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("model")).put("hidden", -1);
        assertThatThrownBy(() -> RunSpec.fromJson(json)).isInstanceOf(InvalidSpecException.class)
                .hasMessage("model.hidden must be >= 1, got -1");
        assertThatThrownBy(() -> RunSpec.fromJson("[1, 2]")).isInstanceOf(RnnlabException.class)
                .hasMessage("a run description must be a JSON object");
        assertThatThrownBy(() -> RunSpec.fromJson("{\"data\": {\"tokens\": \"BYTES\"}}")).isInstanceOf(RnnlabException.class)
                .hasMessageStartingWith("cannot read the run description");
    }

    @Test
    void corpusDefaultsResolveToD2lsRunOnlyOnItsOwnData() {
        RunSpec d2l = RunSpec.d2l().resolvedFor(true), other = RunSpec.d2l().resolvedFor(false);
        assertThat(d2l.optimization().epochs()).isEqualTo(500);
        assertThat(d2l.data().maxTokens()).isEqualTo(10_000);
        assertThat(other.optimization().epochs()).isEqualTo(20);
        assertThat(other.data().maxTokens()).isZero();
        RunSpec given = RunSpec.builder().epochs(3).maxTokens(100).build().resolvedFor(true);
        assertThat(given.optimization().epochs()).isEqualTo(3);
        assertThat(given.data().maxTokens()).isEqualTo(100);
    }
}
