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
}
