package dev.rnnlab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.RealCorpora;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.StepLog;
import dev.rnnlab.train.Trainer;
import dev.rnnlab.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run writes beside its checkpoint for those who watch it (the dashboard reads nothing else): the
 * batches' log, the samples taken while training, and run.json with the run's state; each survives a run
 * cut off and resumed with every epoch once.
 */
class RunLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Gemm GEMM = Gemm.create(Gemm.Backend.JAVA, 1, false);

    @TempDir
    Path dir;

    static RunSpec.Builder small() {
        return RunSpec.builder().corpus(RealCorpora.timemachine()).maxTokens(6000).cell(CellType.GRU).hidden(16).batch(4).steps(10);
    }

    @Test
    void theStepLogSummarisesEveryBatchInAtMost500LinesAnEpoch() throws IOException {
        // 170k characters in batches of 2 x 5: about 17,000 batches, far more than 500 lines
        RunSpec spec = RunSpec.builder().corpus(RealCorpora.timemachine()).maxTokens(0).cell(CellType.RNN_TANH).hidden(8)
                .batch(2).steps(5).epochs(1).build();
        List<EpochMetrics> history;
        Path run = dir.resolve("long");
        try (TrainingRun r = TrainingRun.builder(spec).gemm(GEMM).checkpointDirectory(run).build()) {
            history = r.run();
        }
        List<JsonNode> steps = lines(run.resolve(TrainingRun.STEPS_LOG));
        int batches = steps.getLast().get("batches").asInt();
        assertThat(batches).isGreaterThan(10 * StepLog.LINES_PER_EPOCH);
        assertThat(steps.size()).isLessThanOrEqualTo(StepLog.LINES_PER_EPOCH).isGreaterThan(StepLog.LINES_PER_EPOCH / 2);
        long counted = 0;
        double lossSum = 0;
        for (JsonNode s : steps) {
            counted += s.get("count").asInt();
            lossSum += s.get("loss").asDouble() * s.get("count").asInt();
            assertThat(s.get("grad_norm_clipped").asDouble()).isLessThanOrEqualTo(Math.min(1.0, s.get("grad_norm").asDouble()) + 1e-12);
        }
        assertThat(counted).isEqualTo(batches);
        assertThat(steps.getLast().get("step").asLong()).isEqualTo(batches);  // one update a batch
        // every batch holds the same number of tokens, so the mean of the batches' losses is the epoch's loss
        assertThat(lossSum / counted).isCloseTo(history.getFirst().trainLoss(), org.assertj.core.data.Offset.offset(1e-9));
        JsonNode epoch = lines(run.resolve("metrics.jsonl")).getFirst();
        assertThat(epoch.get("step").asLong()).isEqualTo(batches);
        assertThat(epoch.get("elapsed_seconds").asDouble()).isEqualTo(history.getFirst().seconds());
    }

    @Test
    void samplingWhileTrainingLeavesTheWeightsBitIdentical() throws IOException {
        RunSpec spec = small().epochs(3).build();
        float[] plain, sampled;
        try (TrainingRun r = TrainingRun.builder(spec).gemm(GEMM).checkpointDirectory(dir.resolve("plain")).build()) {
            r.run();
            plain = r.model().parameters().values().clone();
        }
        Path run = dir.resolve("sampled");
        try (TrainingRun r = TrainingRun.builder(spec).gemm(GEMM).checkpointDirectory(run)
                .samples(new TrainingRun.Samples(List.of("the time", "machine"), 20, 1)).build()) {
            r.run();
            sampled = r.model().parameters().values().clone();
        }
        assertThat(sampled).isEqualTo(plain);
        List<JsonNode> samples = lines(run.resolve(TrainingRun.SAMPLES_LOG));
        assertThat(samples).extracting(s -> s.get("epoch").asInt()).containsExactly(1, 2, 3);
        JsonNode last = samples.getLast();
        assertThat(last.get("decoding").asText()).isEqualTo("greedy");
        assertThat(last.get("samples")).hasSize(2);
        assertThat(last.get("samples").get(0).get("prefix").asText()).isEqualTo("the time");
        assertThat(last.get("samples").get(1).get("text").asText()).hasSize(20);  // 20 characters
        assertThat(TrainingRun.Samples.autoEvery(500)).isEqualTo(10);
        assertThat(TrainingRun.Samples.autoEvery(20)).isEqualTo(1);
    }

    @Test
    void aRunCutOffAndResumedLogsEveryEpochOnce_andRunJsonSaysHowItStands() throws IOException {
        Path run = dir.resolve("cut");
        RunSpec spec = small().epochs(4).saveEvery(2).build();
        try (TrainingRun r = TrainingRun.builder(spec).gemm(GEMM).checkpointDirectory(run)
                .samples(new TrainingRun.Samples(List.of(), 10, 1)).diagnostics(10).build()) {
            // killed after epoch 3's lines are written; the checkpoint holds epoch 2
            r.trainer().addListener(new TrainingListener() {
                @Override
                public void epochEnded(EpochMetrics m, Trainer t) {
                    if (m.epoch() == 3) throw new IllegalStateException("the power went out");
                }
            });
            assertThatThrownBy(r::run).hasMessage("the power went out");
        }
        assertThat(status(run).get("status").asText()).isEqualTo("failed");
        assertThat(status(run).get("outcome").asText()).isEqualTo("the power went out");
        assertThat(lines(run.resolve("metrics.jsonl"))).hasSize(3);
        int epoch3Buckets = (int) lines(run.resolve(TrainingRun.STEPS_LOG)).stream().filter(s -> s.get("epoch").asInt() == 3).count();

        Checkpoint.Loaded saved = Checkpoint.read(run, GEMM);
        assertThat(saved.progress().epochsDone()).isEqualTo(2);
        try (TrainingRun r = TrainingRun.builder(spec).gemm(GEMM).checkpointDirectory(run).resumeFrom(saved)
                .samples(new TrainingRun.Samples(List.of(), 10, 1)).diagnostics(10).build()) {
            r.run();
        }
        assertThat(lines(run.resolve("metrics.jsonl"))).extracting(l -> l.get("epoch").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(lines(run.resolve(TrainingRun.SAMPLES_LOG))).extracting(l -> l.get("epoch").asInt()).containsExactly(1, 2, 3, 4);
        assertThat(lines(run.resolve("diagnostics").resolve("diagnostics.jsonl"))).extracting(l -> l.get("epoch").asInt())
                .containsExactly(0, 1, 2, 3, 4);
        List<JsonNode> steps = lines(run.resolve(TrainingRun.STEPS_LOG));
        assertThat(steps.stream().filter(s -> s.get("epoch").asInt() == 3).count()).isEqualTo(epoch3Buckets);
        List<Long> stepNumbers = steps.stream().map(s -> s.get("step").asLong()).toList();
        assertThat(stepNumbers).isSorted().doesNotHaveDuplicates();
        JsonNode status = status(run);
        assertThat(status.get("status").asText()).isEqualTo("finished");
        assertThat(status.get("outcome").asText()).isEqualTo("all 4 epochs");
        assertThat(status.get("resumed").asBoolean()).isTrue();
        assertThat(status.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(status.at("/info/model/hidden").asInt()).isEqualTo(16);
        assertThat(status.at("/info/provenance/corpus").asText()).isEqualTo("timemachine.txt");
    }

    private static JsonNode status(Path run) throws IOException {
        Path f = run.resolve(TrainingRun.STATUS_FILE);
        return Files.exists(f) ? JSON.readTree(f.toFile()) : JSON.createObjectNode().put("status", "");
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) if (!l.isBlank()) out.add(JSON.readTree(l));
        return out;
    }
}
