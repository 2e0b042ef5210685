package dev.rnnlab.cli;

import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.TokenFile;
import dev.rnnlab.text.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnlab prepare}: text files into a memory-mappable token directory, for corpora larger than memory. */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads text files once to count tokens and once to write them as token indices on disk (1, 2 or 4"
                + " bytes each, from the vocabulary's size), with the vocabulary and where it all came from, in bounded memory.",
            "train, eval and stats read the directory memory-mapped in place of a text FILE: any size, and the same model"
                + " as from the text."})
final class PrepareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "UTF-8 text files, read in this order as one corpus.")
    List<Path> files;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory to write tokens.bin, vocab.json and corpus.json into.")
    Path out;

    @Option(names = "--tokens", paramLabel = "char|word", defaultValue = "char", description = "Tokens (default: ${DEFAULT-VALUE}).")
    String tokens;

    @Option(names = "--normalize", paramLabel = "d2l|raw", defaultValue = "d2l",
            description = "Normalization (default: ${DEFAULT-VALUE}, as train reads a FILE).")
    String normalize;

    @Option(names = "--min-freq", paramLabel = "N", defaultValue = "0",
            description = "Tokens seen fewer than N times become <unk> (default: ${DEFAULT-VALUE}).")
    int minFreq;

    @Option(names = "--overwrite", description = "Replace a corpus already prepared in DIR.")
    boolean overwrite;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        TokenFile.Request request = new TokenFile.Request(files, Normalizer.parse(normalize), Tokenizer.parse(tokens), minFreq, List.of());
        long bytes = 0;
        for (Path f : files) {
            try {
                bytes += Files.isRegularFile(f) ? Files.size(f) : 0;
            } catch (java.io.IOException ignored) {
                // prepare reports unreadable files itself
            }
        }
        long start = System.nanoTime();
        TokenFile.Description d;
        if (Terminal.isInteractive() && bytes > 0) {
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("preparing (2 passes)").setInitialMax(2 * bytes)
                    .setUnit(" MB", 1 << 20).build()) {
                LongConsumer progress = bar::stepTo;
                d = TokenFile.prepare(request, out, overwrite, progress);
            }
        } else {
            d = TokenFile.prepare(request, out, overwrite, null);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        o.printf(Locale.ROOT, "prepared %s: %,d %s tokens from %d file(s), %,.1f MB of text, vocabulary %,d, %d byte(s) per token"
                        + " (%,.1f MB on disk)%n", out, d.tokens(), d.tokenizer(), d.sources().size(), bytes / 1e6, d.vocabularySize(),
                d.width(), d.tokens() * (double) d.width() / 1e6);
        o.printf(Locale.ROOT, "%.1f s, %,.1f MB/s of text over both passes; sha256 %s%n", seconds, bytes / 1e6 / seconds, d.sha256());
        o.printf(Locale.ROOT, "use it as FILE: rnnlab train %s   (or eval, stats)%n", out);
        o.flush();
        return 0;
    }
}
