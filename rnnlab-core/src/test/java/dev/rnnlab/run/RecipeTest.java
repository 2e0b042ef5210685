package dev.rnnlab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.nn.CellType;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecipeTest {
    @Test
    void dropoutGrowsWithThePassesTheBudgetAllowsAndTheWidthWithLongBudgets() {
        // tiny Shakespeare (1.1 M characters): 10 minutes read it about 13 times
        Recipe tenMinutes = Recipe.forText(1_115_394, 600);
        assertThat(tenMinutes.passes()).isBetween(12.0, 14.0);
        assertThat(tenMinutes.hidden()).isEqualTo(256);
        Recipe once = Recipe.forText(50_000_000, 600);
        assertThat(once.regularization().any()).isFalse();
        Recipe small = Recipe.forText(100_000, 600);
        assertThat(small.regularization().hiddenDropout()).isGreaterThan(tenMinutes.regularization().hiddenDropout());
        assertThat(Recipe.forText(1_115_394, 4 * 3600).hidden()).isGreaterThan(256);
        assertThat(tenMinutes.reasons()).isNotEmpty().allMatch(r -> !r.isBlank());
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
