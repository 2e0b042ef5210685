package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.data.SyntheticCorpus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --dashboard} and {@code rnnlab dashboard} from the command line. */
class DashboardCommandTest {
    @TempDir
    Path dir;

    Path text() throws Exception {
        return Files.writeString(dir.resolve("markov.txt"), SyntheticCorpus.markov(1, 6, 0.3, 6000, 3).text());
    }

    @Test
    void trainWithADashboardPrintsItsAddressAndStopsWithDashboardExit() throws Exception {
        Path ck = dir.resolve("ck");
        CliRun t = CliRun.of(TrainCommandTest.trainArgs(text(), ck, "--epochs", "3", "--dashboard=0", "--dashboard-exit"));
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).containsPattern("dashboard: http://127\\.0\\.0\\.1:\\d+/").doesNotContain("Ctrl-C");
        assertThat(ck.resolve("steps.jsonl")).isNotEmptyFile();
        assertThat(ck.resolve("samples.jsonl")).isNotEmptyFile();
        assertThat(Files.readString(ck.resolve("run.json"))).contains("\"status\":\"finished\"");
    }

    @Test
    void aDashboardPortInUseStopsTheRunBeforeItStartsWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path ck = dir.resolve("ck");
            CliRun t = CliRun.of(TrainCommandTest.trainArgs(text(), ck, "--epochs", "2", "--dashboard=" + taken.getLocalPort()));
            assertThat(t.exitCode()).isEqualTo(2);
            assertThat(t.err().strip().lines().toList().getLast()).isEqualTo("rnnlab: cannot start the dashboard on 127.0.0.1:" + taken.getLocalPort()
                    + ": the port is in use; choose another (--dashboard=PORT, or 0 for any free one)");
            assertThat(ck.resolve("metrics.jsonl")).doesNotExist();
        }
    }

    @Test
    void dashboardServesFinishedRunsUntilStopped_andABadDirectoryIsOneLine() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        assertThat(CliRun.of(TrainCommandTest.trainArgs(text(), a, "--epochs", "2")).exitCode()).isZero();
        assertThat(CliRun.of(TrainCommandTest.trainArgs(text(), b, "--epochs", "2", "--layers", "2")).exitCode()).isZero();

        CliRun missing = CliRun.of("dashboard", a.toString(), dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).startsWith("rnnlab: no such run directory").doesNotContain("\n");
        CliRun none = CliRun.of("dashboard");
        assertThat(none.exitCode()).isEqualTo(2);

        java.io.PipedInputStream pipe = new java.io.PipedInputStream();
        java.io.PrintStream oldOut = System.out;
        java.io.PrintStream out = new java.io.PrintStream(new java.io.PipedOutputStream(pipe), true);
        Thread serving;
        String line;
        try {
            System.setOut(out);
            serving = new Thread(() -> Main.run("dashboard", a.toString(), b.toString(), "--port", "0"), "dashboard");
            serving.setDaemon(true);
            serving.start();
            line = new java.io.BufferedReader(new java.io.InputStreamReader(pipe)).readLine();
        } finally {
            System.setOut(oldOut);
        }
        Matcher m = Pattern.compile("dashboard of a, b: (http://127\\.0\\.0\\.1:\\d+/)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> runs = client.send(HttpRequest.newBuilder(URI.create(m.group(1) + "api/runs")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(runs.statusCode()).isEqualTo(200);
            assertThat(runs.body()).contains("\"name\":\"a\"").contains("\"name\":\"b\"");
        }
        serving.interrupt();
    }
}
