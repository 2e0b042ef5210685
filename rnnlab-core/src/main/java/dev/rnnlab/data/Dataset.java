package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.Normalizer;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * A named corpus: where it lives upstream, its exact bytes (sha256 and size), how it is usually normalized,
 * and whether a copy ships inside rnnlab ({@code embedded}: then it needs neither network nor cache).
 */
public record Dataset(String name, String fileName, URI url, String sha256, long bytes, Normalizer normalizer,
        boolean embedded) {

    /** A corpus that is only downloaded, not shipped. */
    public Dataset(String name, String fileName, URI url, String sha256, long bytes, Normalizer normalizer) {
        this(name, fileName, url, sha256, bytes, normalizer, false);
    }

    /**
     * The Time Machine as D2L downloads it (its {@code DATA_HUB} entry), normalized the D2L way. It is public
     * domain and 179 KB, so rnnlab ships D2L's exact file: D2L's run works on a machine with no network.
     */
    public static final Dataset TIMEMACHINE = new Dataset("timemachine", "timemachine.txt",
            URI.create("http://d2l-data.s3-accelerate.amazonaws.com/timemachine.txt"),
            "8424dbd9532ac81f7e5f0b6add90e6952baea29158309d7d1bf3884f4e12c516", 178_979, Normalizer.D2L, true);

    /** Karpathy's tiny Shakespeare from char-rnn, read raw; downloaded once into the cache. */
    public static final Dataset TINYSHAKESPEARE = new Dataset("tinyshakespeare", "tinyshakespeare.txt",
            URI.create("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"),
            "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed", 1_115_394, Normalizer.RAW);

    /** The class-path resource holding the shipped copy (meaningful only when {@link #embedded()}). */
    public String resource() {
        return "/dev/rnnlab/data/" + fileName;
    }

    /** Every named corpus. */
    public static List<Dataset> all() {
        return List.of(TIMEMACHINE, TINYSHAKESPEARE);
    }

    /** Whether {@code name} is one of the named corpora. */
    public static boolean isNamed(String name) {
        return all().stream().anyMatch(d -> d.name().equals(name.toLowerCase(Locale.ROOT)));
    }

    /** The corpus called {@code name}. */
    public static Dataset named(String name) {
        return all().stream().filter(d -> d.name().equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new RnnlabException("unknown corpus '" + name + "': the named corpora are "
                        + String.join(", ", all().stream().map(Dataset::name).toList())
                        + "; for your own text pass a file path"));
    }
}
