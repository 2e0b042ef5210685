package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastCommandTest {
    static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    static double mse(String out, String k) {
        Matcher m = Pattern.compile("(?m)^\\s+" + k + "\\s+([0-9.]+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theSineExperimentPrintsErrorsPerHorizonAndDrawsBothFigures() throws Exception {
        Path png = dir.resolve("sine.png");
        CliRun run = CliRun.of("forecast", "--sine", "--plot", png.toString(), "--seed", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("noisy sine sin(0.01 t) + N(0, 0.2^2), t = 1..1000, seed 1: 1,000 values")
                .contains("MLP autoregressor: tau 4, hidden 10").contains("396 held-out targets x_605..x_1000")
                .contains("wrote " + png + " and " + dir.resolve("sine-ksteps.png"));
        assertThat(mse(run.out(), "1")).isBetween(0.03, 0.07);
        assertThat(mse(run.out(), "64")).isGreaterThan(mse(run.out(), "16")).isGreaterThan(mse(run.out(), "1"));
        assertThat(Files.size(png)).isPositive();
        assertThat(Files.size(dir.resolve("sine-ksteps.png"))).isPositive();
        assertThat(CliRun.of("forecast", "--sine", "--seed", "1").out()).isEqualTo(run.out().replace(
                "wrote " + png + " and " + dir.resolve("sine-ksteps.png") + NL, ""));
    }

    @Test
    void aCsvColumnWithALatentLstm() throws Exception {
        StringBuilder csv = new StringBuilder("t,level\n");
        for (int t = 0; t < 300; t++) csv.append(t).append(',').append(Math.sin(0.1 * t)).append('\n');
        Path file = Files.writeString(dir.resolve("s.csv"), csv);
        CliRun run = CliRun.of("forecast", file.toString(), "--column", "level", "--model", "lstm", "--train", "200",
                "--horizons", "1,8", "--epochs", "10", "--window", "16");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("[level]: 300 values").contains("latent autoregressor: lstm, hidden 16")
                .contains("96 held-out targets");
        assertThat(mse(run.out(), "1")).isLessThan(0.05);
    }

    @Test
    void badInputsAreOneLineErrorsWithExitCode2() throws Exception {
        Path bad = Files.writeString(dir.resolve("b.txt"), "1\n2\nabc\n");
        Path shortSeries = Files.writeString(dir.resolve("s.txt"), "1\n2\n3\n");
        Object[][] cases = {
            {new String[] {"forecast", bad.toString()}, "rnnlab: cannot read series '" + bad + "': line 3: 'abc' is not a number"},
            {new String[] {"forecast", shortSeries.toString()}, "rnnlab: the series has 3 values, but tau + --train = 604 leaves none held out; lower --train"},
            {new String[] {"forecast", "--model", "transformer"}, "rnnlab: unknown model 'transformer': use mlp, rnn, gru or lstm"},
            {new String[] {"forecast", "--horizons", "1,0"}, "rnnlab: --horizons must be 1 or more, got 0"},
            {new String[] {"forecast", "--tau", "0"}, "rnnlab: --tau must be 1 or more, got 0"},
            {new String[] {"forecast", "--plot", dir.resolve("x.gif").toString()}, "rnnlab: cannot write plot '" + dir.resolve("x.gif") + "': use a .png or .svg file name"},
            {new String[] {"forecast", bad.toString(), "--sine"}, "rnnlab: give either FILE or --sine, not both"},
            {new String[] {"forecast", "--column", "x"}, "rnnlab: --column needs a FILE"},
            {new String[] {"forecast", "--model", "gru", "--train", "10", "--window", "32"}, "rnnlab: the training part (14 values) must hold a window of 32 plus one value, and fit in the series of 1000"},
            {new String[] {"forecast", "--train", "10", "--horizons", "64"}, "rnnlab: a 64-step prediction needs 67 values before the first held-out target, there are 14"},
        };
        for (Object[] c : cases) {
            CliRun run = CliRun.of((String[]) c[0]);
            assertThat(run.exitCode()).as(String.join(" ", (String[]) c[0])).isEqualTo(2);
            assertThat(run.err()).isEqualTo(c[1] + NL);
        }
    }
}
