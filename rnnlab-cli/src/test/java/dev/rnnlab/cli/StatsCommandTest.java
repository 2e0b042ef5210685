package dev.rnnlab.cli;

import dev.rnnlab.data.CorpusChoice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.data.Dataset;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatsCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsD2lsTablesAndFitsForTheTimeMachineAndDrawsTheFigure() throws Exception {
        Path png = dir.resolve("zipf.png");
        CliRun run = CliRun.of("stats", RealCorpora.timemachine().toString(), "--plot", png.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("32,775 word tokens after d2l normalization, vocabulary 4,580")
                .containsPattern("1\\s+2261\\s+the")
                .containsPattern("1\\s+309\\s+\\(of, the\\)")
                .containsPattern("2\\s+30\\s+\\(the, time, machine\\)")
                .contains("least squares over ranks 10..1000")
                .contains("wrote " + png);
        assertThat(Files.size(png)).isPositive();
    }

    @Test
    void charTokensRawAndSvgWork() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "abc abd abe\nxyz\n".repeat(50));
        Path svg = dir.resolve("z.svg");
        CliRun run = CliRun.of("stats", text.toString(), "--tokens", "char", "--normalize", "raw", "--n", "1,2",
                "--top", "20", "--zipf-ranks", "2:5", "--plot", svg.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("' '").contains("'\\n'");
        assertThat(Files.readString(svg)).contains("<svg");
    }

    @Test
    void aMissingFileIsOneLineOnStderrWithExitCode2() {
        Path missing = dir.resolve("missing.txt");
        CliRun run = CliRun.of("stats", missing.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("rnnlab: cannot read corpus '" + missing + "': no such file"
                + System.lineSeparator());
    }

    @Test
    void binaryAndInvalidUtf8AndEmptyFilesAreOneLineErrorsWithExitCode2() throws Exception {
        Path binary = Files.write(dir.resolve("b.bin"), new byte[] {'a', 0, 'b'});
        Path latin1 = Files.write(dir.resolve("l.txt"), new byte[] {'a', 'b', (byte) 0xE9, 'c'});
        Path empty = Files.createFile(dir.resolve("e.txt"));
        for (Object[] c : new Object[][] {{binary, "binary file (NUL byte at byte 1)"},
            {latin1, "not valid UTF-8 at byte 2"}, {empty, "the file is empty"}, {dir, "it is a directory"}}) {
            CliRun run = CliRun.of("stats", c[0].toString());
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).startsWith("rnnlab: cannot read corpus '" + c[0] + "': " + c[1])
                    .hasLineCount(1);
        }
    }

    @Test
    void badOptionsAreOneLineErrorsWithExitCode2() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "the time machine");
        assertThat(CliRun.of("stats", text.toString(), "--zipf-ranks", "10-1000").err())
                .isEqualTo("rnnlab: cannot read --zipf-ranks '10-1000': give FROM:TO with 1 <= FROM < TO, e.g. 10:1000"
                        + System.lineSeparator());
        CliRun tokens = CliRun.of("stats", text.toString(), "--tokens", "bytes");
        assertThat(tokens.exitCode()).isEqualTo(2);
        assertThat(tokens.err()).isEqualTo("rnnlab: unknown tokenization 'bytes': use char or word" + System.lineSeparator());
        assertThat(CliRun.of("stats", text.toString(), "--plot", dir.resolve("z.gif").toString()).exitCode()).isEqualTo(2);
        CliRun underAFile = CliRun.of("stats", text.toString(), "--plot", text.resolve("z.png").toString());
        assertThat(underAFile.exitCode()).isEqualTo(2);
        assertThat(underAFile.err()).isEqualTo("rnnlab: cannot write plot '" + text.resolve("z.png") + "': '" + text
                + "' is not a directory" + System.lineSeparator());
        assertThat(CliRun.of("stats", "--corpus", "wikitext").err()).isEqualTo(
                "rnnlab: --corpus 'wikitext' is neither a named corpus (timemachine, tinyshakespeare, synthetic-markov) nor a file"
                        + System.lineSeparator());
    }

    @Test
    void theDefaultCorpusNeedsNeitherNetworkNorCache() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty-cache"));
        CliRun run = CliRun.of("stats", "--data-dir", empty.toString(), "--n", "1", "--tokens", "char");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("timemachine (shipped with rnnlab, unpacked to " + empty.resolve("timemachine.txt"))
                .contains("170,580 char tokens after d2l normalization, vocabulary 28");
        assertThat(run.err()).doesNotContain("download").doesNotContain("synthetic");
        CliRun again = CliRun.of("stats", "--data-dir", empty.toString(), "--n", "1", "--tokens", "char");
        assertThat(again.out()).contains("timemachine (" + empty.resolve("timemachine.txt") + ")");
    }

    @Test
    void theSyntheticCorpusIsNamed() {
        CliRun run = CliRun.of("stats", "--corpus", "synthetic-markov", "--n", "1", "--tokens", "char");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("synthetic-markov (built in: markov(order=3, alphabet=6");
    }

    @Test
    void anExplicitNamedCorpusIsReadFromTheDataDir() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        Files.copy(RealCorpora.timemachine(), cache.resolve("timemachine.txt"));
        CliRun run = CliRun.of("stats", "--corpus", "timemachine", "--data-dir", cache.toString(), "--n", "1",
                "--tokens", "char");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("170,580 char tokens after d2l normalization, vocabulary 28");
    }
}
