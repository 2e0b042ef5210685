package dev.rnnlab.cli;

import dev.rnnlab.dashboard.Dashboard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnlab dashboard RUN_DIR...}: the live dashboard over finished (or running) runs, overlaid. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves the training dashboard for one or more run directories, overlaid for comparison (e.g. the runs of"
                + " bptt compare), on 127.0.0.1. A run still training in another process updates live. A PyTorch peer's result"
                + " (bench/peer_torch.py --json > FILE.json) may be given as a run: it appears in the tables. Ctrl-C stops."})
final class DashboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories written by rnnlab train, or peer JSON files.")
    List<Path> runs;

    @Option(names = "--port", paramLabel = "N", description = "Port (default: the first free from " + Dashboard.DEFAULT_PORT + "; 0 = any free port).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
    String host;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Dashboard.Builder b = Dashboard.builder().host(host);
        for (Path r : runs) b.run(r);
        if (port != null) b.port(port);
        CountDownLatch stopped = new CountDownLatch(1);
        try (Dashboard d = b.start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "rnnlab-dashboard-stop"));
            out.println("dashboard of " + String.join(", ", d.runNames()) + ": " + d.url() + "  (Ctrl-C stops)");
            out.flush();
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
