package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.RealCorpora;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NgramCommandTest {
    static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    static double perplexity(String out, String label) {
        Matcher m = Pattern.compile(label + ": [0-9,]+ tokens \\([0-9,]+ <unk>\\), perplexity ([0-9.]+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainWritesAnArpaModelThatEvalScoresTheSameAndGenerateSamplesFrom() throws Exception {
        Path arpa = dir.resolve("tm3.arpa");
        CliRun train = CliRun.of("ngram", "train", "--corpus", RealCorpora.timemachine().toString(), "--tokens", "char",
                "--order", "3", "--smoothing", "kn", "--split", "0.9,0.1", "-o", arpa.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("170,580 char tokens after d2l normalization")
                .contains("training on 153,522 tokens, vocabulary 28 (with <unk>)")
                .contains("3-gram, interpolated modified Kneser-Ney")
                .contains("wrote " + arpa);
        double heldOut = perplexity(train.out(), "held-out");
        assertThat(heldOut).isBetween(4.0, 9.0);
        assertThat(Files.readString(arpa)).startsWith("\n\\data\\\nngram 1=30\n").contains("\n-99\t<s>\t0\n-99\t</s>\t0\n").contains("\\s").endsWith("\\end\\\n");
        assertThat(Files.readString(ArpaFile(arpa))).contains("\"tokens\" : \"char\"").contains("\"normalize\" : \"d2l\"");

        CliRun eval = CliRun.of("ngram", "eval", "--model", arpa.toString(), "--corpus",
                RealCorpora.timemachine().toString(), "--split", "0.9,0.1");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(perplexity(eval.out(), "perplexity")).isCloseTo(heldOut, org.assertj.core.api.Assertions.within(1e-3));

        CliRun gen = CliRun.of("ngram", "generate", "--model", arpa.toString(), "--prefix", "Time Traveller", "-n", "100",
                "--seed", "1");
        assertThat(gen.exitCode()).as(gen.err()).isZero();
        assertThat(gen.out()).startsWith("time traveller").hasSize("time traveller".length() + 100 + NL.length());
        assertThat(CliRun.of("ngram", "generate", "--model", arpa.toString(), "--prefix", "Time Traveller", "-n", "100",
                "--seed", "1").out()).isEqualTo(gen.out());
    }

    static Path ArpaFile(Path arpa) {
        return dev.rnnlab.lm.ArpaFile.sidecar(arpa);
    }

    @Test
    void wordLevelAddKWithoutOutputPrintsPerplexityAndUnknownTokens() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "the cat sat on the mat\n".repeat(20) + "a dog sat on the cat\n");
        CliRun run = CliRun.of("ngram", "train", text.toString(), "--tokens", "word", "--order", "2", "--smoothing",
                "addk", "--k", "0.5", "--split", "0.9,0.1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("2-gram, add-k smoothing, k = 0.5").containsPattern("held-out: 13 tokens \\(2 <unk>\\)");
    }

    @Test
    void aLargeAddKWordModelRefusesArpaOutputWithAHint() throws Exception {
        Path arpa = dir.resolve("w.arpa");
        CliRun run = CliRun.of("ngram", "train", "--corpus", RealCorpora.timemachine().toString(), "--tokens", "word",
                "--order", "3", "--smoothing", "addk", "-o", arpa.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("rnnlab: the add-k 3-gram model would list").contains("use --smoothing kn")
                .hasLineCount(1);
        assertThat(arpa).doesNotExist();
    }

    @Test
    void badInputsAreOneLineErrorsWithExitCode2() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "the time machine\n");
        Path garbled = Files.writeString(dir.resolve("g.arpa"), "\\data\\\nngram 1=x\n");
        Path notArpa = Files.writeString(dir.resolve("n.arpa"), "hello\n");
        Path missing = dir.resolve("missing.arpa");
        Object[][] cases = {
            {new String[] {"ngram", "train", text.toString(), "--order", "12"}, "rnnlab: --order must be between 1 and 9, got 12"},
            {new String[] {"ngram", "train", text.toString(), "--order", "0"}, "rnnlab: --order must be between 1 and 9, got 0"},
            {new String[] {"ngram", "train", text.toString(), "--smoothing", "witten-bell"}, "rnnlab: unknown smoothing 'witten-bell': use kn or addk"},
            {new String[] {"ngram", "train", text.toString(), "--smoothing", "addk", "--k", "0"}, "rnnlab: --k must be a positive number, got 0.0"},
            {new String[] {"ngram", "train", text.toString(), "--split", "0.9,x"}, "rnnlab: cannot read split '0.9,x': 'x' is not a number; give train,validation[,test] fractions, e.g. 0.9,0.1"},
            {new String[] {"ngram", "train", dir.resolve("nope.txt").toString()}, "rnnlab: cannot read corpus '" + dir.resolve("nope.txt") + "': no such file"},
            {new String[] {"ngram", "eval", "--model", missing.toString(), text.toString()}, "rnnlab: cannot read ARPA model '" + missing + "': no such file"},
            {new String[] {"ngram", "eval", "--model", garbled.toString(), text.toString()}, "rnnlab: cannot read ARPA model '" + garbled + "': line 2: expected 'ngram N=COUNT', got 'ngram 1=x'"},
            {new String[] {"ngram", "generate", "--model", notArpa.toString()}, "rnnlab: cannot read ARPA model '" + notArpa + "': line 1: expected \\data\\ (not an ARPA file?), got 'hello'"},
            {new String[] {"ngram", "eval", "--model", missing.toString()}, "rnnlab: give a FILE or --corpus NAME|FILE to evaluate on"},
            {new String[] {"ngram", "generate", "--model", missing.toString(), "-n", "-1"}, "rnnlab: -n must be 0 or more, got -1"},
        };
        for (Object[] c : cases) {
            CliRun run = CliRun.of((String[]) c[0]);
            assertThat(run.exitCode()).as(String.join(" ", (String[]) c[0])).isEqualTo(2);
            assertThat(run.err()).isEqualTo(c[1] + NL);
        }
        Path underAFile = text.resolve("m.arpa");
        CliRun unwritable = CliRun.of("ngram", "train", text.toString(), "-o", underAFile.toString());
        assertThat(unwritable.exitCode()).isEqualTo(2);
        assertThat(unwritable.err()).isEqualTo("rnnlab: cannot write ARPA model '" + underAFile + "': '" + text
                + "' is not a directory" + NL);
        CliRun noModel = CliRun.of("ngram", "eval", text.toString());
        assertThat(noModel.exitCode()).isEqualTo(2);
        assertThat(noModel.err()).startsWith("rnnlab: Missing required option: '--model=MODEL.arpa'").hasLineCount(1);
    }
}
