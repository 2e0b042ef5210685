package dev.rnnlab.cli;

import dev.rnnlab.run.TrainedModel;
import dev.rnnlab.serve.ModelServer;
import dev.rnnlab.tensor.Gemm;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnnlab serve}: a trained model behind a JSON HTTP API on loopback, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves a checkpoint over HTTP on 127.0.0.1 (JSON): POST /v1/generate (streamed as server-sent events"
                + " with \\\"stream\\\": true), POST /v1/score, GET /v1/model, GET /v1/health. Runs until Ctrl-C.",
            "Requests beyond --replicas computing and --queue waiting get 503 at once; every request is bounded by"
                + " --max-length, --max-body and --time-limit."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR", required = true, description = "A checkpoint written by rnnlab train.")
    Path checkpoint;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 opens it to the network).")
    String host;

    @Option(names = "--replicas", paramLabel = "N", description = "Requests computed at once, each on a replica sharing the weights (default: the cores).")
    Integer replicas;

    @Option(names = "--queue", paramLabel = "N", defaultValue = "16", description = "Requests that may wait for a replica (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-length", paramLabel = "TOKENS", defaultValue = "2000", description = "Most tokens per generate request (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576", description = "Largest request body (default: ${DEFAULT-VALUE}).")
    int maxBody;

    @Option(names = "--time-limit", paramLabel = "SECONDS", defaultValue = "30", description = "Longest a request may take, waiting included (default: ${DEFAULT-VALUE}).")
    double timeLimit;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        TrainedModel model = TrainedModel.load(checkpoint, Gemm.create(Gemm.Backend.AUTO, 1, false));
        ModelServer.Builder b = ModelServer.builder(model).host(host).port(port).queue(queue).maxLength(maxLength)
                .maxBodyBytes(maxBody).timeLimitSeconds(timeLimit);
        if (replicas != null) b.replicas(replicas);
        CountDownLatch stopped = new CountDownLatch(1);
        try (ModelServer server = b.start()) {
            Thread hook = new Thread(stopped::countDown, "rnnlab-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            ModelServer.Settings s = server.settings();
            out.printf(Locale.ROOT, "serving %s on http://%s:%d/ (%d replicas, queue %d, at most %d tokens and %.0f s per request);"
                    + " Ctrl-C stops%n", checkpoint, s.host(), server.port(), s.replicas(), s.queue(), s.maxLength(), s.timeLimitSeconds());
            out.printf(Locale.ROOT, "try: curl -s http://%s:%d/v1/generate -d '{\"prefix\": \"time traveller\", \"length\": 50}'%n",
                    s.host(), server.port());
            out.flush();
            try {
                stopped.await();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already stopping: the hook has run
                }
            }
        } catch (InterruptedException e) {
            return 0;
        }
        return 0;
    }
}
