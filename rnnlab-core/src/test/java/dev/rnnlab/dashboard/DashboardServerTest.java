package dev.rnnlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's server without a browser: its routes, that it reaches no file by a path, its bounds and its errors. */
class DashboardServerTest {
    private static final String SECRET = "line-that-must-never-be-served";

    @TempDir
    Path dir;

    Path runWithASecretNextToIt() throws IOException {
        Path run = dir.resolve("runs").resolve("a");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\":1,\"epochs\":1,\"train_loss\":2.5}\n");
        Files.writeString(run.resolve("notes.txt"), SECRET);
        Files.writeString(dir.resolve("runs").resolve("secret.txt"), SECRET);
        return run;
    }

    @Test
    void servesThePageItsAssetsAndTheApi_andNoFileByAnyPath() throws Exception {
        try (Dashboard d = Dashboard.builder().run(runWithASecretNextToIt()).port(0).start()) {
            assertThat(d.url().toString()).startsWith("http://127.0.0.1:");
            String page = raw(d, "GET / HTTP/1.1");
            assertThat(page).startsWith("HTTP/1.1 200").contains("Content-security-policy: default-src 'self'").contains("uPlot.iife.min.js");
            for (String asset : List.of("/assets/dashboard.js", "/assets/dashboard.css", "/assets/uPlot.iife.min.js", "/assets/uPlot.min.css",
                    "/assets/favicon.svg")) {
                assertThat(raw(d, "GET " + asset + " HTTP/1.1")).as(asset).startsWith("HTTP/1.1 200");
            }
            assertThat(raw(d, "GET /api/runs HTTP/1.1")).startsWith("HTTP/1.1 200").contains("\"name\":\"a\"");
            for (String path : List.of("/metrics.jsonl", "/a/metrics.jsonl", "/notes.txt", "/../secret.txt", "/assets/../notes.txt",
                    "/assets/..%2f..%2fsecret.txt", "/assets/%2e%2e/%2e%2e/runs/secret.txt", "//etc/passwd", "/assets/../../../../etc/passwd",
                    "/api/events/../../notes.txt", "/api/runs/0/notes.txt", "/index.html?x=/../notes.txt", "/assets/dashboard.js/..")) {
                String answer = raw(d, "GET " + path + " HTTP/1.1");
                assertThat(answer).as(path).startsWith("HTTP/1.1 404").doesNotContain(SECRET).doesNotContain("root:");
            }
        }
    }

    @Test
    void isReadOnly() throws Exception {
        try (Dashboard d = Dashboard.builder().run(runWithASecretNextToIt()).port(0).start()) {
            HttpClient client = HttpClient.newHttpClient();
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(d.url().resolve("/api/runs"))
                        .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(method).isEqualTo(405);
                assertThat(r.headers().firstValue("Allow")).contains("GET, HEAD");
            }
            HttpResponse<Void> head = client.send(HttpRequest.newBuilder(d.url()).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theEventStreamReplaysTheFiles_thenResumesAfterTheLastEventItWasSent() throws Exception {
        Path run = runWithASecretNextToIt();
        try (Dashboard d = Dashboard.builder().run(run).port(0).pollMillis(20).start()) {
            String first = readStream(d, null, "event: epoch");
            assertThat(first).contains("event: hello").contains("event: run").contains("\"train_loss\":2.5");
            String lastId = first.lines().filter(l -> l.startsWith("id: ")).reduce((a, b) -> b).orElseThrow().substring(4);
            Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\":2,\"epochs\":2,\"train_loss\":2.25}\n", java.nio.file.StandardOpenOption.APPEND);
            String resumed = readStream(d, lastId, "2.25");
            assertThat(resumed).doesNotContain("event: hello").doesNotContain("\"train_loss\":2.5,").contains("\"train_loss\":2.25");
            // an id from another instance of the server (it was restarted): the browser is told to start over
            String restarted = readStream(d, "0123abc-17", "event: epoch");
            assertThat(restarted).contains("\"restart\":true").contains("\"train_loss\":2.5");
        }
    }

    @Test
    void aPortInUseIsOneLine_andThePreferredPortMovesOn() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path run = runWithASecretNextToIt();
            assertThatThrownBy(() -> Dashboard.builder().run(run).port(port).start()).isInstanceOf(RnnlabException.class)
                    .hasMessage("cannot start the dashboard on 127.0.0.1:" + port + ": the port is in use; choose another"
                            + " (--dashboard=PORT, or 0 for any free one)");
            if (port <= 65_535 - 19) {
                try (Dashboard d = Dashboard.builder().run(run).preferredPort(port).start()) {
                    assertThat(d.port()).isNotEqualTo(port);
                }
            }
        }
    }

    @Test
    void missingOrForeignDirectoriesAreOneLine() throws IOException {
        assertThatThrownBy(() -> Dashboard.builder().run(dir.resolve("nope"))).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("no such run directory").hasMessageContaining("nope");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> Dashboard.builder().run(empty)).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("is not a run directory");
        Path log = Files.writeString(dir.resolve("metrics.jsonl"), "{}\n");
        assertThatThrownBy(() -> Dashboard.builder().run(log)).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("is a file: give the run's directory");
        assertThatThrownBy(() -> Dashboard.builder().start()).isInstanceOf(RnnlabException.class).hasMessageContaining("at least one run");
        assertThatThrownBy(() -> Dashboard.builder().port(70_000)).isInstanceOf(RnnlabException.class);
    }

    @Test
    void boundsTheStreamsItServesAtOnce() throws Exception {
        try (Dashboard d = Dashboard.builder().run(runWithASecretNextToIt()).port(0).start()) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<java.util.concurrent.CompletableFuture<HttpResponse<InputStream>>> open = new java.util.ArrayList<>();
            for (int i = 0; i < Dashboard.MAX_STREAMS; i++) {
                open.add(client.sendAsync(HttpRequest.newBuilder(d.url().resolve("/api/events")).build(), HttpResponse.BodyHandlers.ofInputStream()));
            }
            for (var f : open) assertThat(f.get().statusCode()).isEqualTo(200);
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(d.url().resolve("/api/events")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            for (var f : open) f.get().body().close();
        }
    }

    /** Reads {@code /api/events} until {@code until} has been seen (or 10 s), then hangs up. */
    private static String readStream(Dashboard d, String lastEventId, String until) throws IOException {
        try (Socket s = new Socket("127.0.0.1", d.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[8192];
            long deadline = System.currentTimeMillis() + 10_000;
            while (!got.toString().contains(until) && System.currentTimeMillis() < deadline) {
                int n = in.read(buf);
                if (n < 0) break;
                got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            return got.toString();
        }
    }

    /** One request exactly as written (no client normalises its path), and the whole answer. */
    private static String raw(Dashboard d, String requestLine) throws IOException {
        try (Socket s = new Socket("127.0.0.1", d.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
