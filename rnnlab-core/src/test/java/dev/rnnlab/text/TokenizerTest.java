package dev.rnnlab.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {
    @Test
    void charTokensAreCodePointsSoASurrogatePairIsOneToken() {
        assertThat(Tokenizer.CHAR.tokenize("a\uD83D\uDE00b", Normalizer.RAW)).containsExactly("a", "\uD83D\uDE00", "b");
    }

    @Test
    void d2lWordsAreSplitPerLineSoLinesJoinedWithoutASpaceStayApart() {
        // D2L: tokenize(lines, 'word') splits each line; the joined characters would read "wellsi"
        String text = "by H. G. Wells\n\nI\n";
        assertThat(Tokenizer.WORD.tokenize(text, Normalizer.D2L)).containsExactly("by", "h", "g", "wells", "i");
        assertThat(Tokenizer.CHAR.tokenize(text, Normalizer.D2L)).hasSize("by h g wellsi".length());
    }

    @Test
    void rawWordsSplitOnAnyWhitespaceAndKeepPunctuation() {
        assertThat(Tokenizer.WORD.tokenize("First Citizen:\n\tBefore  we", Normalizer.RAW))
                .containsExactly("First", "Citizen:", "Before", "we");
    }

    @Test
    void joinIsTheInverseForEachKind() {
        assertThat(Tokenizer.CHAR.join(List.of("a", " ", "b"))).isEqualTo("a b");
        assertThat(Tokenizer.WORD.join(List.of("the", "time"))).isEqualTo("the time");
    }
}
