package dev.rnnlab.cli;

import dev.rnnlab.data.CorpusChoice;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.Dataset;
import dev.rnnlab.stats.NGramCounts;
import dev.rnnlab.stats.OrderStatistics;
import dev.rnnlab.stats.StatsReport;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnlab stats}: n-gram tables and Zipf's law for a corpus (D2L 8.3.2). */
@Command(name = "stats", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Top n-grams and fitted Zipf exponents of a corpus, and D2L 8.3.2's log-log "
                + "frequency-vs-rank figure.",
            "Without FILE or --corpus it reads the timemachine corpus with word tokens, as D2L does for Zipf's "
                + "law (the book ships with rnnlab)."})
final class StatsCommand implements Callable<Integer> {
    /** Above this many tokens counting takes seconds: show a progress bar on a terminal. */
    private static final int PROGRESS_TOKENS = 10_000_000;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "A UTF-8 text file, or a corpus directory made by rnnlab prepare.")
    Path file;

    @Mixin
    CorpusOptions corpusOptions;

    @Option(names = "--tokens", paramLabel = "char|word", defaultValue = "word",
            description = "Tokenization (default: ${DEFAULT-VALUE}, as D2L's Zipf analysis).")
    String tokens;

    @Option(names = "--n", split = ",", paramLabel = "N", defaultValue = "1,2,3",
            description = "n-gram orders, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> orders;

    @Option(names = "--top", paramLabel = "K", defaultValue = "10",
            description = "Rows of each top n-gram table (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--zipf-ranks", paramLabel = "FROM:TO", defaultValue = "10:1000",
            description = "Rank range of the Zipf fit (default: ${DEFAULT-VALUE}; the first ranks bend away "
                    + "from the power law, D2L 8.3.2).")
    String zipfRanks;

    @Option(names = "--plot", paramLabel = "OUT.png|OUT.svg",
            description = "Write the log-log frequency-vs-rank figure with the fitted lines (PNG or SVG by "
                    + "extension).")
    Path plot;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Tokenizer tokenizer = corpusOptions.tokens(file, tokens, spec);
        int[] ranks = StatsReport.parseRanks(zipfRanks);
        for (int n : orders) {
            if (n < 1 || n > 9) throw new RnnlabException("--n orders must be between 1 and 9, got " + n);
        }
        if (top < 0) throw new RnnlabException("--top must be 0 or more, got " + top);

        CorpusChoice.Loaded loaded = corpusOptions.load(file, Dataset.TIMEMACHINE, tokenizer);
        Corpus c = loaded.corpus();
        Vocabulary v = c.vocabulary();
        out.printf(Locale.ROOT, "corpus %s: %,d %s tokens after %s normalization, vocabulary %,d (with <unk>), "
                + "sha256 %s%n", loaded.source(), c.length(), c.tokenizer().id(), c.normalizer().id(), v.size(),
                c.sha256());

        List<OrderStatistics> orders = new ArrayList<>();
        for (NGramCounts counts : countAll(c, v.size())) orders.add(OrderStatistics.of(counts, top, v));
        StatsReport.print(out, orders, top, ranks[0], ranks[1]);
        if (plot != null) {
            StatsReport.writeChart(plot, "Zipf's law: " + loaded.corpus().name() + ", " + c.tokenizer().id() + " tokens", orders,
                    ranks[0], ranks[1]);
            out.println();
            out.println("wrote " + plot);
        }
        out.flush();
        return 0;
    }

    /** Counts every order first, so a progress bar (large corpora on a terminal) never splits a table. */
    private List<NGramCounts> countAll(Corpus c, int vocabularySize) {
        List<NGramCounts> counted = new ArrayList<>();
        if (c.length() < PROGRESS_TOKENS || !Terminal.isInteractive()) {
            for (int n : orders) counted.add(NGramCounts.count(c.tokens(), vocabularySize, n));
            return counted;
        }
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("counting n-grams").setInitialMax(orders.size())
                .build()) {
            for (int n : orders) {
                counted.add(NGramCounts.count(c.tokens(), vocabularySize, n));
                bar.step();
            }
        }
        return counted;
    }

}
