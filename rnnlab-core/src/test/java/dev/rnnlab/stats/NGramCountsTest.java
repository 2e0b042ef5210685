package dev.rnnlab.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.Rng;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

class NGramCountsTest {
    @Test
    void countsAHandExampleWithTiesInFirstOccurrenceOrder() {
        int[] tokens = {1, 2, 1, 2, 3, 1, 2, 3};
        NGramCounts bigrams = NGramCounts.count(tokens, 4, 2);
        assertThat(bigrams.total()).isEqualTo(7);
        assertThat(bigrams.distinct()).isEqualTo(4); // (1,2) x3, (2,1), (2,3) x2, (3,1)
        List<NGram> top = bigrams.top(10);
        assertThat(top).extracting(NGram::count).containsExactly(3L, 2L, 1L, 1L);
        assertThat(top.get(0).tokens()).containsExactly(1, 2);
        assertThat(top.get(1).tokens()).containsExactly(2, 3);
        assertThat(top.get(2).tokens()).containsExactly(2, 1); // first seen at 1, before (3,1) at 4
        assertThat(bigrams.frequenciesByRank()).containsExactly(3, 2, 1, 1);
        assertThat(bigrams.count(2, 3)).isEqualTo(2);
        assertThat(bigrams.count(3, 3)).isZero();
    }

    @Test
    void aSequenceShorterThanNHasNoNGrams() {
        NGramCounts c = NGramCounts.count(new int[] {1, 2}, 3, 3);
        assertThat(c.total()).isZero();
        assertThat(c.distinct()).isZero();
        assertThat(c.top(5)).isEmpty();
    }

    @Test
    void packedAndInPlaceKeysGiveTheSameCounts() {
        Rng rng = new Rng(7);
        int[] tokens = new int[50_000];
        for (int i = 0; i < tokens.length; i++) tokens[i] = rng.nextInt(6) == 0 ? rng.nextInt(50) : rng.nextInt(5);
        for (int n = 1; n <= 5; n++) {
            NGramCounts packed = NGramCounts.count(tokens, 50, n);
            // a vocabulary so large that V^n overflows a long forces comparison in place
            NGramCounts inPlace = NGramCounts.count(tokens, Integer.MAX_VALUE, n);
            assertThat(packed.packed()).isTrue();
            assertThat(inPlace.packed()).isEqualTo(n == 1 || n == 2);
            assertThat(inPlace.distinct()).isEqualTo(packed.distinct());
            assertThat(inPlace.frequenciesByRank()).isEqualTo(packed.frequenciesByRank());
            assertThat(inPlace.top(20)).usingRecursiveFieldByFieldElementComparator().isEqualTo(packed.top(20));
        }
    }

    @Test
    void timeMachineWordNGramsMatchD2l() {
        Corpus c = Corpus.load(RealCorpora.timemachine(), Normalizer.D2L, Tokenizer.WORD);
        Vocabulary v = c.vocabulary();
        List<NGram> unigrams = NGramCounts.count(c.indices(), v.size(), 1).top(5);
        assertThat(unigrams).extracting(g -> v.tokenOf(g.tokens()[0])).containsExactly("the", "i", "and", "of", "a");
        assertThat(unigrams).extracting(NGram::count).containsExactly(2261L, 1267L, 1245L, 1155L, 816L);

        List<NGram> bigrams = NGramCounts.count(c.indices(), v.size(), 2).top(2);
        assertThat(bigrams).extracting(g -> v.decode(g.tokens()))
                .containsExactly(List.of("of", "the"), List.of("in", "the"));
        assertThat(bigrams).extracting(NGram::count).containsExactly(309L, 169L);

        List<NGram> trigrams = NGramCounts.count(c.indices(), v.size(), 3).top(2);
        assertThat(trigrams).extracting(g -> v.decode(g.tokens()))
                .containsExactly(List.of("the", "time", "traveller"), List.of("the", "time", "machine"));
        assertThat(trigrams).extracting(NGram::count).containsExactly(59L, 30L);
    }
}
