package dev.rnnlab.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.RnnlabVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** The dashboard's web server over one or more run directories (see the package description). Start one with {@link #builder()}. */
public final class Dashboard implements AutoCloseable {
    /** The port {@link Builder#preferredPort} tries first by default: the first free of this and the next 19. */
    public static final int DEFAULT_PORT = 8600;
    /** Event streams served at once; a further browser gets 503 until one closes. */
    static final int MAX_STREAMS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBJAR = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
    /** Every path the server answers besides the API, and the classpath resource behind it. */
    private static final Map<String, String[]> ASSETS = Map.of(
            "/", new String[] {"/dev/rnnlab/dashboard/index.html", "text/html; charset=utf-8"},
            "/assets/dashboard.js", new String[] {"/dev/rnnlab/dashboard/dashboard.js", "text/javascript; charset=utf-8"},
            "/assets/dashboard.css", new String[] {"/dev/rnnlab/dashboard/dashboard.css", "text/css; charset=utf-8"},
            "/assets/favicon.svg", new String[] {"/dev/rnnlab/dashboard/favicon.svg", "image/svg+xml"},
            "/assets/uPlot.iife.min.js", new String[] {WEBJAR + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "/assets/uPlot.min.css", new String[] {WEBJAR + "uPlot.min.css", "text/css; charset=utf-8"});
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'";

    private final List<RunWatch> runs;
    private final List<String> names;
    private final EventLog log = new EventLog();
    private final String instance = Long.toHexString(System.nanoTime() ^ ProcessHandle.current().pid());
    private final HttpServer http;
    private final ExecutorService handlers;
    private final Thread poller;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final AtomicInteger dropGeneration = new AtomicInteger();
    private final Map<String, byte[]> assetBytes = new HashMap<>();
    private final long pollMillis;
    private volatile boolean closed;

    private Dashboard(Builder b, InetSocketAddress bound, HttpServer server) {
        this.pollMillis = b.pollMillis;
        this.runs = new ArrayList<>();
        this.names = names(b.runs);
        for (int i = 0; i < b.runs.size(); i++) runs.add(new RunWatch(i, b.runs.get(i), names.get(i)));
        for (Map.Entry<String, String[]> a : ASSETS.entrySet()) assetBytes.put(a.getKey(), resource(a.getValue()[0]));
        this.http = server;
        this.handlers = Executors.newFixedThreadPool(MAX_STREAMS + 4, r -> {
            Thread t = new Thread(r, "rnnlab-dashboard-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
        pollOnce();  // the first answer already holds everything on disk
        poller = new Thread(this::pollLoop, "rnnlab-dashboard-poller");
        poller.setDaemon(true);
        poller.start();
        http.start();
    }

    /** A dashboard builder: 127.0.0.1, the first free port from {@link #DEFAULT_PORT}, polling every 250 ms. */
    public static Builder builder() {
        return new Builder();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8600/}. */
    public URI url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The runs shown, as the page names them. */
    public List<String> runNames() {
        return names;
    }

    /** Reads what the runs' files gained since the last poll (the poller does this a few times a second). */
    void pollOnce() {
        synchronized (runs) {
            for (RunWatch r : runs) {
                try {
                    r.poll(log);
                } catch (IOException e) {
                    // a file being swapped or briefly unreadable: the next poll reads it
                }
            }
        }
    }

    /** Ends every open event stream, as a network failure would; the browsers reconnect by themselves. */
    void dropStreams() {
        dropGeneration.incrementAndGet();
        log.wakeAll();
    }

    private void pollLoop() {
        while (!closed) {
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
            pollOnce();
        }
    }

    /** Stops serving and following the runs. */
    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        log.wakeAll();
        http.stop(0);
        handlers.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                text(ex, 405, "the dashboard is read-only: GET only\n");
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            if (path.equals("/api/events")) {
                events(ex);
            } else if (path.equals("/api/runs")) {
                ArrayNode a = JSON.createArrayNode();
                for (int i = 0; i < names.size(); i++) a.addObject().put("run", i).put("name", names.get(i));
                send(ex, 200, "application/json", JSON.writeValueAsBytes(JSON.createObjectNode().put("version", RnnlabVersion.get())
                        .set("runs", a)));
            } else if (assetBytes.containsKey(path)) {
                if (path.equals("/")) ex.getResponseHeaders().set("Content-Security-Policy", CSP);
                ex.getResponseHeaders().set("Cache-Control", "no-cache");
                send(ex, 200, ASSETS.get(path)[1], assetBytes.get(path));
            } else {
                text(ex, 404, "not found: the dashboard serves /, its assets and /api/events only\n");
            }
        } catch (IOException e) {
            // the browser went away mid-answer
        } catch (RuntimeException e) {
            System.err.println("rnnlab: dashboard: " + ex.getRequestURI().getRawPath() + " failed: " + e);
            throw e;
        }
    }

    /** {@code GET /api/events}: every event from the one after {@code Last-Event-ID}, then each new one as it comes. */
    private void events(HttpExchange ex) throws IOException {
        if (!streams.tryAcquire()) {
            ex.getResponseHeaders().set("Retry-After", "5");
            text(ex, 503, "too many dashboard pages open (" + MAX_STREAMS + "); close one\n");
            return;
        }
        try {
            long next = 0;
            boolean restart = false;
            String last = ex.getRequestHeaders().getFirst("Last-Event-ID");
            if (last != null) {
                int dash = last.lastIndexOf('-');
                try {
                    if (dash > 0 && last.substring(0, dash).equals(instance)) next = Long.parseLong(last.substring(dash + 1)) + 1;
                    else restart = true;  // numbered by another instance of the server: start over
                } catch (NumberFormatException e) {
                    restart = true;
                }
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            StringBuilder hello = new StringBuilder("retry: 1000\n");
            if (next == 0) {
                ArrayNode runNames = JSON.createArrayNode();
                names.forEach(runNames::add);
                ObjectNode helloData = JSON.createObjectNode().put("restart", restart).put("version", RnnlabVersion.get());
                helloData.set("runs", runNames);
                hello.append("event: hello\ndata: ").append(helloData.toString()).append("\n");
            }
            out.write(hello.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            int generation = dropGeneration.get();
            while (!closed && generation == dropGeneration.get()) {
                List<EventLog.Event> batch;
                try {
                    batch = log.from(next, 15_000);
                } catch (InterruptedException e) {
                    return;
                }
                if (closed || generation != dropGeneration.get()) return;
                StringBuilder b = new StringBuilder();
                if (batch.isEmpty()) b.append(": still here\n\n");  // keeps proxies and idle timers from closing it
                for (EventLog.Event e : batch) {
                    b.append("id: ").append(instance).append('-').append(e.id()).append("\nevent: ").append(e.type())
                            .append("\ndata: ").append(e.json()).append("\n\n");
                    next = e.id() + 1;
                }
                out.write(b.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } finally {
            streams.release();
        }
    }

    private static void text(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) ex.getResponseBody().write(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("the dashboard's " + name + " is missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the dashboard's " + name, e);
        }
    }

    /** Each run's directory name, with its parent's prepended where two would read alike. */
    private static List<String> names(List<Path> runs) {
        List<String> names = new ArrayList<>();
        for (Path p : runs) names.add(String.valueOf(p.toAbsolutePath().normalize().getFileName()));
        for (int i = 0; i < runs.size(); i++) {
            if (java.util.Collections.frequency(names, names.get(i)) > 1) {
                Path abs = runs.get(i).toAbsolutePath().normalize();
                names.set(i, abs.getParent() == null ? abs.toString() : abs.getParent().getFileName() + "/" + abs.getFileName());
            }
        }
        return List.copyOf(names);
    }

    /** The runs a dashboard shows and where it listens. */
    public static final class Builder {
        private final List<Path> runs = new ArrayList<>();
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private boolean exactPort;
        private long pollMillis = 250;

        private Builder() {}

        /** A finished run's directory (or one training in another process), or a PyTorch peer's JSON result file. */
        public Builder run(Path directoryOrPeerJson) {
            Objects.requireNonNull(directoryOrPeerJson, "run");
            if (!Files.exists(directoryOrPeerJson)) {
                throw new RnnlabException("no such run directory '" + directoryOrPeerJson + "'; give a directory that rnnlab train wrote");
            }
            if (!Files.isDirectory(directoryOrPeerJson) && !directoryOrPeerJson.getFileName().toString().endsWith(".json")) {
                throw new RnnlabException("'" + directoryOrPeerJson + "' is a file: give the run's directory (or a peer's .json result)");
            }
            if (Files.isDirectory(directoryOrPeerJson) && !isRunDirectory(directoryOrPeerJson)) {
                throw new RnnlabException("'" + directoryOrPeerJson + "' is not a run directory: it holds no metrics.jsonl, run.json"
                        + " or config.json; give a directory that rnnlab train wrote");
            }
            runs.add(directoryOrPeerJson);
            return this;
        }

        /** A run about to start in {@code directory}: its files may not exist yet, and the page waits for them. */
        public Builder liveRun(Path directory) {
            runs.add(Objects.requireNonNull(directory, "run"));
            return this;
        }

        /** The address to bind: 127.0.0.1 unless a user asks for another (the page is then visible from elsewhere). */
        public Builder host(String address) {
            host = Objects.requireNonNull(address, "host");
            return this;
        }

        /** Listen on exactly this port (0: any free one); a port in use is an error. */
        public Builder port(int p) {
            if (p < 0 || p > 65_535) throw new RnnlabException("the dashboard's port must be in 0..65535 (0: any free port), got " + p);
            port = p;
            exactPort = true;
            return this;
        }

        /** Listen on the first free port of {@code p} .. {@code p + 19}, else any free one (the default, from {@link #DEFAULT_PORT}). */
        public Builder preferredPort(int p) {
            if (p < 1 || p > 65_535 - 19) throw new RnnlabException("the dashboard's preferred port must be in 1..65516, got " + p);
            port = p;
            exactPort = false;
            return this;
        }

        /** How often the runs' files are read for new lines (default 250 ms). */
        public Builder pollMillis(long millis) {
            if (millis < 10) throw new RnnlabException("poll interval must be >= 10 ms, got " + millis);
            pollMillis = millis;
            return this;
        }

        /** Binds and starts serving; a port in use (when exact) is a one-line error. */
        public Dashboard start() {
            if (runs.isEmpty()) throw new RnnlabException("the dashboard needs at least one run directory");
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (IOException e) {
                throw new RnnlabException("cannot listen on '" + host + "': no such address; use 127.0.0.1 or a local address");
            }
            int[] candidates = exactPort ? new int[] {port} : java.util.stream.IntStream.concat(
                    java.util.stream.IntStream.range(port, port + 20), java.util.stream.IntStream.of(0)).toArray();
            for (int p : candidates) {
                try {
                    InetSocketAddress at = new InetSocketAddress(address, p);
                    return new Dashboard(this, at, HttpServer.create(at, 64));
                } catch (BindException e) {
                    if (exactPort) {
                        throw new RnnlabException("cannot start the dashboard on " + host + ":" + p + ": the port is in use; choose another"
                                + " (--dashboard=PORT, or 0 for any free one)");
                    }
                } catch (IOException e) {
                    throw new RnnlabException("cannot start the dashboard on " + host + ":" + p + ": " + e.getMessage());
                }
            }
            throw new RnnlabException("cannot start the dashboard: no free port");
        }

        static boolean isRunDirectory(Path dir) {
            for (String f : new String[] {"metrics.jsonl", "run.json", "config.json"}) if (Files.isRegularFile(dir.resolve(f))) return true;
            return false;
        }
    }
}
