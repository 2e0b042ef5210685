package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.CorpusUnavailableException;
import dev.rnnlab.data.DataCache;
import dev.rnnlab.data.Dataset;
import dev.rnnlab.data.SyntheticCorpus;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Which corpus a command reads: a FILE, {@code --corpus NAME|FILE}, or (neither given) the default named
 * corpus, falling back to the built-in synthetic corpus when that is neither cached nor downloadable.
 * An explicit choice that fails is an error; only the implicit default falls back.
 */
final class CorpusChoice {
    /** Files above this size take a couple of seconds to read twice: show a progress bar on a terminal. */
    private static final long PROGRESS_BYTES = 32L << 20;

    private CorpusChoice() {}

    /** What was loaded, and a one-line description of where it came from. */
    record Loaded(Corpus corpus, String source, double entropyRateNats) {
        Loaded(Corpus corpus, String source) {
            this(corpus, source, Double.NaN);
        }

        /** Whether the corpus is synthetic with a known entropy rate (the floor of any model's loss). */
        boolean hasKnownEntropyRate() {
            return !Double.isNaN(entropyRateNats);
        }
    }

    static Loaded load(Path file, String corpus, Dataset fallbackDefault, Path dataDir, Normalizer normalize,
            Tokenizer tokens, PrintWriter err) {
        if (file != null && corpus != null) {
            throw new RnnlabException("give either FILE or --corpus, not both");
        }
        String chosen = file != null ? file.toString() : corpus;
        if (chosen != null) {
            if (Dataset.isNamed(chosen) && !Files.exists(Path.of(chosen))) {
                Dataset d = Dataset.named(chosen);
                Path path = DataCache.locate(dataDir).fetch(d);
                return new Loaded(read(path, orDefault(normalize, d.normalizer()), tokens),
                        d.name() + " (" + path + ")");
            }
            Path path = Path.of(chosen);
            if (file == null && !Files.exists(path)) {
                throw new RnnlabException("--corpus '" + chosen + "' is neither a named corpus ("
                        + String.join(", ", Dataset.all().stream().map(Dataset::name).toList()) + ") nor a file");
            }
            return new Loaded(read(path, orDefault(normalize, Normalizer.D2L), tokens), path.toString());
        }
        DataCache cache = DataCache.locate(dataDir);
        try {
            Path path = cache.fetch(fallbackDefault);
            return new Loaded(read(path, orDefault(normalize, fallbackDefault.normalizer()), tokens),
                    fallbackDefault.name() + " (" + path + ")");
        } catch (CorpusUnavailableException e) {
            SyntheticCorpus synthetic = SyntheticCorpus.builtIn();
            err.println("rnnlab: " + e.getMessage() + "; using the built-in synthetic corpus "
                    + synthetic.name() + " instead");
            err.flush();
            Corpus c = Corpus.fromText(synthetic.name(), synthetic.text(), orDefault(normalize, Normalizer.RAW),
                    tokens, 0, List.of());
            return new Loaded(c, synthetic.name() + " (built in, seed " + synthetic.seed() + ")",
                    synthetic.source().entropyRateNats());
        }
    }

    private static Normalizer orDefault(Normalizer chosen, Normalizer fallback) {
        return chosen != null ? chosen : fallback;
    }

    private static Corpus read(Path path, Normalizer normalize, Tokenizer tokens) {
        long size = 0;
        try {
            size = Files.isRegularFile(path) ? Files.size(path) : 0;
        } catch (java.io.IOException ignored) {
            // Corpus.load reports unreadable files itself
        }
        if (size < PROGRESS_BYTES || !Terminal.isInteractive()) return Corpus.load(path, normalize, tokens);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("reading (2 passes)").setInitialMax(2 * size)
                .setUnit(" MB", 1 << 20).build()) {
            LongConsumer progress = bar::stepTo;
            return Corpus.load(path, normalize, tokens, 0, List.of(), progress);
        }
    }
}
