package dev.rnnlab.data;

import static dev.rnnlab.data.SequentialPartitionerTest.positions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomSamplerTest {
    @Test
    void subsequencesOfAnEpochCoverTheCorpusFromTheOffsetWithoutOverlap() {
        int len = 1000, batch = 4, steps = 7;
        RandomSampler s = new RandomSampler(positions(len), batch, steps);
        assertThat(s.carriesState()).isFalse();
        Epoch epoch = s.epoch(new Rng(5));
        int offset = epoch.offset();
        List<Integer> starts = new ArrayList<>();
        for (Batch b : epoch) {
            for (int row = 0; row < batch; row++) {
                for (int t = 0; t < steps; t++) {
                    assertThat(b.input(t, row)).isEqualTo(b.input(0, row) + t); // a contiguous subsequence
                    assertThat(b.target(t, row)).isEqualTo(b.input(t, row) + 1); // Y = X shifted by one
                }
                starts.add(b.input(0, row));
            }
        }
        // D2L: num_subseqs = (len - offset - 1) // steps, of which num_batches * batch are used
        int subsequences = (len - offset - 1) / steps;
        assertThat(starts).hasSize(subsequences / batch * batch).doesNotHaveDuplicates()
                .allMatch(start -> (start - offset) % steps == 0 && start >= offset
                        && start + steps < len); // on the grid from the offset, no overlap, target in range
    }

    @Test
    void batchesAreShuffledNotInCorpusOrder() {
        RandomSampler s = new RandomSampler(positions(10_000), 2, 5);
        List<Integer> firstColumn = new ArrayList<>();
        for (Batch b : s.epoch(new Rng(11))) firstColumn.add(b.input(0, 0));
        List<Integer> sorted = new ArrayList<>(firstColumn);
        sorted.sort(null);
        assertThat(firstColumn).isNotEqualTo(sorted);
    }

    @Test
    void offsetsLieInZeroToStepsAndVaryAcrossEpochs() {
        RandomSampler s = new RandomSampler(positions(500), 2, 10);
        Rng rng = new Rng(42);
        Set<Integer> offsets = new HashSet<>();
        for (int e = 0; e < 200; e++) offsets.add(s.epoch(rng).offset());
        assertThat(offsets).allMatch(o -> o >= 0 && o < 10).hasSize(10);
    }

    @Test
    void theSameSeedGivesTheSameEpochAndAnotherSeedAnother() {
        RandomSampler s = new RandomSampler(positions(2000), 3, 4);
        List<int[]> a = inputs(s.epoch(new Rng(9)));
        List<int[]> b = inputs(s.epoch(new Rng(9)));
        List<int[]> c = inputs(s.epoch(new Rng(10)));
        assertThat(a).usingRecursiveComparison().isEqualTo(b);
        assertThat(a).usingRecursiveComparison().isNotEqualTo(c);
    }

    private static List<int[]> inputs(Epoch e) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : e) out.add(b.inputs());
        return out;
    }

    @Test
    void aCorpusTooShortIsAOneLineError() {
        assertThatThrownBy(() -> new RandomSampler(positions(10), 2, 4)).isInstanceOf(RnnlabException.class)
                .hasMessageStartingWith("corpus of 10 tokens is too short for batch 2 x steps 4: need at least 12 tokens");
        assertThatThrownBy(() -> new RandomSampler(positions(10), 2, 0))
                .hasMessage("number of steps must be positive, got 0");
    }
}
