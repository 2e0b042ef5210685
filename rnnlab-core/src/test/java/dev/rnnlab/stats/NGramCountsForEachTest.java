package dev.rnnlab.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NGramCountsForEachTest {
    @Test
    void visitsEveryDistinctNGramOnceInOrderOfFirstOccurrenceWithItsCount() {
        int[] tokens = {1, 2, 1, 2, 3, 1, 2};
        List<String> seen = new ArrayList<>();
        NGramCounts.count(tokens, 4, 2).forEach((p, c) -> seen.add(tokens[(int) p] + "" + tokens[(int) p + 1] + ":" + c));
        assertThat(seen).containsExactly("12:3", "21:1", "23:1", "31:1");
    }
}
