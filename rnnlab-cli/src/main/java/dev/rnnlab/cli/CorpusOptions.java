package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.CorpusChoice;
import dev.rnnlab.data.Dataset;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The command line's side of {@link CorpusChoice}: FILE or {@code --corpus}, never both; warnings to stderr. */
final class CorpusOptions {
    private CorpusOptions() {}

    static CorpusChoice.Loaded load(Path file, String corpus, Dataset fallbackDefault, Path dataDir, Normalizer normalize,
            Tokenizer tokens, PrintWriter err) {
        if (file != null && corpus != null) throw new RnnlabException("give either FILE or --corpus, not both");
        if (file != null) return CorpusChoice.loadFile(file, normalize, tokens);
        if (corpus != null) return CorpusChoice.load(corpus, dataDir, normalize, tokens);
        return CorpusChoice.loadDefault(fallbackDefault, dataDir, normalize, tokens, w -> {
            err.println("rnnlab: " + w);
            err.flush();
        });
    }
}
