package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.TokenFile;
import dev.rnnlab.text.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Where a corpus comes from: a file, a named corpus ({@link Dataset}: the cached copy, else the copy shipped
 * in rnnlab for The Time Machine, else a download through the {@link DataCache}), or the built-in synthetic
 * corpus {@value #SYNTHETIC}, whose exact entropy rate is known. A named corpus that is neither cached,
 * embedded nor downloadable is a one-line error.
 */
public final class CorpusChoice {
    /** Files above this size take a couple of seconds to read twice: show a progress bar on a terminal. */
    private static final long PROGRESS_BYTES = 32L << 20;
    /** The name of {@link SyntheticCorpus#builtIn()} as a corpus: a Markov chain whose entropy rate is known. */
    public static final String SYNTHETIC = "synthetic-markov";

    private CorpusChoice() {}

    /**
     * A corpus as loaded, a one-line description of where it came from, and, for the synthetic corpus,
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

    /** The names {@link #load} knows besides files: the named corpora, then the synthetic one. */
    public static List<String> names() {
        List<String> names = new java.util.ArrayList<>(Dataset.all().stream().map(Dataset::name).toList());
        names.add(SYNTHETIC);
        return names;
    }

    /**
     * Loads {@code nameOrFile}: a named corpus unless a file of that name exists, else the file.
     * {@code normalize} null means the corpus's own (the dataset's, raw for the synthetic one, else D2L's
     * for a file).
     */
    public static Loaded load(String nameOrFile, Path dataDir, Normalizer normalize, Tokenizer tokens) {
        if (Files.exists(Path.of(nameOrFile))) return loadFile(Path.of(nameOrFile), normalize, tokens);
        if (SYNTHETIC.equals(nameOrFile.toLowerCase(Locale.ROOT))) return synthetic(normalize, tokens);
        if (Dataset.isNamed(nameOrFile)) return load(Dataset.named(nameOrFile), dataDir, normalize, tokens);
        throw new RnnlabException("--corpus '" + nameOrFile + "' is neither a named corpus (" + String.join(", ", names())
                + ") nor a file");
    }

    /** Loads a named corpus: cached, else shipped in rnnlab, else downloaded into the cache. */
    public static Loaded load(Dataset dataset, Path dataDir, Normalizer normalize, Tokenizer tokens) {
        DataCache cache = DataCache.locate(dataDir);
        boolean unpacked = cache.willUnpack(dataset);
        Path path = cache.fetch(dataset);
        String where = unpacked ? "shipped with rnnlab, unpacked to " + path : path.toString();
        return new Loaded(read(path, orDefault(normalize, dataset.normalizer()), tokens), dataset.name() + " (" + where + ")");
    }

    /**
     * Loads a text file ({@code normalize} null: D2L's), or maps a directory made by {@link TokenFile#prepare}
     * (whose normalization and tokenization were fixed then: a different one asked for is an error). A
     * missing or unreadable file is a one-line error.
     */
    public static Loaded loadFile(Path file, Normalizer normalize, Tokenizer tokens) {
        if (TokenFile.isPrepared(file)) {
            Corpus c = TokenFile.open(file);
            if (normalize != null && normalize != c.normalizer() || tokens != c.tokenizer()) {
                throw new RnnlabException("'" + file + "' was prepared with --normalize " + c.normalizer().id() + " --tokens "
                        + c.tokenizer().id() + "; pass those, or prepare the text again with the ones you want");
            }
            return new Loaded(c, String.format(Locale.ROOT, "%s (prepared, memory-mapped: %d byte(s) per token)", file,
                    TokenFile.width(c.vocabulary().size())));
        }
        return new Loaded(read(file, orDefault(normalize, Normalizer.D2L), tokens), file.toString());
    }

    /** The built-in synthetic corpus ({@link SyntheticCorpus#builtIn()}) under the name {@value #SYNTHETIC}. */
    public static Loaded synthetic(Normalizer normalize, Tokenizer tokens) {
        SyntheticCorpus synthetic = SyntheticCorpus.builtIn();
        Corpus c = Corpus.fromText(SYNTHETIC, synthetic.text(), orDefault(normalize, Normalizer.RAW), tokens, 0, List.of());
        return new Loaded(c, SYNTHETIC + " (built in: " + synthetic.name() + ")", synthetic.source().entropyRateNats());
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
