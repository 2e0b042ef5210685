package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.RealCorpora;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare, then train, eval and stats on the directory as on the text; and its answers to bad input. */
class PrepareCommandTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    /** stdout without the line naming where the corpus came from (the only line that should differ). */
    private static String withoutSource(String out) {
        return out.lines().filter(l -> !l.startsWith("corpus ")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void aPreparedDirectoryStandsInForTheTextInTrainEvalAndStats() throws Exception {
        Path book = RealCorpora.timemachine();
        Path tokens = dir.resolve("tm.tokens");
        CliRun prepare = CliRun.of("prepare", book.toString(), "--out", tokens.toString());
        assertThat(prepare.exitCode()).as(prepare.err()).isZero();
        assertThat(prepare.out()).startsWith("prepared " + tokens + ": 170,580 char tokens from 1 file(s), 0.2 MB of text,"
                + " vocabulary 28, 1 byte(s) per token");
        assertThat(tokens.resolve("tokens.bin")).hasSize(170_580);

        String[] common = {"--model", "gru", "--hidden", "16", "--batch", "4", "--steps", "10", "--epochs", "1", "--max-tokens", "2000",
            "--split", "0.9,0.1"};
        CliRun fromText = CliRun.of(concat(new String[] {"train", book.toString(), "--checkpoint", dir.resolve("a").toString()}, common));
        CliRun fromTokens = CliRun.of(concat(new String[] {"train", tokens.toString(), "--checkpoint", dir.resolve("b").toString()}, common));
        assertThat(fromTokens.exitCode()).as(fromTokens.err()).isZero();
        assertThat(fromTokens.out()).contains("corpus " + tokens + " (prepared, memory-mapped: 1 byte(s) per token)");
        assertThat(Files.readAllBytes(dir.resolve("b/model.safetensors"))).isEqualTo(Files.readAllBytes(dir.resolve("a/model.safetensors")));
        assertThat(withoutSource(fromTokens.out()).replaceAll("[0-9,]+ chars/s", "")
                .replace(dir.resolve("b").toString(), "DIR"))
                .isEqualTo(withoutSource(fromText.out()).replaceAll("[0-9,]+ chars/s", "").replace(dir.resolve("a").toString(), "DIR"));

        CliRun evalText = CliRun.of("eval", "--checkpoint", dir.resolve("a").toString(), book.toString());
        CliRun evalTokens = CliRun.of("eval", "--checkpoint", dir.resolve("a").toString(), tokens.toString());
        assertThat(evalTokens.exitCode()).as(evalTokens.err()).isZero();
        assertThat(evalTokens.out().replace(tokens.toString(), "X")).isEqualTo(evalText.out().replace(book.toString(), "X"));

        // stats takes the prepared corpus's own tokens (char) unless told otherwise
        CliRun statsText = CliRun.of("stats", book.toString(), "--tokens", "char");
        CliRun statsTokens = CliRun.of("stats", tokens.toString());
        assertThat(statsTokens.exitCode()).as(statsTokens.err()).isZero();
        assertThat(withoutSource(statsTokens.out())).isEqualTo(withoutSource(statsText.out()));
        CliRun wrongTokens = CliRun.of("stats", tokens.toString(), "--tokens", "word");
        assertThat(wrongTokens.exitCode()).isEqualTo(2);
        assertThat(wrongTokens.err()).isEqualTo("rnnlab: '" + tokens + "' was prepared with --normalize d2l --tokens char; pass those,"
                + " or prepare the text again with the ones you want" + NL);
    }

    @Test
    void badInputIsOneLineWithExitCodeTwo() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "the time machine\n");
        Path out = dir.resolve("out");
        assertThat(CliRun.of("prepare", text.toString(), "--out", out.toString()).exitCode()).isZero();
        CliRun again = CliRun.of("prepare", text.toString(), "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("rnnlab: '" + out + "' holds a prepared corpus already: give another --out, or --overwrite to"
                + " replace it" + NL);
        assertThat(CliRun.of("prepare", text.toString(), "--out", out.toString(), "--overwrite").exitCode()).isZero();
        CliRun missing = CliRun.of("prepare", dir.resolve("nope.txt").toString(), "--out", dir.resolve("x").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).hasLineCount(1).contains("nope.txt").contains("no such file");
        CliRun noOut = CliRun.of("prepare", text.toString());
        assertThat(noOut.exitCode()).isEqualTo(2);
        assertThat(noOut.err()).contains("--out");
        Files.delete(out.resolve("tokens.bin"));
        CliRun damaged = CliRun.of("train", out.toString());
        assertThat(damaged.exitCode()).isEqualTo(2);
        assertThat(withoutGemm(damaged.err())).isEqualTo("rnnlab: cannot read prepared corpus file '" + out.resolve("tokens.bin")
                + "': no such file; prepare again" + NL);
        CliRun plainDir = CliRun.of("train", Files.createDirectory(dir.resolve("plain")).toString());
        assertThat(plainDir.exitCode()).isEqualTo(2);
        assertThat(withoutGemm(plainDir.err())).hasLineCount(1).contains("it is a directory, not a text file (nor a corpus made by rnnlab prepare");
    }

    /** stderr without the informational line naming the GEMM backend, which commands that train print first. */
    private static String withoutGemm(String err) {
        return err.lines().filter(l -> !l.startsWith("rnnlab: GEMM backend")).map(l -> l + NL).reduce("", String::concat);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
