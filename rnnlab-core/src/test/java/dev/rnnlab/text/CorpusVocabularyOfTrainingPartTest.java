package dev.rnnlab.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusVocabularyOfTrainingPartTest {
    @Test
    void heldOutTokensTheTrainingPartNeverSawBecomeUnknown() {
        Corpus c = Corpus.fromText("t", "a b a c a b d e", Normalizer.RAW, Tokenizer.WORD, 0, List.of());
        Corpus trained = c.withVocabularyOfFirst(4, 0);  // "a b a c"
        assertThat(trained.vocabulary().tokens()).containsExactly("<unk>", "a", "b", "c");
        assertThat(trained.vocabulary().decode(trained.indices())).containsExactly("a", "b", "a", "c", "a", "b", "<unk>", "<unk>");
        Corpus frequent = c.withVocabularyOfFirst(8, 2);  // only a (3) and b (2) occur twice or more
        assertThat(frequent.vocabulary().tokens()).containsExactly("<unk>", "a", "b");
        assertThat(frequent.sha256()).isEqualTo(c.sha256());
    }

    @Test
    void maxTokensKeepsTheFirstTokensAndTheWholeVocabularyAsD2lDoes() {
        Corpus c = Corpus.fromText("t", "a b a c a b d e", Normalizer.RAW, Tokenizer.WORD, 0, List.of());
        Corpus first = c.firstTokens(3);
        assertThat(first.vocabulary()).isEqualTo(c.vocabulary());
        assertThat(first.vocabulary().decode(first.indices())).containsExactly("a", "b", "a");
        assertThat(c.firstTokens(100)).isSameAs(c);
    }
}
