package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerboseOptionTest {
    @TempDir
    Path dir;

    @Test
    void everyCommandTakesVerboseAndOnlyThenShowsTheStackTrace() {
        String missing = dir.resolve("none.txt").toString();
        String[][] commands = {
            {"train", missing}, {"stats", missing}, {"eval", "--checkpoint", missing, missing}, {"generate", "--checkpoint", missing},
            {"ngram", "train", missing}, {"forecast", missing}, {"bptt", "compare", missing}};
        for (String[] command : commands) {
            CliRun quiet = CliRun.of(command);
            assertThat(quiet.exitCode()).as(String.join(" ", command)).isEqualTo(2);
            assertThat(quiet.err()).as(String.join(" ", command)).doesNotContain("\tat ");
            String[] loud = java.util.Arrays.copyOf(command, command.length + 1);
            loud[command.length] = "--verbose";
            CliRun verbose = CliRun.of(loud);
            assertThat(verbose.exitCode()).as(String.join(" ", loud)).isEqualTo(2);
            assertThat(verbose.err()).as(String.join(" ", loud)).contains("\tat dev.rnnlab.");
        }
    }
}
