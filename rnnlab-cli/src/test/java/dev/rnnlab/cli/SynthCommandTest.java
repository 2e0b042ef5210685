package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.data.MarkovSource;
import dev.rnnlab.data.SyntheticCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
    @TempDir
    Path dir;

    @Test
    void markovWritesTheTextAndItsDescriptionWithTheEntropyRate() throws Exception {
        Path out = dir.resolve("m.txt");
        CliRun run = CliRun.of("synth", "markov", "--order", "2", "--alphabet", "8", "--length", "5000", "--seed", "1",
                "-o", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(out)).hasSize(5000);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("m.txt.json").toFile());
        assertThat(json.get("kind").asText()).isEqualTo("markov");
        assertThat(json.get("seed").asLong()).isEqualTo(1);
        assertThat(json.get("length").asInt()).isEqualTo(5000);
        assertThat(json.get("parameters").get("order").asInt()).isEqualTo(2);
        double nats = json.get("entropyRateNatsPerToken").asDouble();
        assertThat(json.get("entropyRateBitsPerToken").asDouble()).isCloseTo(nats / Math.log(2), within(1e-12));
        assertThat(run.out()).contains("entropy rate").contains("seed 1");
        // the sidecar's parameters rebuild the true chain, transition table and all
        JsonNode p = json.get("parameters");
        MarkovSource chain = new MarkovSource(p.get("order").asInt(), p.get("alphabet").asInt(),
                p.get("concentration").asDouble(), p.get("chainSeed").asLong());
        assertThat(chain.entropyRateNats()).isEqualTo(nats);
        assertThat(chain.transitions()).isEqualTo(((MarkovSource) SyntheticCorpus.markov(2, 8, 0.5, 10, 1).source())
                .transitions());
        // the same seed writes the same file
        Path again = dir.resolve("again.txt");
        CliRun.of("synth", "markov", "--order", "2", "--alphabet", "8", "--length", "5000", "--seed", "1",
                "-o", again.toString());
        assertThat(Files.readString(again)).isEqualTo(Files.readString(out));
    }

    @Test
    void recallWritesEpisodesAndTheirEntropyRate() throws Exception {
        Path out = dir.resolve("r.txt");
        CliRun run = CliRun.of("synth", "recall", "--gap", "50", "--length", "1060", "-o", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(out).split("\n")).hasSize(20);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("r.txt.json").toFile());
        assertThat(json.get("entropyRateNatsPerToken").asDouble())
                .isCloseTo((Math.log(4) + 50 * Math.log(8)) / 53, within(1e-12));
    }

    @Test
    void badParametersAreOneLineErrorsWithExitCode2() {
        CliRun run = CliRun.of("synth", "markov", "--alphabet", "1", "-o", dir.resolve("x.txt").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("rnnlab: Markov alphabet must have 2 to 63 symbols, got 1" + System.lineSeparator());
        assertThat(CliRun.of("synth", "recall", "--gap", "5").exitCode()).isEqualTo(2); // -o is required
    }

    @Test
    void anOutputInAMissingDirectoryOrUnderAFileSaysSoInOneLine() throws Exception {
        Path missing = dir.resolve("missing_dir");
        CliRun run = CliRun.of("synth", "markov", "--length", "100", "-o", missing.resolve("x.txt").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("rnnlab: cannot write synthetic corpus '" + missing.resolve("x.txt")
                + "': directory '" + missing + "' does not exist" + System.lineSeparator());
        Path aFile = Files.writeString(dir.resolve("notes.txt"), "hi");
        CliRun under = CliRun.of("synth", "recall", "--length", "100", "-o", aFile.resolve("x.txt").toString());
        assertThat(under.exitCode()).isEqualTo(2);
        assertThat(under.err()).isEqualTo("rnnlab: cannot write synthetic corpus '" + aFile.resolve("x.txt")
                + "': '" + aFile + "' is not a directory" + System.lineSeparator());
    }
}
