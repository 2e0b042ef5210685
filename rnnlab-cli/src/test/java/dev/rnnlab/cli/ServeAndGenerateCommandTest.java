package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.data.SyntheticCorpus;
import dev.rnnlab.run.GenerationRequest;
import dev.rnnlab.run.TrainedModel;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rnnlab serve from the command line, and generate's stop strings, beam search and interactive mode. */
class ServeAndGenerateCommandTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    static Path dir;

    static Path ck;

    @BeforeAll
    static void train() throws Exception {
        Path text = Files.writeString(dir.resolve("markov.txt"), SyntheticCorpus.markov(1, 6, 0.3, 6000, 3).text());
        ck = dir.resolve("ck");
        CliRun t = CliRun.of(TrainCommandTest.trainArgs(text, ck, "--epochs", "2"));
        assertThat(t.exitCode()).as(t.err()).isZero();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void serveAnswersOnLoopbackUntilStoppedAndAPortInUseIsOneLine() throws Exception {
        int port = freePort();
        Thread serving = new Thread(() -> Main.run("serve", "--checkpoint", ck.toString(), "--port", Integer.toString(port),
                "--replicas", "1"));
        serving.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = null;
            for (int i = 0; i < 200 && r == null; i++) {
                try {
                    r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/generate"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"prefix\": \" e\", \"length\": 20, \"seed\": 1, \"temperature\": 0.9}"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (java.net.ConnectException notYet) {
                    Thread.sleep(50);
                }
            }
            assertThat(r).isNotNull();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            String expected = TrainedModel.load(ck).generate(GenerationRequest.builder(" e").length(20).seed(1).temperature(0.9).build(),
                    s -> { }).text();
            assertThat(r.body()).contains("\"text\":\"" + expected + "\"");

            CliRun taken = CliRun.of("serve", "--checkpoint", ck.toString(), "--port", Integer.toString(port));
            assertThat(taken.exitCode()).isEqualTo(2);
            assertThat(taken.err()).isEqualTo("rnnlab: cannot listen on 127.0.0.1:" + port + ": the port is in use; choose another"
                    + " with --port, or 0 for any free one" + NL);
        } finally {
            serving.interrupt();
            serving.join(10_000);
        }
        assertThat(serving.isAlive()).isFalse();
        CliRun missing = CliRun.of("serve", "--checkpoint", dir.resolve("none").toString(), "--port", "0");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).hasLineCount(1);
    }

    @Test
    void generateStopsAtAStopStringAndSearchesABeam() {
        CliRun free = CliRun.of("generate", "--checkpoint", ck.toString(), "--prefix", " e", "-n", "60", "--temperature", "1", "--seed", "4");
        String text = free.out().substring(2, free.out().length() - NL.length());
        String stop = text.substring(10, 12);
        CliRun stopped = CliRun.of("generate", "--checkpoint", ck.toString(), "--prefix", " e", "-n", "60", "--temperature", "1",
                "--seed", "4", "--stop", stop);
        assertThat(stopped.exitCode()).as(stopped.err()).isZero();
        assertThat(stopped.out()).isEqualTo(" e" + text.substring(0, text.indexOf(stop)) + NL);
        CliRun beam = CliRun.of("generate", "--checkpoint", ck.toString(), "--prefix", " e", "-n", "10", "--beam", "3");
        assertThat(beam.exitCode()).as(beam.err()).isZero();
        String expected = TrainedModel.load(ck).generate(GenerationRequest.builder(" e").length(10).beam(3, 0.75).build(), s -> { }).text();
        assertThat(beam.out()).isEqualTo(" e" + expected + NL);
        CliRun both = CliRun.of("generate", "--checkpoint", ck.toString(), "--beam", "3", "--temperature", "0.5");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).isEqualTo("rnnlab: --beam finds the most probable text; it takes no --temperature, --top-k or --top-p" + NL);
    }

    @Test
    void interactiveGenerationKeepsTheStateAcrossLines() {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream((" e\n e\n/reset\n e\n").getBytes(StandardCharsets.UTF_8)));
            CliRun run = CliRun.of("generate", "--checkpoint", ck.toString(), "--interactive", "-n", "15");
            assertThat(run.exitCode()).as(run.err()).isZero();
            List<String> replies = run.out().lines().toList();
            assertThat(replies).hasSize(3);
            TrainedModel m = TrainedModel.load(ck);
            TrainedModel.Conversation c = m.conversation();
            GenerationRequest settings = GenerationRequest.builder("-").length(15).build();
            String first = c.reply(" e\n", settings, s -> { }, w -> { }).text();
            String second = c.reply(" e\n", settings, s -> { }, w -> { }).text();
            assertThat(replies).containsExactly(first, second, first);
            assertThat(run.err()).contains("rnnlab: interactive:").contains("rnnlab: context forgotten");
        } finally {
            System.setIn(old);
        }
    }
}
