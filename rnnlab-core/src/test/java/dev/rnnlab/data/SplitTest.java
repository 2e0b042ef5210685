package dev.rnnlab.data;

import static dev.rnnlab.data.SequentialPartitionerTest.positions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import org.junit.jupiter.api.Test;

class SplitTest {
    @Test
    void nanoGptsSplitOfTinyShakespeareHasItsPublishedSizes() {
        Split.Parts parts = Split.parse("0.9,0.1").apply(new int[1_115_394]);
        assertThat(parts.train()).hasSize(1_003_854);
        assertThat(parts.validation()).hasSize(111_540);
        assertThat(parts.test()).isEmpty();
    }

    @Test
    void charRnnsDefaultSplitIsContiguousAndCoversEverything() {
        Split.Parts parts = Split.parse("0.95,0.05,0").apply(positions(1001));
        assertThat(parts.train().length + parts.validation().length + parts.test().length).isEqualTo(1001);
        assertThat(parts.train()[0]).isZero();
        assertThat(parts.validation()[0]).isEqualTo(parts.train()[parts.train().length - 1] + 1);
        assertThat(parts.validation()[parts.validation().length - 1]).isEqualTo(1000);
    }

    @Test
    void threeWaySplitsAndPartialSumsLeaveTheRestUnused() {
        Split.Parts parts = Split.of(0.5, 0.25, 0.25).apply(positions(10));
        assertThat(parts.train()).containsExactly(0, 1, 2, 3, 4);
        assertThat(parts.validation()).containsExactly(5, 6);
        assertThat(parts.test()).containsExactly(7, 8, 9);
        assertThat(Split.of(0.5, 0.1, 0).apply(positions(10)).validation()).containsExactly(5);
    }

    @Test
    void badSplitsAreOneLineErrors() {
        assertThatThrownBy(() -> Split.parse("0.9,0.2")).isInstanceOf(RnnlabException.class)
                .hasMessageStartingWith("split fractions 0.9,0.2,0.0 sum to");
        assertThatThrownBy(() -> Split.parse("1.5,0")).hasMessage("split train fraction must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> Split.parse("0.9,x")).hasMessage(
                "cannot read split '0.9,x': 'x' is not a number; give train,validation[,test] fractions, e.g. 0.9,0.1");
        assertThatThrownBy(() -> Split.parse("0.5,0.2,0.1,0.1"))
                .hasMessageStartingWith("cannot read split '0.5,0.2,0.1,0.1'");
    }

    @Test
    void anEmptyTrainingPartIsAOneLineErrorWhetherGivenAsZeroOrCutByRounding() {
        assertThatThrownBy(() -> Split.parse("0,1")).isInstanceOf(RnnlabException.class).hasMessage(
                "split 0.0,1.0,0.0 has an empty training part; give it a fraction above 0, e.g. 0.9,0.1 trains on the first"
                        + " 90% and validates on the rest");
        assertThatThrownBy(() -> Split.parse("1e-9,0.5").apply(positions(2981))).isInstanceOf(RnnlabException.class)
                .hasMessage("split 1.0E-9,0.5,0.0 leaves 0 of the 2,981 tokens for training, fewer than 2: raise the training"
                        + " fraction, e.g. 0.9,0.1");
        assertThatThrownBy(() -> Split.parse("0.1,0.9").apply(positions(19)))
                .hasMessageStartingWith("split 0.1,0.9,0.0 leaves 1 of the 19 tokens for training");
        assertThat(Split.parse("0.1,0.9").apply(positions(20)).train()).containsExactly(0, 1);
        assertThat(Split.parse("1,0").apply(positions(2)).train()).containsExactly(0, 1);
    }
}
