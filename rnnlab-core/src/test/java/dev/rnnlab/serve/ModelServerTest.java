package dev.rnnlab.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.RealCorpora;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.run.GenerationRequest;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.run.TokenScores;
import dev.rnnlab.run.TrainedModel;
import dev.rnnlab.run.TrainingRun;
import dev.rnnlab.tensor.Gemm;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API on loopback against the library's own answers, and its answers to bad and excess requests. */
class ModelServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Gemm GEMM = Gemm.create(Gemm.Backend.JAVA, 1, false);

    @TempDir
    static Path dir;

    static TrainedModel model;
    static ModelServer server;
    static HttpClient client;

    @BeforeAll
    static void start() {
        RunSpec spec = RunSpec.builder().corpus(RealCorpora.timemachine()).maxTokens(5000).cell(CellType.GRU).hidden(32)
                .batch(8).steps(20).epochs(2).build();
        try (TrainingRun run = TrainingRun.builder(spec).gemm(GEMM).checkpointDirectory(dir.resolve("gru")).build()) {
            run.run();
        }
        model = TrainedModel.load(dir.resolve("gru"), GEMM);
        server = ModelServer.builder(model).replicas(2).queue(2).maxLength(5000).maxBodyBytes(4096).timeLimitSeconds(20)
                .gemm(() -> Gemm.create(Gemm.Backend.JAVA, 1, false)).start();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        client.close();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("error").asText();
    }

    @Test
    void itListensOnLoopbackAndDescribesTheModel() throws Exception {
        assertThat(server.settings().host()).isEqualTo("127.0.0.1");
        JsonNode health = JSON.readTree(get("/v1/health").body());
        assertThat(health.get("status").asText()).isEqualTo("ok");
        JsonNode meta = JSON.readTree(get("/v1/model").body());
        assertThat(meta.at("/model/cell").asText()).isEqualTo("gru");
        assertThat(meta.at("/model/hidden").asInt()).isEqualTo(32);
        assertThat(meta.at("/model/vocabulary").asInt()).isEqualTo(28);
        assertThat(meta.get("tokenizer").asText()).isEqualTo("char");
        assertThat(meta.at("/limits/max_length").asInt()).isEqualTo(5000);
    }

    @Test
    void answersAreTheLibrarysForTheSameRequest() throws Exception {
        HttpResponse<String> r = post("/v1/generate", "{\"prefix\": \"the time \", \"length\": 60, \"temperature\": 0.8, \"top_k\": 10,"
                + " \"seed\": 5, \"stop\": [\"zq\"]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String expected = model.generate(GenerationRequest.builder("the time ").length(60).temperature(0.8).topK(10).seed(5)
                .stop(List.of("zq")).build(), s -> { }).text();
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("text").asText()).isEqualTo(expected);
        assertThat(body.get("finish").asText()).isEqualTo("length");
        // beam search too
        String beam = JSON.readTree(post("/v1/generate", "{\"prefix\": \"the \", \"length\": 15, \"beam_width\": 3}").body()).get("text").asText();
        assertThat(beam).isEqualTo(model.generate(GenerationRequest.builder("the ").length(15).beam(3, 0.75).build(), s -> { }).text());
        // scoring
        JsonNode score = JSON.readTree(post("/v1/score", "{\"text\": \"the time machine\", \"per_token\": true}").body());
        TokenScores s = model.scoreTokens("the time machine");
        assertThat(score.get("perplexity").asDouble()).isEqualTo(s.perplexity());
        assertThat(score.get("per_token")).hasSize(15);
        assertThat(score.at("/per_token/0/token").asText()).isEqualTo("h");
        assertThat(score.at("/per_token/0/log_prob").asDouble()).isEqualTo(s.logProbs()[0]);
    }

    @Test
    void aStreamIsServerSentEventsThatAddUpToTheWholeAnswer() throws Exception {
        HttpResponse<String> r = post("/v1/generate", "{\"prefix\": \"the \", \"length\": 40, \"temperature\": 1, \"seed\": 2, \"stream\": true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        StringBuilder text = new StringBuilder();
        String done = null;
        for (String event : r.body().split("\n\n")) {
            if (event.startsWith("data: ")) text.append(JSON.readTree(event.substring(6)).get("text").asText());
            else if (event.startsWith("event: done\ndata: ")) done = event.substring("event: done\ndata: ".length());
        }
        String whole = JSON.readTree(post("/v1/generate", "{\"prefix\": \"the \", \"length\": 40, \"temperature\": 1, \"seed\": 2}").body())
                .get("text").asText();
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(JSON.readTree(done).get("text").asText()).isEqualTo(whole);
        assertThat(JSON.readTree(done).get("tokens").asInt()).isEqualTo(40);
    }

    @Test
    void badRequestsGetAClearFourHundredAndTheServerGoesOn() throws Exception {
        HttpResponse<String> r = post("/v1/generate", "{\"prefix\": ");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).startsWith("the body is not valid JSON");
        r = post("/v1/generate", "{\"prefix\": \"the\", \"lenght\": 5}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).isEqualTo("unknown field \"lenght\"; the fields are beam_width, length, length_penalty, prefix, seed,"
                + " stop, stream, temperature, top_k, top_p");
        r = post("/v1/generate", "{\"prefix\": \"the\", \"length\": 1000000000}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).isEqualTo("\"length\" must be in 0..5000 (the server's --max-length), got 1000000000");
        r = post("/v1/generate", "{\"prefix\": \"the\", \"length\": \"ten\"}");
        assertThat(error(r)).isEqualTo("\"length\" must be a whole number");
        r = post("/v1/generate", "{\"prefix\": \"the\", \"top_p\": 0}");
        assertThat(error(r)).isEqualTo("top_p must be in (0, 1], got 0.0");
        r = post("/v1/generate", "{\"prefix\": \"1234\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).contains("empty after d2l normalization");
        assertThat(post("/v1/generate", "[1, 2]").statusCode()).isEqualTo(400);
        assertThat(post("/v1/generate", "").statusCode()).isEqualTo(400);
        assertThat(post("/v1/score", "{\"text\": \"" + "a".repeat(5000) + "\"}").statusCode()).isEqualTo(413);
        assertThat(post("/v1/nothing", "{}").statusCode()).isEqualTo(404);
        assertThat(get("/v1/generate").statusCode()).isEqualTo(405);
        assertThat(get("/../../etc/passwd").statusCode()).isEqualTo(404);
        r = post("/v1/generate", "{\"prefix\": \"the\", \"stream\": true, \"length\": 5, \"temperature\": -1}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(get("/v1/health").statusCode()).isEqualTo(200);
    }

    @Test
    void requestsBeyondTheQueueBoundGet503AtOnceAndTheRestAreServed() throws Exception {
        // 2 replicas + queue 2: of 12 concurrent long requests, 4 are admitted and the rest refused without waiting
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return post("/v1/generate", "{\"prefix\": \"the \", \"length\": 5000}");
            }));
        }
        go.countDown();
        int ok = 0, busy = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) ok++;
            else if (r.statusCode() == 503) {
                busy++;
                assertThat(error(r)).startsWith("the server is busy: 4 requests are in progress or waiting");
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            }
        }
        pool.shutdown();
        assertThat(ok + busy).isEqualTo(n);
        assertThat(ok).isBetween(4, n - 1);  // at least the admitted ones; a fast machine may finish some before others arrive
        assertThat(busy).isPositive();
        assertThat(get("/v1/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatLeavesMidStreamFreesItsReplica() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            String body = "{\"prefix\": \"the \", \"length\": 5000, \"stream\": true}";
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(64);
            assertThat(new String(head, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        }  // closed mid-stream
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (JSON.readTree(get("/v1/health").body()).get("free_replicas").asInt() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(JSON.readTree(get("/v1/health").body()).get("free_replicas").asInt()).isEqualTo(2);
    }

    @Test
    void aPortInUseIsOneLine() {
        assertThatThrownBy(() -> ModelServer.builder(model).port(server.port()).start()).isInstanceOf(RnnlabException.class)
                .hasMessage("cannot listen on 127.0.0.1:" + server.port() + ": the port is in use; choose another with --port, or 0 for any free one");
    }
}
