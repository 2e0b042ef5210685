package dev.rnnlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequentialPartitionerTest {
    /** Token i is i, so every value says where it came from. */
    static int[] positions(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    @Test
    void rowBOfTheNextBatchContinuesExactlyWhereRowBEnded() {
        SequentialPartitioner s = new SequentialPartitioner(positions(1000), 4, 7);
        assertThat(s.carriesState()).isTrue();
        Epoch epoch = s.epoch(new Rng(1));
        List<Batch> batches = new ArrayList<>();
        epoch.forEachRemaining(batches::add);
        assertThat(batches).hasSize(epoch.batches()).hasSizeGreaterThanOrEqualTo(s.batchesPerEpoch());
        for (int i = 0; i + 1 < batches.size(); i++) {
            for (int b = 0; b < 4; b++) {
                assertThat(batches.get(i + 1).input(0, b)).isEqualTo(batches.get(i).input(6, b) + 1);
            }
        }
        for (Batch batch : batches) {
            for (int t = 0; t < 7; t++) {
                for (int b = 0; b < 4; b++) {
                    assertThat(batch.target(t, b)).isEqualTo(batch.input(t, b) + 1); // Y = X shifted by one
                    if (t > 0) assertThat(batch.input(t, b)).isEqualTo(batch.input(t - 1, b) + 1);
                }
            }
        }
    }

    @Test
    void followsD2lsLayoutFromTheOffset() {
        // D2L: num_tokens = ((len - offset - 1) // batch) * batch; Xs = corpus[offset:offset+num_tokens].reshape(batch, -1)
        int len = 100, batch = 3, steps = 5;
        SequentialPartitioner s = new SequentialPartitioner(positions(len), batch, steps);
        Epoch epoch = s.epoch(new Rng(3));
        int offset = epoch.offset();
        int rowLength = (len - offset - 1) / batch;
        assertThat(epoch.batches()).isEqualTo(rowLength / steps);
        Batch first = epoch.next();
        for (int b = 0; b < batch; b++) assertThat(first.input(0, b)).isEqualTo(offset + b * rowLength);
        assertThat(first.inputs()).hasSize(steps * batch);
        // time-major: inputs[t * batch + b]
        assertThat(first.inputs()[2 * batch + 1]).isEqualTo(offset + rowLength + 2);
    }

    @Test
    void offsetsLieInZeroToStepsAndVaryAcrossEpochs() {
        SequentialPartitioner s = new SequentialPartitioner(positions(500), 2, 10);
        Rng rng = new Rng(42);
        Set<Integer> offsets = new HashSet<>();
        for (int e = 0; e < 200; e++) offsets.add(s.epoch(rng).offset());
        assertThat(offsets).allMatch(o -> o >= 0 && o < 10).hasSize(10);
    }

    @Test
    void theSameSeedGivesTheSameEpoch() {
        SequentialPartitioner s = new SequentialPartitioner(positions(300), 2, 5);
        Epoch a = s.epoch(new Rng(9));
        Epoch b = s.epoch(new Rng(9));
        assertThat(a.offset()).isEqualTo(b.offset());
        while (a.hasNext()) assertThat(a.next().inputs()).isEqualTo(b.next().inputs());
    }

    @Test
    void aCorpusTooShortOrNonPositiveSizesAreOneLineErrors() {
        assertThatThrownBy(() -> new SequentialPartitioner(positions(20), 4, 5)).isInstanceOf(RnnlabException.class)
                .hasMessageStartingWith("corpus of 20 tokens is too short for batch 4 x steps 5: need at least 25 tokens");
        assertThatThrownBy(() -> new SequentialPartitioner(positions(20), 0, 5))
                .hasMessage("batch size must be positive, got 0");
        assertThatThrownBy(() -> new SequentialPartitioner(positions(20), 2, -1))
                .hasMessage("number of steps must be positive, got -1");
    }

    @Test
    void theMinimumLengthYieldsABatchAtEveryOffset() {
        SequentialPartitioner s = new SequentialPartitioner(positions(25), 4, 5);
        Rng rng = new Rng(0);
        for (int e = 0; e < 50; e++) assertThat(s.epoch(rng).batches()).isGreaterThanOrEqualTo(1);
    }
}
