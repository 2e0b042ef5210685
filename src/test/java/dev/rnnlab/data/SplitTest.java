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
}
