package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void unknownOptionIsAOneLineErrorWithExitCode2() {
        assertThat(Main.run("--no-such-option")).isEqualTo(2);
    }

    @Test
    void helpExitsZero() {
        assertThat(Main.run("--help")).isZero();
    }
}
