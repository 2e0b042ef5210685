package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.CorpusChoice;
import dev.rnnlab.data.Dataset;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.TokenFile;
import dev.rnnlab.text.Tokenizer;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Where a command's text comes from, declared once with one help text: {@code --corpus}, {@code --normalize}
 * and {@code --data-dir}. (FILE and {@code --tokens} stay with each command: their help and default differ.)
 * Loading goes through {@link CorpusChoice}: FILE or {@code --corpus}, never both.
 */
final class CorpusOptions {
    @Option(names = "--corpus", paramLabel = "NAME|FILE",
            description = "A named corpus or a file: timemachine (shipped with rnnlab), tinyshakespeare (downloaded once"
                    + " into the cache), synthetic-markov (built in, with a known entropy rate), or a directory made by"
                    + " rnnlab prepare. Default: timemachine.")
    String corpus;

    @Option(names = "--normalize", paramLabel = "d2l|raw",
            description = "Normalization (default: the corpus's own: timemachine d2l, tinyshakespeare raw, a FILE d2l).")
    String normalize;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Corpus cache directory (default: $RNNLAB_DATA, else ~/.cache/rnnlab).")
    Path dataDir;

    /**
     * The tokenization to read with: {@code --tokens} when it was given, else a prepared corpus's own (FILE or
     * {@code --corpus} naming a directory made by {@code rnnlab prepare}), else the command's default.
     */
    Tokenizer tokens(Path file, String tokensOption, CommandSpec spec) {
        Path named = file != null ? file : corpus != null ? Path.of(corpus) : null;
        if (named != null && TokenFile.isPrepared(named) && !spec.commandLine().getParseResult().hasMatchedOption("--tokens")) {
            return Tokenizer.parse(TokenFile.describe(named).tokenizer());
        }
        return Tokenizer.parse(tokensOption);
    }

    /** The normalizer given, or null for the corpus's own. */
    Normalizer normalizer() {
        return normalize == null ? null : Normalizer.parse(normalize);
    }

    /** Sets a run's corpus (FILE, else {@code --corpus}, else the default) and normalization. */
    RunSpec.Builder applyTo(RunSpec.Builder b, Path file) {
        return b.corpus(file != null ? file.toString() : corpus == null ? "" : corpus).normalize(normalize == null ? "" : normalize);
    }

    /** Loads FILE, else {@code --corpus}, else {@code byDefault}. */
    CorpusChoice.Loaded load(Path file, Dataset byDefault, Tokenizer tokens) {
        return load(file, corpus, byDefault, dataDir, normalizer(), tokens);
    }

    static CorpusChoice.Loaded load(Path file, String corpus, Dataset byDefault, Path dataDir, Normalizer normalize,
            Tokenizer tokens) {
        if (file != null && corpus != null) throw new RnnlabException("give either FILE or --corpus, not both");
        if (file != null) return CorpusChoice.loadFile(file, normalize, tokens);
        if (corpus != null) return CorpusChoice.load(corpus, dataDir, normalize, tokens);
        return CorpusChoice.load(byDefault, dataDir, normalize, tokens);
    }
}
