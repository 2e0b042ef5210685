package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Where a corpus comes from: a file, a named corpus ({@link Dataset}, fetched through the {@link DataCache}),
 * or, when nothing is named, a default corpus that falls back to the built-in synthetic corpus when it is
 * neither cached nor downloadable. An explicit choice that fails is an error; only the implicit default
 * falls back, and says so through the warnings consumer.
 */
public final class CorpusChoice {
    /** Files above this size take a couple of seconds to read twice: show a progress bar on a terminal. */
    private static final long PROGRESS_BYTES = 32L << 20;

    private CorpusChoice() {}

    /**
     * A corpus as loaded, a one-line description of where it came from, and, for the synthetic fallback,
     * its exact entropy rate in nats per token ({@code NaN} otherwise).
     */
    public record Loaded(Corpus corpus, String source, double entropyRateNats) {
        /** A corpus without a known entropy rate. */
        public Loaded(Corpus corpus, String source) {
            this(corpus, source, Double.NaN);
        }

        /** Whether the corpus is synthetic with a known entropy rate (the floor of any model's loss). */
        public boolean hasKnownEntropyRate() {
            return !Double.isNaN(entropyRateNats);
        }
    }

    /**
     * Loads {@code nameOrFile}: a named corpus unless a file of that name exists, else the file.
     * {@code normalize} null means the corpus's own (the dataset's, else D2L's for a file).
     */
    public static Loaded load(String nameOrFile, Path dataDir, Normalizer normalize, Tokenizer tokens) {
        if (Dataset.isNamed(nameOrFile) && !Files.exists(Path.of(nameOrFile))) {
            Dataset d = Dataset.named(nameOrFile);
            Path path = DataCache.locate(dataDir).fetch(d);
            return new Loaded(read(path, orDefault(normalize, d.normalizer()), tokens), d.name() + " (" + path + ")");
        }
        Path path = Path.of(nameOrFile);
        if (!Files.exists(path)) {
            throw new RnnlabException("--corpus '" + nameOrFile + "' is neither a named corpus ("
                    + String.join(", ", Dataset.all().stream().map(Dataset::name).toList()) + ") nor a file");
        }
        return loadFile(path, normalize, tokens);
    }

    /** Loads a text file ({@code normalize} null: D2L's); a missing or unreadable file is a one-line error. */
    public static Loaded loadFile(Path file, Normalizer normalize, Tokenizer tokens) {
        return new Loaded(read(file, orDefault(normalize, Normalizer.D2L), tokens), file.toString());
    }

    /**
     * Loads {@code dataset}, or, when it is neither cached nor downloadable, the built-in synthetic corpus,
     * telling {@code warnings} which and why.
     */
    public static Loaded loadDefault(Dataset dataset, Path dataDir, Normalizer normalize, Tokenizer tokens,
            Consumer<String> warnings) {
        DataCache cache = DataCache.locate(dataDir);
        try {
            Path path = cache.fetch(dataset);
            return new Loaded(read(path, orDefault(normalize, dataset.normalizer()), tokens), dataset.name() + " (" + path + ")");
        } catch (CorpusUnavailableException e) {
            SyntheticCorpus synthetic = SyntheticCorpus.builtIn();
            warnings.accept(e.getMessage() + "; using the built-in synthetic corpus " + synthetic.name() + " instead");
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
        if (size < PROGRESS_BYTES || !DataCache.isTerminal()) return Corpus.load(path, normalize, tokens);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("reading (2 passes)").setInitialMax(2 * size)
                .setUnit(" MB", 1 << 20).build()) {
            LongConsumer progress = bar::stepTo;
            return Corpus.load(path, normalize, tokens, 0, List.of(), progress);
        }
    }
}
