package dev.rnnlab;

import static org.junit.jupiter.api.Assertions.fail;

import dev.rnnlab.data.DataCache;
import dev.rnnlab.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real corpora for tests, found without a network: in the cache ($RNNLAB_DATA, else ~/.cache/rnnlab),
 * else in ../shared/data beside the checkout (tests run in a module directory, so one level further up
 * too), checksum verified either way. Missing in CI (CI=true) is a
 * failure; elsewhere the test is skipped with the reason.
 */
public final class RealCorpora {
    private RealCorpora() {}

    public static Path timemachine() {
        return locate(Dataset.TIMEMACHINE);
    }

    public static Path tinyshakespeare() {
        return locate(Dataset.TINYSHAKESPEARE);
    }

    static Path locate(Dataset dataset) {
        DataCache cache = DataCache.locate(null);
        Optional<Path> found = cache.cached(dataset);
        Path shared = Path.of("..", "shared", "data").toAbsolutePath().normalize();
        if (!Files.isDirectory(shared)) shared = Path.of("..", "..", "shared", "data").toAbsolutePath().normalize();
        if (found.isEmpty() && Files.isDirectory(shared)) found = new DataCache(shared).cached(dataset);
        if (found.isPresent()) return found.get();
        String message = "corpus " + dataset.fileName() + " is in neither " + cache.dir() + " nor " + shared
                + ": set " + DataCache.ENV + " to a directory holding it (.ci/run seeds it from ../shared/data)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(message);
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }
}
