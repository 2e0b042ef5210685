package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.io.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * The directory where named corpora are kept: {@code --data-dir}, else {@code $RNNLAB_DATA}, else
 * {@code ~/.cache/rnnlab}. A cached file is used only if its sha256 matches; a missing one is downloaded
 * once, to a temporary file that is renamed into place only after its checksum is verified.
 */
public final class DataCache {
    /** Environment variable naming the cache directory. */
    public static final String ENV = "RNNLAB_DATA";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final boolean showProgress;

    /** A cache in {@code dir}; progress bars only when stdout is a terminal. */
    public DataCache(Path dir) {
        this(dir, isTerminal());
    }

    DataCache(Path dir, boolean showProgress) {
        this.dir = dir;
        this.showProgress = showProgress;
    }

    /** The cache chosen by {@code dataDir} (may be null), {@code $RNNLAB_DATA} or the home directory. */
    public static DataCache locate(Path dataDir) {
        return new DataCache(resolveDir(dataDir, System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    static Path resolveDir(Path dataDir, Map<String, String> env, Path home) {
        if (dataDir != null) return dataDir;
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return Path.of(fromEnv);
        return home.resolve(".cache").resolve("rnnlab");
    }

    /** The cache directory. */
    public Path dir() {
        return dir;
    }

    /** Where {@code dataset} lives in this cache (whether or not it is there). */
    public Path pathOf(Dataset dataset) {
        return dir.resolve(dataset.fileName());
    }

    /**
     * The cached, verified file of {@code dataset}, or empty when it is not cached. A cached file with the
     * wrong checksum is an error, not a miss: rnnlab does not delete files it did not write.
     */
    public Optional<Path> cached(Dataset dataset) {
        Path file = pathOf(dataset);
        if (!Files.isRegularFile(file)) return Optional.empty();
        String actual;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = sha256();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) digest.update(buf, 0, n);
            actual = HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new RnnlabException("cannot read cached corpus '" + file + "': " + IoErrors.describe(e));
        }
        if (!actual.equals(dataset.sha256())) {
            throw new RnnlabException("cached corpus '" + file + "' has sha256 " + actual + ", expected "
                    + dataset.sha256() + ": delete it to download it again, or pass it as FILE to use it anyway");
        }
        return Optional.of(file);
    }

    /**
     * The verified file of {@code dataset}: the cached copy; else, for an {@linkplain Dataset#embedded()
     * embedded} corpus, the copy shipped in rnnlab, written into the cache (or, when the cache cannot be
     * written, into a temporary directory); else a download.
     *
     * @throws CorpusUnavailableException when it is not cached, not embedded, and the download fails for want
     *     of a network or server; other failures (checksum, disk) are plain {@link RnnlabException}s
     */
    public Path fetch(Dataset dataset) {
        Optional<Path> hit = cached(dataset);
        if (hit.isPresent()) return hit.get();
        if (dataset.embedded()) return unpack(dataset);
        return download(dataset);
    }

    /** Whether {@link #fetch} will use the copy shipped in rnnlab (embedded and not cached). */
    public boolean willUnpack(Dataset dataset) {
        return dataset.embedded() && !Files.isRegularFile(pathOf(dataset));
    }

    private Path unpack(Dataset dataset) {
        try {
            Files.createDirectories(dir);
            return copyEmbedded(dataset, dir);
        } catch (IOException | RnnlabException notWritable) {
            // a read-only home must not stop D2L's run: unpack where the JVM may always write
            try {
                Path scratch = Files.createTempDirectory("rnnlab-corpus");
                Path file = copyEmbedded(dataset, scratch);
                file.toFile().deleteOnExit();
                scratch.toFile().deleteOnExit();
                return file;
            } catch (IOException e) {
                throw new RnnlabException("cannot unpack the embedded corpus '" + dataset.name() + "' into " + dir
                        + " or a temporary directory: " + IoErrors.describe(e) + "; choose a writable --data-dir");
            }
        }
    }

    /** Copies the shipped file into {@code into}, checking its sha256 before renaming it into place. */
    private static Path copyEmbedded(Dataset dataset, Path into) throws IOException {
        Path part = Files.createTempFile(into, dataset.fileName() + ".", ".part");
        try {
            MessageDigest digest = sha256();
            try (InputStream in = DataCache.class.getResourceAsStream(dataset.resource())) {
                if (in == null) throw new RnnlabException("this rnnlab build lacks its embedded corpus " + dataset.resource());
                try (OutputStream out = Files.newOutputStream(part)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        digest.update(buf, 0, n);
                    }
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(dataset.sha256())) {
                throw new RnnlabException("the embedded corpus " + dataset.resource() + " has sha256 " + actual + ", expected "
                        + dataset.sha256() + ": this rnnlab build is damaged; rebuild it");
            }
            Path target = into.resolve(dataset.fileName());
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private Path download(Dataset dataset) {
        Path target = pathOf(dataset);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RnnlabException("cannot create corpus cache directory '" + dir + "': " + IoErrors.describeWrite(dir, e)
                    + "; choose another with --data-dir or " + ENV);
        }
        Path part;
        try {
            part = Files.createTempFile(dir, dataset.fileName() + ".", ".part");
        } catch (IOException e) {
            throw new RnnlabException("cannot write to corpus cache directory '" + dir + "': " + IoErrors.describe(e)
                    + "; choose another with --data-dir or " + ENV);
        }
        boolean done = false;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<InputStream> response;
            try {
                response = client.send(HttpRequest.newBuilder(dataset.url()).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw unavailable(dataset, "no network? " + IoErrors.describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(dataset, "interrupted", e);
            }
            MessageDigest digest = sha256();
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw unavailable(dataset, "HTTP " + response.statusCode(), null);
                }
                long expected = response.headers().firstValueAsLong("Content-Length").orElse(dataset.bytes());
                try (OutputStream out = Files.newOutputStream(part);
                        ProgressBar bar = showProgress ? new ProgressBarBuilder().setTaskName(dataset.name())
                                .setInitialMax(expected).setUnit(" KB", 1024).build() : null) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        out.write(buf, 0, n);
                        digest.update(buf, 0, n);
                        if (bar != null) bar.stepBy(n);
                    }
                }
            } catch (IOException e) {
                throw unavailable(dataset, "connection lost: " + IoErrors.describe(e), e);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(dataset.sha256())) {
                throw new RnnlabException("download of corpus '" + dataset.name() + "' from " + dataset.url()
                        + " has sha256 " + actual + ", expected " + dataset.sha256() + ": nothing was saved; put "
                        + dataset.fileName() + " in " + dir + " yourself or pass FILE");
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            return target;
        } catch (IOException e) {
            throw new RnnlabException("cannot save corpus '" + dataset.name() + "' to '" + target + "': "
                    + IoErrors.describe(e));
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // the download already failed; that error is the one to report
                }
            }
        }
    }

    private CorpusUnavailableException unavailable(Dataset dataset, String why, Throwable cause) {
        return new CorpusUnavailableException("corpus '" + dataset.name() + "' is not cached in " + dir
                + " and could not be downloaded from " + dataset.url() + " (" + why + "): put "
                + dataset.fileName() + " there, set " + ENV + " or --data-dir to a directory holding it, or pass FILE",
                cause);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static boolean isTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }
}
