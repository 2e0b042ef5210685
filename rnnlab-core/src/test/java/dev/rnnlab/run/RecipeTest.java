package dev.rnnlab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.nn.CellType;
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
        assertThat(tenMinutes.describe()).contains("lstm 2 x 384").contains("locked dropout");
    }

    @Test
    void whatTheUserGaveIsKept() {
        RunSpec.Builder b = RunSpec.builder().corpus("book.txt").hidden(64).split("0.8,0.2");
        RunSpec s = Recipe.forText(1_000_000, 300).applyTo(b, Set.of("--hidden", "--split")::contains).build();
        assertThat(s.model().hidden()).isEqualTo(64);
        assertThat(s.data().split()).isEqualTo("0.8,0.2");
        assertThat(s.model().cell()).isEqualTo(CellType.LSTM);
        assertThat(s.model().layers()).isEqualTo(2);
        assertThat(s.optimization().optimizer()).isEqualTo("adam");
        assertThat(s.optimization().schedule()).isEqualTo("cosine");
    }
}
