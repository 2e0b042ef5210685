package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusOptionsTest {
    @Test
    void everyCommandThatReadsACorpusDescribesItsOptionsTheSameWay() {
        List<String[]> commands = List.of(new String[] {"train", "--help"}, new String[] {"stats", "--help"},
                new String[] {"ngram", "train", "--help"}, new String[] {"bptt", "compare", "--help"});
        String reference = null;
        for (String[] command : commands) {
            CliRun help = CliRun.of(command);
            assertThat(help.exitCode()).isZero();
            // the help column's width depends on each command's longest option: compare the words
            String out = help.out().replaceAll("\\s+", " ");
            int from = out.indexOf("--corpus=NAME|FILE A named corpus");
            assertThat(from).as(String.join(" ", command)).isPositive();
            String corpusHelp = out.substring(from, out.indexOf("--data-dir=DIR Corpus cache directory", from))
                    + out.substring(out.indexOf("--data-dir=DIR Corpus cache directory"), out.indexOf("~/.cache/rnnlab)."));
            if (reference == null) reference = corpusHelp;
            assertThat(corpusHelp).as(String.join(" ", command)).isEqualTo(reference);
        }
    }
}
