package dev.rnnlab.spark;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Spark standalone cluster on 127.0.0.1, started from Spark's own classes: a master and workers, each a
 * process of its own, whose executors are processes too (so closures, broadcasts and classes really cross
 * JVMs). Spark's worker builds an executor's class path from SPARK_HOME/jars, so SPARK_HOME is a
 * directory of links to the jars on this test's class path.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path home;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    final int port;

    private StandaloneCluster(Path home, int port, Process master) {
        this.home = home;
        this.port = port;
        this.master = master;
    }

    static StandaloneCluster start(Path dir, int workerCount) throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        Set<String> names = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && names.add(p.getFileName().toString())) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        int port = freePort();
        Process master = launch(home, dir.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()));
        StandaloneCluster c = new StandaloneCluster(home, port, master);
        awaitPort(port, 60_000);
        for (int i = 0; i < workerCount; i++) {
            c.workers.add(launch(home, dir.resolve("worker-" + i + ".log"), "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(freePort()),
                    "--work-dir", Files.createDirectories(dir.resolve("work-" + i)).toString(), c.url()));
        }
        return c;
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** Worker {@code i}'s process, to kill. */
    Process worker(int i) {
        return workers.get(i);
    }

    private static Process launch(Path home, Path log, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the Spark master did not listen on " + port + " within " + millis + " ms");
    }

    @Override
    public void close() {
        for (Process w : workers) w.descendants().forEach(ProcessHandle::destroyForcibly);
        for (Process w : workers) w.destroyForcibly();
        master.destroyForcibly();
    }
}
