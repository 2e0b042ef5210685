package dev.rnnlab.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.RealCorpora;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.data.Batch;
import dev.rnnlab.data.Epoch;
import dev.rnnlab.data.SequenceSampler;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.Models;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.TokenSequence;
import dev.rnnlab.train.EpochMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data-parallel training in local mode: what it must equal, what it writes, and how it resumes. */
class SparkTrainingTest {
    private static JavaSparkContext spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("rnnlab training test");
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private static RunSpec.Builder small() {
        return RunSpec.builder().corpus(RealCorpora.timemachine()).model("lstm").hidden(24).batch(8).steps(10).maxTokens(6_000)
                .split("0.9,0.1").epochs(2).seed(7).saveEvery(1);
    }

    /**
     * With K = 1, plain SGD and no clipping, averaging the partitions' weights after each step is one step on
     * the mean of their gradients: single-machine SGD on the batch whose rows are every partition's rows.
     */
    @Test
    void oneBatchPerRoundWithSgdEqualsOneMachineOnTheConcatenatedBatch() {
        RunSpec spec = small().optimizer("sgd").lr(0.8).clip(0).build();
        int partitions = 2;
        try (SparkTraining t = SparkTraining.builder(spark, spec).partitions(partitions).syncEvery(1).validateEvery(0).build()) {
            LanguageModel start = Models.initialized(spec.model().kind(), t.trainingRun().model().config(), spec.model().init(),
                    spec.optimization().seed(), Gemm.create(Gemm.Backend.JAVA, 1, false));
            float[] initial = start.parameters().values().clone();
            List<EpochMetrics> history = t.run();

            // the same updates on one machine, on batches made of both partitions' rows
            TokenSequence train = t.trainingRun().trainTokens();
            RoundWorker.Job job = new RoundWorker.Job("reference", spec, spec.model().kind(), start.config(), partitions,
                    spec.data().batch() / partitions, 1);
            List<SequenceSampler> samplers = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                long from = train.length() * p / partitions, to = train.length() * (p + 1) / partitions;
                int[] share = new int[(int) (to - from)];
                train.copyTo(from, share, 0, share.length);
                samplers.add(job.sampler(share));
            }
            Rng trainerRng = new Rng(spec.optimization().seed());
            BpttStrategy strategy = spec.bptt().newStrategy();
            RecurrentState state = start.zeroState(spec.data().batch());
            for (int e = 0; e < spec.optimization().epochs(); e++) {
                long epochSeed = trainerRng.nextLong();
                List<Epoch> epochs = new ArrayList<>();
                int batches = Integer.MAX_VALUE;
                for (int p = 0; p < partitions; p++) {
                    epochs.add(samplers.get(p).epoch(RoundWorker.Job.epochRng(epochSeed, p)));
                    batches = Math.min(batches, epochs.get(p).batches());
                }
                double lossSum = 0;
                for (int i = 0; i < batches; i++) {
                    Batch joined = concatenate(epochs, i);
                    if (i == 0) state.fill(0f);
                    start.parameters().zeroGrads();
                    lossSum += strategy.computeGradients(start, joined, state, new Rng(1));
                    float[] w = start.parameters().values(), g = start.parameters().grads();
                    for (int k = 0; k < w.length; k++) w[k] -= (float) spec.optimization().lr() * g[k];
                }
                assertThat(history.get(e).trainLoss()).as("epoch %d's mean loss", e + 1).isCloseTo(lossSum / batches,
                        org.assertj.core.data.Offset.offset(1e-5));
            }
            float[] distributed = t.trainingRun().model().parameters().values();
            float[] reference = start.parameters().values();
            double moved = 0, worst = 0;
            for (int k = 0; k < reference.length; k++) {
                moved = Math.max(moved, Math.abs(reference[k] - initial[k]));
                worst = Math.max(worst, Math.abs(reference[k] - distributed[k]));
            }
            assertThat(moved).as("training moved the weights").isGreaterThan(0.05);
            // averaging two float weights rounds once per step; over these ~60 steps the drift stays a few float epsilons (6e-7 measured)
            assertThat(worst).as("largest weight difference").isLessThan(5e-6);
        }
    }

    private static Batch concatenate(List<Epoch> epochs, int i) {
        List<Batch> parts = new ArrayList<>();
        for (Epoch e : epochs) parts.add(e.batch(i));
        int steps = parts.get(0).steps(), each = parts.get(0).batchSize(), b = each * parts.size();
        int[] in = new int[steps * b], out = new int[steps * b];
        for (int t = 0; t < steps; t++) {
            for (int p = 0; p < parts.size(); p++) {
                for (int j = 0; j < each; j++) {
                    in[t * b + p * each + j] = parts.get(p).input(t, j);
                    out[t * b + p * each + j] = parts.get(p).target(t, j);
                }
            }
        }
        return new Batch(steps, b, in, out);
    }

    @Test
    void aRunWritesWhatTrainWritesAndAResumedRunEqualsAnUninterruptedOne() throws Exception {
        RunSpec spec = small().optimizer("adam").lr(0.01).clip(1).epochs(3).build();
        Path whole = dir.resolve("whole"), cut = dir.resolve("cut");
        float[] uninterrupted;
        try (SparkTraining t = SparkTraining.builder(spark, spec).partitions(2).syncEvery(4).validateEvery(2)
                .checkpointDirectory(whole).build()) {
            List<EpochMetrics> h = t.run();
            assertThat(h).hasSize(3);
            assertThat(h.get(2).validationLoss()).isLessThan(h.get(0).validationLoss());
            uninterrupted = t.trainingRun().model().parameters().values().clone();
            int rounds = (t.batchesPerEpoch() + 3) / 4;
            assertThat(lines(whole.resolve(SparkRounds.ROUNDS_LOG))).as("a line per round").hasSizeGreaterThanOrEqualTo(3 * (rounds - 1));
        }
        assertThat(lines(whole.resolve("metrics.jsonl"))).hasSize(3);
        List<JsonNode> rounds = lines(whole.resolve(SparkRounds.ROUNDS_LOG));
        assertThat(rounds).anyMatch(r -> r.has("validation_loss") && r.get("round").asInt() < r.get("rounds").asInt());
        assertThat(rounds).allMatch(r -> r.get("sync_seconds").asDouble() >= 0 && r.get("partitions").asInt() == 2);
        assertThat(Files.readString(whole.resolve(SparkTraining.SETTINGS_FILE))).contains("\"sync_every\" : 4");
        // the checkpoint is the single-machine format, with the averaged Adam moments
        Checkpoint.Loaded saved = Checkpoint.read(whole, Gemm.create(Gemm.Backend.JAVA, 1, false));
        assertThat(saved.resumable()).isTrue();
        assertThat(saved.model().parameters().values()).containsExactly(uninterrupted);
        assertThat(saved.optimizerState()).containsKeys("m", "v");

        // cut after 2 epochs, resumed for the 3rd: bit for bit the run above
        try (SparkTraining t = SparkTraining.builder(spark, spec.toBuilder().epochs(2).build()).partitions(2).syncEvery(4).validateEvery(2)
                .checkpointDirectory(cut).build()) {
            t.run();
        }
        try (SparkTraining t = SparkTraining.builder(spark, spec).partitions(2).syncEvery(4).resume(true).checkpointDirectory(cut).build()) {
            assertThat(t.run()).hasSize(3);
            assertThat(t.trainingRun().model().parameters().values()).containsExactly(uninterrupted);
        }
        assertThat(lines(cut.resolve("metrics.jsonl"))).extracting(j -> j.get("epoch").asInt()).containsExactly(1, 2, 3);
        assertThat(lines(cut.resolve(SparkRounds.ROUNDS_LOG))).extracting(j -> j.get("epoch").asInt() + ":" + j.get("round").asInt())
                .containsExactlyElementsOf(lines(whole.resolve(SparkRounds.ROUNDS_LOG)).stream()
                        .map(j -> j.get("epoch").asInt() + ":" + j.get("round").asInt()).toList());
        // a different cluster setting cannot continue it
        assertThatThrownBy(() -> SparkTraining.builder(spark, spec.toBuilder().epochs(4).build()).partitions(2).syncEvery(8).resume(true)
                .checkpointDirectory(cut).build()).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("was trained over 2 partitions with --sync-every 4");
    }

    @Test
    void aBatchThatDoesNotSplitOverThePartitionsIsRefusedBeforeAnythingIsWritten() {
        RunSpec spec = small().batch(9).build();
        Path run = dir.resolve("odd");
        assertThatThrownBy(() -> SparkTraining.builder(spark, spec).partitions(2).checkpointDirectory(run).build())
                .isInstanceOf(RnnlabException.class).hasMessage("a batch of 9 streams does not split evenly over 2 partitions;"
                        + " give --batch a multiple of 2 or another --partitions");
        assertThat(run.resolve("config.json")).doesNotExist();
        assertThat(run.resolve(SparkTraining.SETTINGS_FILE)).doesNotExist();
    }

    @Test
    void gruWithRandomSamplingAndTruncatedBpttOverThreePartitionsLearns() {
        RunSpec spec = small().model("gru").batch(6).sampling(dev.rnnlab.data.Sampling.RANDOM).bptt("truncated:5").optimizer("adam")
                .lr(0.01).epochs(3).build();
        try (SparkTraining t = SparkTraining.builder(spark, spec).partitions(3).syncEvery(2).workerShards(2).build()) {
            List<EpochMetrics> h = t.run();
            assertThat(h.get(2).trainLoss()).isLessThan(h.get(0).trainLoss());
            assertThat(h.get(2).validationLoss()).isLessThan(Math.log(t.trainingRun().corpus().vocabulary().size()));
        }
    }

    static List<JsonNode> lines(Path file) throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) out.add(json.readTree(line));
        return out;
    }
}
