package dev.rnnlab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.nn.CellType;
import dev.rnnlab.tensor.Gemm;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecipeTest {
    @Test
    void dropoutGrowsWithThePassesTheBudgetAllowsAndTheWidthWithTheBudget() {
        // tiny Shakespeare (1.1 M characters): 10 minutes read it about 10 times with 384 units
        Recipe tenMinutes = Recipe.forText(1_115_394, 600);
        assertThat(tenMinutes.hidden()).isEqualTo(384);
        assertThat(tenMinutes.passes()).isBetween(9.0, 11.0);
        assertThat(tenMinutes.regularization().hiddenDropout()).isEqualTo(Recipe.DROPOUT_384);
        // 2 minutes: 256 units, read about 4 times, light dropout
        Recipe twoMinutes = Recipe.forText(1_115_394, 120);
        assertThat(twoMinutes.hidden()).isEqualTo(256);
        assertThat(twoMinutes.passes()).isBetween(3.0, 5.0);
        assertThat(twoMinutes.regularization().hiddenDropout()).isEqualTo(0.1f);
        assertThat(tenMinutes.regularization().hiddenDropout()).isGreaterThan(twoMinutes.regularization().hiddenDropout());
        Recipe once = Recipe.forText(50_000_000, 600);
        assertThat(once.regularization().any()).isFalse();
        Recipe small = Recipe.forText(100_000, 600);
        assertThat(small.regularization().hiddenDropout()).isGreaterThan(tenMinutes.regularization().hiddenDropout());
        Recipe smallShort = Recipe.forText(100_000, 120);
        assertThat(smallShort.regularization().hiddenDropout()).isGreaterThan(twoMinutes.regularization().hiddenDropout());
        assertThat(tenMinutes.reasons()).isNotEmpty().allMatch(r -> !r.isBlank());
        assertThat(tenMinutes.describe()).contains("lstm_ln 2 x 384").contains("locked dropout");
    }

    @Test
    void thePassesFollowTheSpeedGivenForTheWidthChosen() {
        List<Integer> asked = new ArrayList<>();
        Recipe slow = Recipe.forText(1_000_000, 600, h -> {
            asked.add(h);
            return new Recipe.Throughput(1_000, "a test's");
        });
        assertThat(asked).containsExactly(384);
        assertThat(slow.passes()).isCloseTo(0.6, within(1e-9));  // 1,000 chars/s x 600 s over 1,000,000 chars
        assertThat(slow.regularization().any()).as("read under twice: nothing to overfit").isFalse();
        assertThat(slow.reasons().getFirst()).isEqualTo("the budget reads the text about 0.6 times at ~1,000 chars/s (a test's)");
        Recipe fast = Recipe.forText(1_000_000, 600, h -> new Recipe.Throughput(100_000, "a test's"));
        assertThat(fast.passes()).isCloseTo(60, within(1e-9));
        assertThat(fast.regularization().hiddenDropout()).isEqualTo(0.4f);
        assertThat(Recipe.forText(1_000_000, 600).reasons().getFirst()).contains("~18,000 chars/s (assumed");
        assertThatThrownBy(() -> new Recipe.Throughput(Double.NaN, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMeasuredSpeedFallsWithTheWidth() {
        Gemm java = Gemm.create(Gemm.Backend.JAVA, 1, false);
        Recipe.Throughput narrow = Recipe.measureThroughput(8, java, 0.3);
        Recipe.Throughput wide = Recipe.measureThroughput(128, java, 0.3);
        assertThat(narrow.source()).startsWith("measured here in ");
        // per character the wide model's products are about 208,000 multiply-adds (4 x 128 x 128 + 4 x 128 x 256
        // + 128 x 96), the narrow one's about 1,500: a measurement that sees under 4x measures something else
        assertThat(narrow.charsPerSecond()).isGreaterThan(4 * wide.charsPerSecond());
    }

    @Test
    void whatTheUserGaveIsKept() {
        RunSpec.Builder b = RunSpec.builder().corpus("book.txt").hidden(64).split("0.8,0.2");
        RunSpec s = Recipe.forText(1_000_000, 300).applyTo(b, Set.of("--hidden", "--split")::contains).build();
        assertThat(s.model().hidden()).isEqualTo(64);
        assertThat(s.data().split()).isEqualTo("0.8,0.2");
        assertThat(s.model().cell()).isEqualTo(CellType.LSTM_LN);
        assertThat(s.model().layers()).isEqualTo(2);
        assertThat(s.optimization().optimizer()).isEqualTo("adam");
        assertThat(s.optimization().schedule()).isEqualTo("cosine");
    }
}
