package dev.rnnlab.serve;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.RnnlabVersion;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.run.GenerationRequest;
import dev.rnnlab.run.GenerationResult;
import dev.rnnlab.run.TokenScores;
import dev.rnnlab.run.TrainedModel;
import dev.rnnlab.tensor.Gemm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** A trained model behind a small JSON HTTP API (see the package description). Start one with {@link #builder}. */
public final class ModelServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Settings settings;
    private final TrainedModel model;
    private final BlockingQueue<TrainedModel> replicas;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong served = new AtomicLong(), refused = new AtomicLong();

    /** The server's bounds and where it listens. */
    public record Settings(String host, int port, int replicas, int queue, int maxLength, int maxBodyBytes, double timeLimitSeconds) {
        /** Checks every bound. */
        public Settings {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65_535) throw new RnnlabException("--port must be in 0..65535 (0: any free port), got " + port);
            if (replicas < 1) throw new RnnlabException("--replicas must be >= 1, got " + replicas);
            if (queue < 0) throw new RnnlabException("--queue must be >= 0, got " + queue);
            if (maxLength < 1) throw new RnnlabException("--max-length must be >= 1, got " + maxLength);
            if (maxBodyBytes < 1) throw new RnnlabException("--max-body must be >= 1 byte, got " + maxBodyBytes);
            if (!(timeLimitSeconds > 0) || Double.isInfinite(timeLimitSeconds)) {
                throw new RnnlabException("--time-limit must be > 0 seconds, got " + timeLimitSeconds);
            }
        }
    }

    /** A server for {@code model} with the defaults: 127.0.0.1, any free port, one replica per core, queue 16. */
    public static Builder builder(TrainedModel model) {
        return new Builder(model);
    }

    /** Sets a server's bounds; unset ones keep the defaults named. */
    public static final class Builder {
        private final TrainedModel model;
        private String host = "127.0.0.1";
        private int port, replicas = Runtime.getRuntime().availableProcessors(), queue = 16, maxLength = 2000, maxBodyBytes = 1 << 20;
        private double timeLimitSeconds = 30;
        private Supplier<Gemm> gemm = () -> Gemm.create(Gemm.Backend.AUTO, 1, false);

        private Builder(TrainedModel model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The address to bind (default 127.0.0.1: this machine only). */
        public Builder host(String h) { host = h; return this; }

        /** The port (default 0: any free one; {@link #port()} says which). */
        public Builder port(int p) { port = p; return this; }

        /** Requests computed at once, each on its own replica sharing the weights (default: the cores). */
        public Builder replicas(int n) { replicas = n; return this; }

        /** Requests that may wait for a replica; beyond them a request gets 503 (default 16). */
        public Builder queue(int n) { queue = n; return this; }

        /** The most tokens one request may generate (default 2000). */
        public Builder maxLength(int n) { maxLength = n; return this; }

        /** The largest request body (default 1 MiB). */
        public Builder maxBodyBytes(int n) { maxBodyBytes = n; return this; }

        /** The longest a request may take, waiting included (default 30 s). */
        public Builder timeLimitSeconds(double s) { timeLimitSeconds = s; return this; }

        /** Where each replica computes (default: oneDNN when it loads, else OpenBLAS, else pure Java; one thread each). */
        public Builder gemm(Supplier<Gemm> g) { gemm = Objects.requireNonNull(g); return this; }

        /** Binds and starts serving; a port in use is a one-line error. */
        public ModelServer start() {
            return new ModelServer(this);
        }
    }

    private ModelServer(Builder b) {
        settings = new Settings(b.host, b.port, b.replicas, b.queue, b.maxLength, b.maxBodyBytes, b.timeLimitSeconds);
        model = b.model;
        model.conversation();  // a bidirectional model cannot generate: say so before binding
        replicas = new ArrayBlockingQueue<>(settings.replicas());
        for (int i = 0; i < settings.replicas(); i++) replicas.add(model.replica(b.gemm.get()));
        int threads = settings.replicas() + settings.queue() + 4;  // spare threads answer 503 while all replicas compute
        handlers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "rnnlab-serve");
            t.setDaemon(true);
            return t;
        });
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()), 256);
        } catch (BindException e) {
            handlers.shutdownNow();
            throw new RnnlabException("cannot listen on " + settings.host() + ":" + settings.port() + ": the port is in use; choose"
                    + " another with --port, or 0 for any free one");
        } catch (IOException e) {
            handlers.shutdownNow();
            throw new RnnlabException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage());
        }
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
        http.start();
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The bounds it runs with. */
    public Settings settings() {
        return settings;
    }

    /** Requests answered (any status) and refused for want of room (503), so far. */
    public long[] counts() {
        return new long[] {served.get(), refused.get()};
    }

    /** Stops listening, letting requests in progress finish for up to a second. */
    @Override
    public void close() {
        http.stop(1);
        handlers.shutdownNow();
    }

    /** An answer to send: a status and a JSON body. */
    private record Answer(int status, Object body) {}

    /** A request the client got wrong, or one the server cannot take now. */
    private static final class Refusal extends RuntimeException {
        final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            try {
                switch (path) {
                    case "/v1/health", "/health" -> {
                        requireMethod(method, "GET");
                        send(ex, new Answer(200, health()));
                    }
                    case "/v1/model" -> {
                        requireMethod(method, "GET");
                        send(ex, new Answer(200, metadata()));
                    }
                    case "/v1/generate" -> {
                        requireMethod(method, "POST");
                        GenerateBody body = parse(ex, GenerateBody.class);
                        admitted(() -> generate(ex, body));
                    }
                    case "/v1/score" -> {
                        requireMethod(method, "POST");
                        ScoreBody body = parse(ex, ScoreBody.class);
                        admitted(() -> score(ex, body));
                    }
                    default -> throw new Refusal(404, "no endpoint " + path + "; the endpoints are GET /v1/health, GET /v1/model,"
                            + " POST /v1/generate and POST /v1/score");
                }
            } catch (Refusal r) {
                if (r.status == 503) {
                    refused.incrementAndGet();
                    ex.getResponseHeaders().set("Retry-After", "1");
                }
                send(ex, new Answer(r.status, error(r.getMessage())));
            } catch (RnnlabException e) {
                send(ex, new Answer(400, error(e.getMessage())));
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();  // the client went away mid-stream
            } catch (RuntimeException e) {
                // a fault of the server, not of the request: say so, and keep serving
                send(ex, new Answer(500, error("internal error (" + e + "); the server goes on serving")));
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the response had begun: nothing more can be said to it
        } finally {
            served.incrementAndGet();
        }
    }

    /** Runs {@code work} if there is room (replicas + queue), on a replica it waits for at most the time limit. */
    private void admitted(IoWork work) throws IOException {
        int bound = settings.replicas() + settings.queue();
        if (inFlight.incrementAndGet() > bound) {
            inFlight.decrementAndGet();
            throw new Refusal(503, "the server is busy: " + bound + " requests are in progress or waiting (--replicas "
                    + settings.replicas() + ", --queue " + settings.queue() + "); retry later");
        }
        try {
            work.run();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @FunctionalInterface
    private interface IoWork {
        void run() throws IOException;
    }

    private TrainedModel takeReplica(long startNanos) {
        long waitNanos = (long) (settings.timeLimitSeconds() * 1e9) - (System.nanoTime() - startNanos);
        try {
            TrainedModel r = replicas.poll(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new Refusal(503, "no model replica came free within the time limit (" + settings.timeLimitSeconds() + " s); retry later");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(503, "the server is stopping");
        }
    }

    /** {@code POST /v1/generate}: the fields of a {@link GenerationRequest}, and whether to stream. */
    record GenerateBody(String prefix, Integer length, Double temperature, @JsonProperty("top_k") Integer topK,
            @JsonProperty("top_p") Double topP, Long seed, List<String> stop, @JsonProperty("beam_width") Integer beamWidth,
            @JsonProperty("length_penalty") Double lengthPenalty, Boolean stream) {}

    /** {@code POST /v1/score}: a text, and whether to list each token's log probability. */
    record ScoreBody(String text, @JsonProperty("per_token") Boolean perToken) {}

    private void generate(HttpExchange ex, GenerateBody b) throws IOException {
        long start = System.nanoTime();
        if (b.prefix() == null) throw new Refusal(400, "\"prefix\" is required: the text to continue");
        int length = b.length() == null ? 100 : b.length();
        if (length < 0 || length > settings.maxLength()) {
            throw new Refusal(400, "\"length\" must be in 0.." + settings.maxLength() + " (the server's --max-length), got " + length);
        }
        GenerationRequest.Builder rb = GenerationRequest.builder(b.prefix()).length(length)
                .timeLimitSeconds(settings.timeLimitSeconds());
        if (b.temperature() != null) rb.temperature(b.temperature());
        if (b.topK() != null) rb.topK(b.topK());
        if (b.topP() != null) rb.topP(b.topP());
        if (b.seed() != null) rb.seed(b.seed());
        if (b.stop() != null) {
            if (b.stop().contains(null)) throw new Refusal(400, "\"stop\" must be a list of strings");
            rb.stop(b.stop());
        }
        if (b.beamWidth() != null || b.lengthPenalty() != null) {
            int width = b.beamWidth() == null ? 1 : b.beamWidth();
            if (width > 64) throw new Refusal(400, "\"beam_width\" must be <= 64, got " + width);
            rb.beam(width, b.lengthPenalty() == null ? 0.75 : b.lengthPenalty());
        }
        GenerationRequest request = rb.build();
        boolean stream = Boolean.TRUE.equals(b.stream());
        TrainedModel replica = takeReplica(start);
        try {
            // the deadline counts the wait for a replica
            double left = settings.timeLimitSeconds() - (System.nanoTime() - start) / 1e9;
            GenerationRequest timed = request.withTimeLimitSeconds(Math.max(1e-3, left));
            if (!stream) {
                GenerationResult r = replica.generate(timed, piece -> { });
                send(ex, new Answer(200, result(r)));
                return;
            }
            // server-sent events: one "data" event per piece of text, then "done" with the summary; the headers
            // go out with the first piece, so a request the model refuses still gets its 400
            OutputStream out = ex.getResponseBody();
            boolean[] started = {false};
            GenerationResult r = replica.generate(timed, piece -> {
                try {
                    startEvents(ex, started);
                    ObjectNode event = JSON.createObjectNode().put("text", piece);
                    out.write(("data: " + JSON.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);  // the client left: stop generating for it
                }
            });
            startEvents(ex, started);
            out.write(("event: done\ndata: " + JSON.writeValueAsString(result(r)) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (RnnlabException e) {
            throw new Refusal(400, e.getMessage());
        } finally {
            replicas.add(replica);
        }
    }

    private static void startEvents(HttpExchange ex, boolean[] started) throws IOException {
        if (started[0]) return;
        started[0] = true;
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
    }

    private ObjectNode result(GenerationResult r) {
        return JSON.createObjectNode().put("text", r.text()).put("tokens", r.tokens()).put("finish", r.finish().id())
                .put("seconds", r.seconds());
    }

    private void score(HttpExchange ex, ScoreBody b) throws IOException {
        long start = System.nanoTime();
        if (b.text() == null) throw new Refusal(400, "\"text\" is required: the text to score");
        TrainedModel replica = takeReplica(start);
        TokenScores s;
        try {
            s = replica.scoreTokens(b.text());
        } catch (RnnlabException e) {
            throw new Refusal(400, e.getMessage());
        } finally {
            replicas.add(replica);
        }
        long unknown = s.tokens().stream().filter("<unk>"::equals).count();
        ObjectNode o = JSON.createObjectNode().put("tokens", s.tokens().size()).put("scored", s.logProbs().length)
                .put("unknown", unknown).put("perplexity", s.perplexity()).put("nats_per_token", s.meanLoss())
                .put("bits_per_token", s.bitsPerToken());
        if (Boolean.TRUE.equals(b.perToken())) {
            ArrayNode list = o.putArray("per_token");
            for (int i = 1; i < s.tokens().size(); i++) {
                list.addObject().put("token", s.tokens().get(i)).put("log_prob", s.logProbs()[i - 1]);
            }
        }
        o.put("seconds", (System.nanoTime() - start) / 1e9);
        send(ex, new Answer(200, o));
    }

    private ObjectNode health() {
        return JSON.createObjectNode().put("status", "ok").put("replicas", settings.replicas())
                .put("free_replicas", replicas.size()).put("in_flight", inFlight.get());
    }

    private ObjectNode metadata() {
        ModelConfig c = model.model().config();
        ObjectNode o = JSON.createObjectNode().put("rnnlab", RnnlabVersion.get());
        o.putObject("model").put("cell", c.cell().label()).put("layers", c.layers()).put("hidden", c.hidden())
                .put("embed", c.embed()).put("vocabulary", c.vocab()).put("parameters", model.model().parameters().size());
        o.put("tokenizer", model.tokenizer().id()).put("normalizer", model.normalizer().id());
        o.putObject("limits").put("max_length", settings.maxLength()).put("max_body_bytes", settings.maxBodyBytes())
                .put("time_limit_seconds", settings.timeLimitSeconds()).put("replicas", settings.replicas())
                .put("queue", settings.queue());
        return o;
    }

    private static void requireMethod(String actual, String wanted) {
        if (!wanted.equals(actual)) throw new Refusal(405, "use " + wanted + " here, not " + actual);
    }

    private <T> T parse(HttpExchange ex, Class<T> type) throws IOException {
        byte[] body = readBounded(ex.getRequestBody(), settings.maxBodyBytes());
        if (body.length == 0) throw new Refusal(400, "the request body is empty; send a JSON object");
        try {
            T value = JSON.readValue(body, type);
            if (value == null) throw new Refusal(400, "the request body is null; send a JSON object");
            return value;
        } catch (UnrecognizedPropertyException e) {
            java.util.TreeSet<String> known = new java.util.TreeSet<>();
            for (Object k : e.getKnownPropertyIds()) known.add(k.toString());
            throw new Refusal(400, "unknown field \"" + e.getPropertyName() + "\"; the fields are " + String.join(", ", known));
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) throw new Refusal(400, "the body must be a JSON object");
            String field = e.getPath().getLast().getFieldName();
            throw new Refusal(400, "\"" + (field == null ? "stop" : field) + "\" must be " + expected(e.getTargetType()));
        } catch (JacksonException e) {
            throw new Refusal(400, "the body is not valid JSON: " + e.getOriginalMessage().split("\n")[0]);
        }
    }

    /** What a JSON value of this Java type looks like, in words. */
    private static String expected(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) return "a whole number";
        if (type == Double.class || type == double.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (type != null && List.class.isAssignableFrom(type)) return "a list of strings";
        return "of another type";
    }

    private static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) throw new Refusal(413, "the request body is over " + max + " bytes (the server's --max-body)");
        return bytes;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange ex, Answer a) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(a.body());
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(a.status(), bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
