package dev.rnnlab.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {
    @Test
    void textThatMightStartAStopStringIsHeldBackUntilItCannot() {
        StopStrings s = new StopStrings(List.of("END", "\n\n"));
        assertThat(s.accept("hello E")).isEqualTo("hello ");
        assertThat(s.accept("N")).isEmpty();
        assertThat(s.accept("x")).isEqualTo("ENx");
        assertThat(s.accept("\n")).isEmpty();
        assertThat(s.accept("a")).isEqualTo("\na");
        assertThat(s.stopped()).isFalse();
        assertThat(s.accept(" E")).isEqualTo(" ");
        assertThat(s.flush()).isEqualTo("E");
    }

    @Test
    void theEarliestStopStringEndsTheTextAndLaterPiecesAreDropped() {
        StopStrings s = new StopStrings(List.of("cd", "b"));
        assertThat(s.accept("abcd")).isEqualTo("a");
        assertThat(s.stopped()).isTrue();
        assertThat(s.matched()).isEqualTo("b");
        assertThat(s.accept("more")).isEmpty();
        StopStrings none = new StopStrings(List.of());
        assertThat(none.accept("anything")).isEqualTo("anything");
        assertThat(none.flush()).isEmpty();
    }
}
