package dev.rnnlab.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VocabularyOfTokensTest {
    @Test
    void keepsTheGivenIndexOrder() {
        Vocabulary v = Vocabulary.ofTokens(List.of("<unk>", "z", "a", " "));
        assertThat(v.indexOf("z")).isEqualTo(1);
        assertThat(v.indexOf(" ")).isEqualTo(3);
        assertThat(v.indexOf("q")).isZero();
        assertThat(v.reserved()).isEmpty();
        assertThatThrownBy(() -> Vocabulary.ofTokens(List.of("a", "<unk>"))).hasMessageContaining("must start with <unk>");
        assertThatThrownBy(() -> Vocabulary.ofTokens(List.of("<unk>", "a", "a"))).hasMessageContaining("distinct");
    }
}
