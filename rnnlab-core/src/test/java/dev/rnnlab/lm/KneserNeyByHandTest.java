package dev.rnnlab.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.data.SyntheticCorpus;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Kneser-Ney and add-k probabilities against values worked out by hand from their formulas. */
class KneserNeyByHandTest {
    static final Vocabulary V = Vocabulary.ofTokens(List.of("<unk>", "a", "b", "c"));
    static final int A = 1, B = 2, C = 3, UNK = 0;
    static final int[] TEXT = {A, B, A, B, C, A};  // a b a b c a

    /**
     * Bigram counts ab 2, ba 1, bc 1, ca 1. Continuation counts: a 3 (after b, after c, and at the start),
     * b 1, c 1. Count-of-counts: bigrams n1 = 3, n2 = 1, n3 = 0, so one discount Y = 3/(3 + 2) = 0.6;
     * unigrams n1 = 2, n2 = 0, so Y = 2/2 = 1.
     * P1(w) = max(cc(w) - 1, 0)/5 + (1 * 3/5)/4: a 0.55, b, c, unk 0.15.
     * P2(b | a) = (2 - 0.6)/2 + (0.6/2) 0.15 = 0.745; P2(c | b) = 0.4/2 + (1.2/2) 0.15 = 0.29;
     * P2(a | c) = 0.4/1 + 0.6 * 0.55 = 0.73; P2(b | unk) = P1(b) = 0.15 (history never seen).
     */
    @Test
    void aTinyBigramModel() {
        KneserNeyModel kn = KneserNeyModel.train(TEXT, V, 2);
        assertThat(kn.discounts(2)).containsExactly(0.6, 0.6, 0.6);
        assertThat(kn.discounts(1)).containsExactly(1.0, 1.0, 1.0);
        assertThat(kn.probability(new int[0], A)).isCloseTo(0.55, within(1e-15));
        assertThat(kn.probability(new int[0], UNK)).isCloseTo(0.15, within(1e-15));
        assertThat(kn.probability(new int[] {A}, B)).isCloseTo(0.745, within(1e-15));
        assertThat(kn.probability(new int[] {A}, A)).isCloseTo(0.3 * 0.55, within(1e-15));
        assertThat(kn.probability(new int[] {B}, C)).isCloseTo(0.29, within(1e-15));
        assertThat(kn.probability(new int[] {C}, A)).isCloseTo(0.73, within(1e-15));
        assertThat(kn.probability(new int[] {UNK}, B)).isCloseTo(0.15, within(1e-15));
        assertThat(kn.describe()).contains("one discount");

        // add-1: (n(h w) + 1) / (n(h) + 4); the empty history's count is the 6 tokens
        AdditiveSmoothingModel add = AdditiveSmoothingModel.train(TEXT, V, 2, 1);
        assertThat(add.probability(new int[] {A}, B)).isCloseTo(3 / 6.0, within(1e-15));
        assertThat(add.probability(new int[] {B}, C)).isCloseTo(2 / 6.0, within(1e-15));
        assertThat(add.probability(new int[] {UNK}, A)).isCloseTo((3 + 1) / (6 + 4.0), within(1e-15));
    }

    /** Modified KN's discounts from count-of-counts recomputed here from the text, for every order. */
    @Test
    void threeDiscountsPerOrderFromCountOfCounts() {
        SyntheticCorpus s = SyntheticCorpus.markov(3, 6, 0.2, 200_000, 0);
        Corpus c = Corpus.fromText("m", s.text(), Normalizer.RAW, Tokenizer.WORD, 0, List.of());
        int[] t = c.indices();
        int order = 3;
        KneserNeyModel kn = KneserNeyModel.train(t, c.vocabulary(), order);
        for (int m = 1; m <= order; m++) {
            Map<List<Integer>, Long> adjusted = new HashMap<>();
            if (m == order) {
                for (int p = 0; p + m <= t.length; p++) adjusted.merge(gram(t, p, m), 1L, Long::sum);
            } else {
                Set<List<Integer>> longer = new HashSet<>();
                for (int p = 0; p + m + 1 <= t.length; p++) longer.add(gram(t, p, m + 1));
                for (List<Integer> g : longer) adjusted.merge(g.subList(1, g.size()), 1L, Long::sum);
                adjusted.merge(gram(t, 0, m), 1L, Long::sum);  // the start of the stream
            }
            long[] n = new long[5];
            for (long a : adjusted.values()) if (a <= 4) n[(int) a]++;
            double y = n[1] / (n[1] + 2.0 * n[2]);
            double[] expected = {1 - 2 * y * n[2] / n[1], 2 - 3 * y * n[3] / n[2], 3 - 4 * y * n[4] / n[3]};
            assertThat(kn.discounts(m)).as("order %d, count-of-counts %s", m, Arrays.toString(n))
                    .containsExactly(expected, within(1e-12));
        }
    }

    static List<Integer> gram(int[] t, int p, int m) {
        return Arrays.stream(t, p, p + m).boxed().toList();
    }
}
