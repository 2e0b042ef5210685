package dev.rnnlab.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The crash-safe save of the package description, tested by failing it at every step: as a failed write
 * (an IOException: the save cleans up and the old checkpoint stays) and as a kill (an Error that skips all
 * clean-up: whatever is on disk must still read as the old or the new checkpoint, and the next save must
 * tidy it). A second kill inside the next save's recovery is tested too.
 */
class CheckpointCrashTest {
    private static final ModelConfig SHAPE = new ModelConfig(CellType.LSTM, 5, 0, 4, 1, false, 0f);

    @TempDir
    Path tmp;

    /** What a kill looks like to the code: nothing after it runs, not even a finally's clean-up of our own. */
    static final class Kill extends Error {}

    @AfterEach
    void noHook() {
        Checkpoint.hook = step -> { };
    }

    static RecurrentLanguageModel model(long seed) {
        RecurrentLanguageModel m = new RecurrentLanguageModel(SHAPE, CheckpointTest.GEMM);
        m.initPyTorchDefault(new Rng(seed));
        return m;
    }

    static Trainer.Progress progress(int epochs) {
        List<EpochMetrics> h = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) h.add(new EpochMetrics(e, 10, 100, 0.5 * e, 2.0 / e, 1, 1, 0, 1, Double.NaN, 0));
        return new Trainer.Progress(epochs, new long[] {1, 2, 3, 4}, Double.POSITIVE_INFINITY, 0, false, h);
    }

    void save(Path dir, long seed, int epochs) {
        Checkpoint.write(dir, CheckpointTest.info(SHAPE), model(seed), CheckpointTest.vocab(5), Map.of("m", new float[] {seed}), epochs,
                progress(epochs));
    }

    static float firstWeight(Checkpoint.Loaded c) {
        return c.model().parameters().values()[0];
    }

    static List<String> leftovers(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches(".*\\.(tmp|new|prev)")).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Checkpoint.Step.class)
    void aKillAtAnyStepLeavesACompleteCheckpointAndTheNextSaveTidiesUp(Checkpoint.Step step) throws Exception {
        Path dir = tmp.resolve("ck");
        save(dir, 1, 1);
        Files.writeString(dir.resolve("metrics.jsonl"), "{\"epoch\":1}\n");
        float old = firstWeight(Checkpoint.read(dir, CheckpointTest.GEMM)), next = model(2).parameters().values()[0];
        Checkpoint.hook = s -> {
            if (s == step) throw new Kill();
        };
        assertThatThrownBy(() -> save(dir, 2, 2)).isInstanceOf(Kill.class);
        Checkpoint.hook = s -> { };
        Checkpoint.Loaded after = Checkpoint.read(dir, CheckpointTest.GEMM);
        // before the seal the old checkpoint is the one; from the seal on, the new one
        float expected = step.compareTo(Checkpoint.Step.SEAL) > 0 ? next : old;
        assertThat(firstWeight(after)).isEqualTo(expected);
        assertThat(after.progress().history()).hasSize(expected == next ? 2 : 1);
        save(dir, 3, 3);
        Checkpoint.Loaded third = Checkpoint.read(dir, CheckpointTest.GEMM);
        assertThat(firstWeight(third)).isEqualTo(model(3).parameters().values()[0]);
        assertThat(third.progress().history()).hasSize(3);
        assertThat(Files.readString(dir.resolve("metrics.jsonl"))).isEqualTo("{\"epoch\":1}\n");
        assertThat(leftovers(tmp)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Checkpoint.Step.class)
    void aKillDuringTheRecoveryOfAnEarlierKillStillLosesNothing(Checkpoint.Step first) throws Exception {
        Path dir = tmp.resolve("ck");
        save(dir, 1, 1);
        Checkpoint.hook = s -> {
            if (s == first) throw new Kill();
        };
        assertThatThrownBy(() -> save(dir, 2, 2)).isInstanceOf(Kill.class);
        float survivor = firstWeight(Checkpoint.read(dir, CheckpointTest.GEMM));
        // the next save dies right after its recovery, before writing anything of its own
        Checkpoint.hook = s -> {
            if (s == Checkpoint.Step.WRITE) throw new Kill();
        };
        assertThatThrownBy(() -> save(dir, 3, 3)).isInstanceOf(Kill.class);
        Checkpoint.hook = s -> { };
        assertThat(firstWeight(Checkpoint.read(dir, CheckpointTest.GEMM))).isEqualTo(survivor);
        assertThat(Files.isRegularFile(dir.resolve("config.json"))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Checkpoint.Step.class, names = {"WRITE", "SYNC", "SEAL", "RETIRE", "INSTALL"})
    void aFailedSaveRemovesWhatItWroteAndKeepsTheOldCheckpoint(Checkpoint.Step step) throws Exception {
        Path dir = tmp.resolve("ck");
        save(dir, 1, 1);
        float old = firstWeight(Checkpoint.read(dir, CheckpointTest.GEMM));
        Checkpoint.hook = s -> {
            if (s == step) throw new IOException("No space left on device");
        };
        assertThatThrownBy(() -> save(dir, 2, 2)).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("the disk is full").hasMessageContaining("the previous checkpoint, if any, is untouched");
        Checkpoint.hook = s -> { };
        assertThat(leftovers(tmp)).isEmpty();
        Checkpoint.Loaded after = Checkpoint.read(dir, CheckpointTest.GEMM);
        assertThat(firstWeight(after)).isEqualTo(old);
        assertThat(after.progress().history()).hasSize(1);
    }

    @org.junit.jupiter.api.Test
    void historyIsAppendedNotRewrittenAndAFreshRunInTheSameDirectoryStartsItsOwn() throws Exception {
        Path dir = tmp.resolve("ck");
        save(dir, 1, 1);
        save(dir, 1, 2);
        save(dir, 1, 3);
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(3);
        Trainer.Progress back = Checkpoint.read(dir, CheckpointTest.GEMM).progress();
        assertThat(back.history()).isEqualTo(progress(3).history());
        assertThat(back.epochsDone()).isEqualTo(3);
        assertThat(back.rngState()).containsExactly(1, 2, 3, 4);
        // another run's history (other seconds) in the same directory: written afresh, not appended to the old
        List<EpochMetrics> other = List.of(new EpochMetrics(1, 10, 100, 9.0, 1.0, 1, 1, 0, 1, Double.NaN, 0));
        Checkpoint.write(dir, CheckpointTest.info(SHAPE), model(1), CheckpointTest.vocab(5), Map.of(), 1,
                new Trainer.Progress(1, new long[] {1, 2, 3, 4}, Double.POSITIVE_INFINITY, 0, false, other));
        assertThat(Files.readAllLines(dir.resolve("history.jsonl"))).hasSize(1);
        assertThat(Checkpoint.read(dir, CheckpointTest.GEMM).progress().history()).isEqualTo(other);
    }

    @org.junit.jupiter.api.Test
    void weightsThatAreNotFiniteAreNeverWritten() throws Exception {
        Path dir = tmp.resolve("ck");
        save(dir, 1, 1);
        byte[] before = Files.readAllBytes(dir.resolve("model.safetensors"));
        RecurrentLanguageModel bad = model(2);
        bad.parameters().values()[3] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> Checkpoint.write(dir, CheckpointTest.info(SHAPE), bad, CheckpointTest.vocab(5), null, 0, null))
                .isInstanceOf(RnnlabException.class).hasMessageContaining("infinity in rnn.weight_ih_l0");
        assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(before);
    }
}
