package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench prints the peer's keys; the figures themselves are for docs/BENCHMARKS.md, never asserted. */
class BenchCommandTest {
    @Test
    void trainingAndGenerationPrintOneJsonLineWithThePeersKeys(@TempDir Path dir) throws Exception {
        Path words = Files.writeString(dir.resolve("words.txt"), "the time machine the traveller was the one who was there ".repeat(4));
        CliRun t = CliRun.of("bench", "--cell", "gru", "--hidden", "16", "--warmup", "1", "--iters", "3", "--json");
        assertThat(t.exitCode()).as(t.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(t.out().strip());
        assertThat(j.get("tokens_per_s").asDouble()).isPositive();
        assertThat(j.get("iters").asInt()).isEqualTo(3);
        assertThat(j.has("gemm_mflop_per_token") && j.has("achieved_gflops") && j.has("fraction_of_peak")).isTrue();
        // 3 x (2 G H (V + H) + 2 H V) with G = 3, H = 16, V = 7 (the built-in corpus)
        assertThat(j.get("gemm_mflop_per_token").asDouble()).isEqualTo(3 * (2.0 * 3 * 16 * (7 + 16) + 2.0 * 16 * 7) / 1e6);

        CliRun w = CliRun.of("bench", "--text", words.toString(), "--tokens", "word", "--embed", "8", "--hidden", "8",
                "--batch", "2", "--steps", "3", "--shards", "2", "--warmup", "1", "--iters", "2", "--json");
        assertThat(w.exitCode()).as(w.err()).isZero();
        JsonNode wj = new ObjectMapper().readTree(w.out().strip());
        assertThat(wj.get("vocab").asInt()).isEqualTo(9);  // <unk> and eight words
        assertThat(wj.get("gemm_peak_gflops").asDouble()).isPositive();

        CliRun g = CliRun.of("bench", "--cell", "lstm", "--hidden", "16", "--generate", "50", "--json");
        assertThat(g.exitCode()).as(g.err()).isZero();
        JsonNode gj = new ObjectMapper().readTree(g.out().strip());
        assertThat(gj.get("chars_per_s").asDouble()).isPositive();
        assertThat(gj.get("first_token_ms").asDouble()).isPositive();
    }

    @Test
    void aSweepMeasuresEachValueAtEachShardCountAndPlots(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sweep.png");
        CliRun r = CliRun.of("bench", "--cell", "rnn", "--sweep", "hidden=8,16", "--sweep-shards", "1,2", "--warmup", "1", "--iters", "2",
                "--plot", png.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("{\"tokens_per_s\"")).count()).isEqualTo(4);
        // one model on every --threads (auto), then two shards of one thread each
        String all = Runtime.getRuntime().availableProcessors() == 1 ? "1 thread" : Runtime.getRuntime().availableProcessors() + " threads";
        assertThat(r.out()).contains("| hidden | cores | tokens/s |").containsPattern("\\| 16 \\| 2 shards \\| [0-9,]+ \\|")
                .contains("| 8 | " + all + " |");
        assertThat(png).isNotEmptyFile();
        CliRun bad = CliRun.of("bench", "--sweep", "layers=1,2");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("use hidden=128,256,... or steps=35,100,...");
        CliRun cell = CliRun.of("bench", "--cell", "transformer", "--iters", "1");
        assertThat(cell.exitCode()).isEqualTo(2);
        assertThat(cell.err()).contains("rnnlab: --cell: unknown cell 'transformer'").doesNotContain("internal error");
    }
}
