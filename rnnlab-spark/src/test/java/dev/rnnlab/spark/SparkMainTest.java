package dev.rnnlab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.spark.cli.SparkMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code rnnlab-spark} command line: what it prints, what it writes, and its one-line errors. */
class SparkMainTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = SparkMain.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void statsAndNgramRunInLocalMode() throws Exception {
        String book = RealCorpora.timemachine().toString();
        Run stats = run("stats", book, "--n", "1,2", "--top", "3", "--master", "local[2]", "--chunk-size", "20k",
                "--plot", dir.resolve("zipf.png").toString());
        assertThat(stats.code()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("32,775 word tokens after d2l normalization, vocabulary 4,580 (with <unk>), sha256 8424dbd9")
                .contains("     1        309  (of, the)").contains("wrote " + dir.resolve("zipf.png"));
        assertThat(dir.resolve("zipf.png")).isNotEmptyFile();
        Run ngram = run("ngram", book, "--order", "3", "--master", "local[2]", "-o", dir.resolve("tm.arpa").toString());
        assertThat(ngram.code()).as(ngram.err()).isZero();
        assertThat(ngram.out()).contains("170,580 char tokens of timemachine.txt, vocabulary 28");
        assertThat(Files.readString(dir.resolve("tm.arpa"))).startsWith("\n\\data\\\nngram 1=30\n");
        assertThat(Files.readString(dir.resolve("tm.arpa.json"))).contains("\"trainingTokens\" : 170580");
    }

    @Test
    void badInputsAndAnUnreachableMasterAreOneLineWithExitCode2() throws Exception {
        Run missing = run("stats", dir.resolve("nope").toString(), "--master", "local[1]");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().lines().filter(l -> l.startsWith("rnnlab-spark: "))).singleElement().asString().contains("no such input");
        int port = StandaloneCluster.freePort();
        Run unreachable = run("stats", RealCorpora.timemachine().toString(), "--master", "spark://127.0.0.1:" + port);
        assertThat(unreachable.code()).isEqualTo(2);
        assertThat(unreachable.err().strip()).isEqualTo("rnnlab-spark: cannot reach the Spark master spark://127.0.0.1:" + port
                + ": nothing listens there; start it (sbin/start-master.sh) or give another --master");
        Run size = run("stats", RealCorpora.timemachine().toString(), "--chunk-size", "lots");
        assertThat(size.code()).isEqualTo(2);
        assertThat(size.err()).contains("--chunk-size 'lots' is not a size");
        Files.write(dir.resolve("binary.dat"), new byte[] {1, 2, 0, 3, '\n'});
        Run binary = run("stats", dir.resolve("binary.dat").toString(), "--master", "local[1]");
        assertThat(binary.code()).isEqualTo(2);
        assertThat(binary.err().lines().filter(l -> l.startsWith("rnnlab-spark: ")).toList()).singleElement().asString()
                .contains("binary file (NUL byte at byte 2)");
    }

    @Test
    void trainWritesACheckpointThatRnnlabReadsAndResumesIt() throws Exception {
        Path run = dir.resolve("run");
        Run first = run("train", RealCorpora.timemachine().toString(), "--master", "local[2]", "--model", "gru", "--hidden", "32",
                "--max-tokens", "20000", "--epochs", "2", "--optimizer", "adam", "--lr", "0.01", "--batch", "16", "--steps", "20",
                "--sync-every", "4", "--checkpoint", run.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("gru on timemachine.txt: 18,000 training tokens over 2 partitions of 8 streams x 20 steps,"
                + " 4 mini-batches per round").contains("epoch 2/2: train loss ").contains("continue with rnnlab-spark train --resume " + run);
        dev.rnnlab.io.Checkpoint.Loaded saved = dev.rnnlab.io.Checkpoint.read(run, dev.rnnlab.tensor.Gemm.create(dev.rnnlab.tensor.Gemm.Backend.JAVA, 1, false));
        assertThat(saved.model().config().hidden()).isEqualTo(32);
        assertThat(saved.progress().epochsDone()).isEqualTo(2);

        Run again = run("train", "--resume", run.toString(), "--epochs", "3", "--master", "local[2]");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("epoch 3/3: train loss ").doesNotContain("epoch 2/");
        assertThat(SparkTrainingTest.lines(run.resolve("metrics.jsonl"))).extracting(j -> j.get("epoch").asInt()).containsExactly(1, 2, 3);
        Run other = run("train", "--resume", run.toString(), "--epochs", "4", "--sync-every", "8", "--master", "local[2]");
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.err()).contains("rnnlab-spark: the run in " + run + " was trained over 2 partitions with --sync-every 4; resume it with the same");
    }

    @Test
    void trainRefusesBadSettingsInOneLineWithExitCode2() {
        Run nothing = run("train", "--resume", dir.resolve("none").toString());
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.err().strip()).isEqualTo("rnnlab-spark: there is no run in '" + dir.resolve("none") + "' to resume: the directory does not exist");
        Run odd = run("train", RealCorpora.timemachine().toString(), "--master", "local[2]", "--partitions", "3", "--batch", "16",
                "--checkpoint", dir.resolve("odd").toString());
        assertThat(odd.code()).isEqualTo(2);
        assertThat(odd.err().lines().filter(l -> l.startsWith("rnnlab-spark: ")).toList()).singleElement().asString()
                .isEqualTo("rnnlab-spark: a batch of 16 streams does not split evenly over 3 partitions; give --batch a multiple of 3 or another --partitions");
        Run missing = run("train", dir.resolve("missing.txt").toString(), "--master", "local[1]", "--checkpoint", dir.resolve("m").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().lines().filter(l -> l.startsWith("rnnlab-spark: ")).toList()).singleElement().asString().contains("missing.txt");
        Run budget = run("train", "--time-budget", "soon");
        assertThat(budget.code()).isEqualTo(2);
        assertThat(budget.err().strip()).isEqualTo("rnnlab-spark: --time-budget 'soon' is not a positive duration: use e.g. 90s, 10m or 1.5h");
        Run sync = run("train", "--sync-every", "0", "--master", "local[1]", "--checkpoint", dir.resolve("s").toString());
        assertThat(sync.code()).as(sync.err()).isEqualTo(2);
        assertThat(sync.err()).contains("rnnlab-spark: --sync-every must be >= 1 batch, got 0");
    }
}
