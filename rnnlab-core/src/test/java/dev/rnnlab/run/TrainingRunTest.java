package dev.rnnlab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.Models;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.TokenFile;
import dev.rnnlab.text.TokenSequence;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.train.EpochMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {
    @TempDir
    Path dir;

    private final Gemm gemm = Gemm.create(Gemm.Backend.JAVA, 1, false);

    private RunSpec lstm(int epochs) {
        return RunSpec.builder().corpus(RealCorpora.timemachine()).maxTokens(3000).cell(CellType.LSTM).hidden(16)
                .batch(4).steps(10).epochs(epochs).lr(1).split("0.9,0.1").build();
    }

    @Test
    void defaultDirectoriesHaveNamesAPersonWouldChoose() {
        assertThat(TrainingRun.directoryName("timemachine.txt", "rnn", 512)).isEqualTo("timemachine-rnn-h512");
        assertThat(TrainingRun.directoryName("synthetic-markov", "rnn", 512)).isEqualTo("synthetic-markov-rnn-h512");
        assertThat(TrainingRun.directoryName("My Notes (v2).txt", "lstm", 256)).isEqualTo("My-Notes-v2-lstm-h256");
        assertThat(TrainingRun.directoryName("../../etc/passwd", "gru", 8)).isEqualTo("etc-passwd-gru-h8");
        assertThat(TrainingRun.directoryName("***.txt", "gru", 8)).isEqualTo("corpus-gru-h8");
    }

    @Test
    void aSpecBecomesATrainedAndSavedRun() throws Exception {
        Path ck = dir.resolve("ck");
        List<EpochMetrics> history;
        try (TrainingRun run = TrainingRun.builder(lstm(2)).gemm(gemm).checkpointDirectory(ck).build()) {
            assertThat(run.corpus().length()).isEqualTo(3000);
            assertThat(run.trainTokens().length()).isEqualTo(2700);
            assertThat(run.validationTokens().length()).isEqualTo(300);
            history = run.run();
            assertThat(run.savedEpoch()).isEqualTo(2);
        }
        assertThat(history).hasSize(2);
        assertThat(history.getLast().trainPerplexity()).isLessThan(history.getFirst().trainPerplexity());
        assertThat(ck.resolve("metrics.jsonl")).exists();
        // the checkpoint stores the spec, which reads back to the run as it ran
        Checkpoint.Loaded saved = Checkpoint.read(ck, gemm);
        assertThat(RunSpec.of(saved.info())).isEqualTo(lstm(2));
    }

    @Test
    void aModelTrainedFromAPreparedTokenFileIsTheModelTrainedFromTheText() {
        // random sampling, a split (training-part vocabulary) and --min-freq: every view over the mapped file
        Path prepared = dir.resolve("tm.tokens");
        TokenFile.prepare(TokenFile.Request.of(List.of(RealCorpora.timemachine()), Normalizer.D2L, Tokenizer.CHAR), prepared, false, null);
        RunSpec fromText = lstm(2).toBuilder().sampling(dev.rnnlab.data.Sampling.RANDOM).minFreq(3).build();
        RunSpec fromTokens = fromText.toBuilder().corpus(prepared.toString()).build();
        float[] expected, actual;
        List<EpochMetrics> a, b;
        try (TrainingRun run = TrainingRun.builder(fromText).gemm(gemm).build()) {
            a = run.run();
            expected = run.model().parameters().values().clone();
        }
        try (TrainingRun run = TrainingRun.builder(fromTokens).gemm(gemm).build()) {
            assertThat(run.corpus().tokens()).isNotInstanceOf(TokenSequence.OfArray.class);
            b = run.run();
            actual = run.model().parameters().values();
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(b.getLast().validationLoss()).isEqualTo(a.getLast().validationLoss());
    }

    @Test
    void resumingIsBitIdenticalToAnUninterruptedRun() {
        Path straight = dir.resolve("straight"), cut = dir.resolve("cut");
        float[] expected;
        try (TrainingRun run = TrainingRun.builder(lstm(3)).gemm(gemm).checkpointDirectory(straight).build()) {
            run.run();
            expected = run.model().parameters().values().clone();
        }
        try (TrainingRun run = TrainingRun.builder(lstm(2)).gemm(gemm).checkpointDirectory(cut).build()) {
            run.run();
        }
        Checkpoint.Loaded saved = Checkpoint.read(cut, gemm);
        RunSpec more = RunSpec.of(saved.info()).toBuilder().epochs(3).build();
        try (TrainingRun run = TrainingRun.builder(more).gemm(gemm).checkpointDirectory(cut).resumeFrom(saved).build()) {
            assertThat(run.resumed()).isTrue();
            assertThat(run.run()).hasSize(3);
            assertThat(run.model().parameters().values()).isEqualTo(expected);
        }
    }

    @Test
    void aRunThatAveragesItsWeightsSavesTheAverageAndResumesBitIdentically() {
        Path straight = dir.resolve("straight"), cut = dir.resolve("cut");
        float[] expected;
        try (TrainingRun run = TrainingRun.builder(lstm(3).toBuilder().averaging("from:2").build()).gemm(gemm)
                .checkpointDirectory(straight).build()) {
            run.run();
            expected = run.model().parameters().values().clone();
            assertThat(run.trainer().averagingFrom()).isEqualTo(2);
        }
        Checkpoint.Loaded whole = Checkpoint.read(straight, gemm);
        // the model file is the average; the training weights, which differ, wait in the optimizer file
        assertThat(whole.model().parameters().values()).isEqualTo(expected);
        assertThat(whole.optimizerState().get(dev.rnnlab.train.Trainer.TRAINING_WEIGHTS)).isNotEqualTo(expected);
        try (TrainingRun run = TrainingRun.builder(lstm(2).toBuilder().averaging("from:2").build()).gemm(gemm)
                .checkpointDirectory(cut).build()) {
            run.run();
        }
        Checkpoint.Loaded saved = Checkpoint.read(cut, gemm);
        RunSpec more = RunSpec.of(saved.info()).toBuilder().epochs(3).build();
        assertThat(more.optimization().averaging()).isEqualTo("from:2");
        try (TrainingRun run = TrainingRun.builder(more).gemm(gemm).checkpointDirectory(cut).resumeFrom(saved).build()) {
            assertThat(run.run()).hasSize(3);
            assertThat(run.model().parameters().values()).isEqualTo(expected);
        }
    }

    @Test
    void anExistingCheckpointIsNeitherReplacedByMistakeNorSharedWithARunningRun() {
        Path ck = dir.resolve("ck");
        try (TrainingRun run = TrainingRun.builder(lstm(1)).gemm(gemm).checkpointDirectory(ck).build()) {
            assertThatThrownBy(() -> TrainingRun.builder(lstm(1)).gemm(gemm).checkpointDirectory(ck).build())
                    .isInstanceOf(RnnlabException.class).hasMessageContaining("is in use by another rnnlab run");
            run.run();
        }
        assertThatThrownBy(() -> TrainingRun.builder(lstm(1)).gemm(gemm).checkpointDirectory(ck).build())
                .isInstanceOf(RnnlabException.class).hasMessageContaining("holds a checkpoint already");
        try (TrainingRun again = TrainingRun.builder(lstm(1)).gemm(gemm).checkpointDirectory(ck).overwrite(true).build()) {
            assertThat(again.run()).hasSize(1);
        }
    }

    @Test
    void withoutADirectoryNothingIsWritten() throws Exception {
        try (TrainingRun run = TrainingRun.builder(lstm(1)).gemm(gemm).build()) {
            assertThat(run.checkpointDirectory()).isEmpty();
            run.run();
            assertThat(run.savedEpoch()).isEqualTo(-1);
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aDefaultDirectoryIsNamedAfterTheCorpusAndModel() {
        try (TrainingRun run = TrainingRun.builder(lstm(1)).gemm(gemm).checkpointDirectoryUnder(dir).build()) {
            assertThat(run.checkpointDirectory()).contains(dir.resolve("timemachine-lstm-h16"));
        }
    }

    @Test
    void shardedTrainingMatchesOneThreadAtTheStart() {
        try (TrainingRun one = TrainingRun.builder(lstm(1)).gemm(gemm).build();
             TrainingRun two = TrainingRun.builder(lstm(1)).gemm(gemm).shards(2).build()) {
            assertThat(two.model().parameters().values()).isEqualTo(one.model().parameters().values());
            double a = one.run().getLast().trainLoss(), b = two.run().getLast().trainLoss();
            assertThat(b).isCloseTo(a, org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    /** With no shard count given the run chooses: the unit split for wide layers, shards for narrow ones. */
    @Test
    void theCoresAreUsedAsTheModelsWidthSuits() {
        Gemm two = Gemm.create(Gemm.Backend.AUTO, 2, false);
        RunSpec wide = RunSpec.builder().corpus(RealCorpora.timemachine()).maxTokens(3000).cell(CellType.LSTM).hidden(256)
                .batch(32).steps(10).epochs(1).build();
        try (TrainingRun narrowRun = TrainingRun.builder(lstm(1)).gemm(two).build();
             TrainingRun wideRun = TrainingRun.builder(wide).gemm(two).build();
             TrainingRun oneThread = TrainingRun.builder(wide).gemm(gemm).build();
             TrainingRun asked = TrainingRun.builder(wide).gemm(two).shards(2).build()) {
            assertThat(narrowRun.shards()).as("LSTM-16, batch 4: too narrow to split").isEqualTo(2);
            assertThat(narrowRun.parallelism()).contains("2 shards");
            assertThat(wideRun.shards()).isEqualTo(1);
            assertThat(wideRun.parallelism()).contains("2 threads").contains("hidden units split");
            assertThat(oneThread.shards()).isEqualTo(1);
            assertThat(oneThread.parallelism()).isEqualTo("one thread");
            assertThat(asked.shards()).isEqualTo(2);
        }
        assertThat(Models.automaticShards(wide.model().config(28), 32, two)).isEqualTo(1);
        assertThat(Models.automaticShards(wide.model().config(28), 4, two)).as("batch 4: 0.5 M a part").isEqualTo(2);
    }
}
