package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.data.SyntheticCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bptt compare, diagnose spectral and train --diagnostics end to end on small inputs. */
class BpttCommandsTest {
    @TempDir
    Path dir;

    @Test
    void compareTrainsEveryStrategyAndComparesGradients() throws Exception {
        Path text = dir.resolve("m.txt");
        Files.writeString(text, SyntheticCorpus.markov(1, 5, 0.3, 4000, 2).text());
        CliRun r = CliRun.of("bptt", "compare", text.toString(), "--normalize", "raw", "--hidden", "8", "--batch", "4", "--steps", "10",
                "--epochs", "1", "--probe-steps", "30", "--samples", "3", "--out", dir.resolve("cmp").toString(),
                "--strategies", "perbatch;truncated:3;randomized:0.8;segments:2:6;full:checkpoint=50;adaptive:0.05:2:10");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("strategy").contains("truncated:3").contains("full:checkpoint=50").contains("adaptive:0.05:2:10");
        assertThat(dir.resolve("cmp/compare.json")).exists();
        assertThat(dir.resolve("cmp/perplexity-epochs.png")).exists();
        assertThat(dir.resolve("cmp/perplexity-seconds.png")).exists();
        // the reference row: a per-batch backward over the probe batch is the full gradient of that batch
        String perbatch = r.out().lines().filter(l -> l.startsWith("perbatch ")).findFirst().orElseThrow();
        assertThat(perbatch).contains("1.0000   0.0000");
    }

    @Test
    void compareWithAnUnusableOutputDirectoryFailsInOneLineBeforeTraining() throws Exception {
        Path text = Files.writeString(dir.resolve("m.txt"), SyntheticCorpus.markov(1, 5, 0.3, 2000, 2).text());
        Path out = text.resolve("cmp");
        CliRun r = CliRun.of("bptt", "compare", text.toString(), "--hidden", "4", "--batch", "2", "--steps", "5",
                "--epochs", "1", "--strategies", "perbatch", "--probe-steps", "5", "--out", out.toString(), "--backend", "java");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("rnnlab: cannot create output directory '" + out + "': '" + text + "' is not a directory"
                + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void spectralDemoShowsVanishingHoldingAndExploding() {
        Path plot = dir.resolve("s.png");
        CliRun r = CliRun.of("diagnose", "spectral", "--hidden", "16", "--distance", "40", "--plot", plot.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(plot).exists();
        double half = lastValue(r.out(), "rho 0.50, (W^T)^k g"), one = lastValue(r.out(), "rho 1.00, (W^T)^k g"),
                big = lastValue(r.out(), "rho 1.50, (W^T)^k g");
        assertThat(half).isLessThan(1e-6);
        assertThat(one).isBetween(1e-2, 1e2);
        assertThat(big).isGreaterThan(1e4);
    }

    @Test
    void trainWithDiagnosticsWritesTheHeatmapAndCurves() throws Exception {
        Path text = dir.resolve("m.txt");
        Files.writeString(text, SyntheticCorpus.markov(1, 5, 0.3, 4000, 2).text());
        Path ck = dir.resolve("ck");
        CliRun r = CliRun.of("train", text.toString(), "--normalize", "raw", "--model", "rnn", "--hidden", "8", "--batch", "4",
                "--steps", "10", "--epochs", "2", "--checkpoint", ck.toString(), "--diagnostics", "--probe-steps", "20", "--sample-length", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readAllLines(ck.resolve("diagnostics/diagnostics.jsonl"))).hasSize(3);  // before training, after each epoch
        assertThat(ck.resolve("diagnostics/grad-norm-heatmap.png")).exists();
        assertThat(ck.resolve("diagnostics/spectral.png")).exists();
        assertThat(ck.resolve("diagnostics/grad-norm.png")).exists();
    }

    static double lastValue(String out, String label) {
        String line = out.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow();
        String[] parts = line.trim().split("\\s+");
        return Double.parseDouble(parts[parts.length - 1]);
    }
}
