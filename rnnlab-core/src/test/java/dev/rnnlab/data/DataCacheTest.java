package dev.rnnlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.Normalizer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a local HTTP server on 127.0.0.1: there is no network in CI. */
class DataCacheTest {
    private static final byte[] BODY = "The Time Machine, by H. G. Wells\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/corpus.txt", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, BODY.length);
            exchange.getResponseBody().write(BODY);
            exchange.close();
        });
        server.createContext("/missing.txt", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Dataset served(String path, String sha256) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return new Dataset("tiny", "tiny.txt", url, sha256, BODY.length, Normalizer.D2L);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void downloadsOnceVerifiesAndThenUsesTheCache() throws Exception {
        DataCache cache = new DataCache(dir.resolve("cache"), false);
        Dataset d = served("/corpus.txt", sha256(BODY));
        assertThat(cache.cached(d)).isEmpty();
        Path file = cache.fetch(d);
        assertThat(file).isEqualTo(dir.resolve("cache").resolve("tiny.txt"));
        assertThat(Files.readAllBytes(file)).isEqualTo(BODY);
        assertThat(cache.fetch(d)).isEqualTo(file);
        assertThat(requests.get()).isEqualTo(1);
        assertThat(cache.cached(d)).contains(file);
        try (var listing = Files.list(dir.resolve("cache"))) {
            assertThat(listing.toList()).containsExactly(file); // no .part left over
        }
    }

    @Test
    void aChecksumMismatchIsAnErrorAndLeavesNoFileBehind() throws Exception {
        DataCache cache = new DataCache(dir, false);
        Dataset d = served("/corpus.txt", "0".repeat(64));
        assertThatThrownBy(() -> cache.fetch(d)).isInstanceOf(RnnlabException.class)
                .isNotInstanceOf(CorpusUnavailableException.class)
                .hasMessage("download of corpus 'tiny' from " + d.url() + " has sha256 " + sha256(BODY) + ", expected "
                        + "0".repeat(64) + ": nothing was saved; put tiny.txt in " + dir + " yourself or pass FILE");
        try (var listing = Files.list(dir)) {
            assertThat(listing.toList()).isEmpty();
        }
    }

    @Test
    void anHttpErrorMeansUnavailable() {
        DataCache cache = new DataCache(dir, false);
        Dataset d = served("/missing.txt", "0".repeat(64));
        assertThatThrownBy(() -> cache.fetch(d)).isInstanceOf(CorpusUnavailableException.class)
                .hasMessageContaining("(HTTP 404)");
    }

    @Test
    void noServerMeansUnavailableWithAOneLineHowToSupplyTheFile() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Dataset d = new Dataset("tiny", "tiny.txt", URI.create("http://127.0.0.1:" + closedPort + "/x.txt"),
                "0".repeat(64), 1, Normalizer.D2L);
        DataCache cache = new DataCache(dir, false);
        assertThatThrownBy(() -> cache.fetch(d)).isInstanceOf(CorpusUnavailableException.class)
                .hasMessage("corpus 'tiny' is not cached in " + dir + " and could not be downloaded from " + d.url()
                        + " (no network? cannot connect): put tiny.txt there, set RNNLAB_DATA or --data-dir to a "
                        + "directory holding it, or pass FILE");
        try (var listing = Files.list(dir)) {
            assertThat(listing.toList()).isEmpty();
        }
    }

    @Test
    void theTimeMachineIsShippedAndUnpackedIntoTheCacheWithoutANetworkRequest() throws Exception {
        // an embedded corpus whose upstream is unreachable: fetch must not try it
        Dataset offline = new Dataset("timemachine", "timemachine.txt", URI.create("http://127.0.0.1:1/t.txt"),
                Dataset.TIMEMACHINE.sha256(), Dataset.TIMEMACHINE.bytes(), Normalizer.D2L, true);
        DataCache cache = new DataCache(dir.resolve("fresh"), false);
        assertThat(cache.willUnpack(offline)).isTrue();
        Path file = cache.fetch(offline);
        assertThat(file).isEqualTo(dir.resolve("fresh/timemachine.txt"));
        assertThat(sha256(Files.readAllBytes(file))).isEqualTo(Dataset.TIMEMACHINE.sha256());
        assertThat(Files.size(file)).isEqualTo(178_979);
        assertThat(cache.willUnpack(offline)).isFalse();
        assertThat(cache.fetch(offline)).isEqualTo(file);
        try (var listing = Files.list(dir.resolve("fresh"))) {
            assertThat(listing.toList()).containsExactly(file); // no .part left behind
        }
    }

    @Test
    void anUnwritableCacheUnpacksTheShippedCorpusElsewhere() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        Path file = new DataCache(notADirectory.resolve("cache"), false).fetch(Dataset.TIMEMACHINE);
        assertThat(file.getFileName().toString()).isEqualTo("timemachine.txt");
        assertThat(sha256(Files.readAllBytes(file))).isEqualTo(Dataset.TIMEMACHINE.sha256());
    }

    @Test
    void aCachedFileWithTheWrongChecksumIsAnErrorNotAMiss() throws Exception {
        Files.writeString(dir.resolve("tiny.txt"), "something else");
        DataCache cache = new DataCache(dir, false);
        Dataset d = served("/corpus.txt", sha256(BODY));
        assertThatThrownBy(() -> cache.cached(d)).isInstanceOf(RnnlabException.class)
                .hasMessageStartingWith("cached corpus '" + dir.resolve("tiny.txt") + "' has sha256 ")
                .hasMessageEndingWith("delete it to download it again, or pass it as FILE to use it anyway");
        assertThat(requests.get()).isZero();
    }

    @Test
    void theDirectoryComesFromTheOptionThenTheEnvironmentThenHome() {
        Path home = Path.of("/home/someone");
        assertThat(DataCache.resolveDir(Path.of("/opt/d"), Map.of("RNNLAB_DATA", "/env"), home))
                .isEqualTo(Path.of("/opt/d"));
        assertThat(DataCache.resolveDir(null, Map.of("RNNLAB_DATA", "/env"), home)).isEqualTo(Path.of("/env"));
        assertThat(DataCache.resolveDir(null, Map.of(), home)).isEqualTo(home.resolve(".cache/rnnlab"));
    }

    @Test
    void namedCorporaHaveTheirCanonicalSourcesAndChecksums() {
        assertThat(Dataset.named("timemachine").url().toString())
                .isEqualTo("http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt");
        assertThat(Dataset.named("tinyshakespeare").sha256())
                .isEqualTo("86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed");
        assertThat(Dataset.TINYSHAKESPEARE.normalizer()).isEqualTo(Normalizer.RAW);
        assertThatThrownBy(() -> Dataset.named("wikitext")).hasMessage(
                "unknown corpus 'wikitext': the named corpora are timemachine, tinyshakespeare; for your own text "
                        + "pass a file path");
    }
}
