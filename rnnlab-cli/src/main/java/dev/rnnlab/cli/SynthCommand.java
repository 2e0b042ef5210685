package dev.rnnlab.cli;

import dev.rnnlab.data.SyntheticCorpus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnnlab synth}: generated corpora whose entropy rate is known exactly. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write a synthetic corpus with a known entropy rate (the best loss any model can reach); "
                + "the rate and how the text was made go to OUT.json beside it.",
        subcommands = {SynthCommand.Markov.class, SynthCommand.Recall.class})
final class SynthCommand {

    /** Options every synthetic corpus has. */
    static final class Common {
        @Option(names = "--length", paramLabel = "N", defaultValue = "200000",
                description = "Characters to generate (default: ${DEFAULT-VALUE}).")
        int length;

        @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0",
                description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT", required = true,
                description = "Text file to write; its description goes to OUT.json.")
        Path output;

        @Mixin
        VerboseOption verbose;

        int report(CommandSpec spec, SyntheticCorpus corpus) {
            Path sidecar = corpus.write(output);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "wrote %s: %,d characters of %s%n", output, corpus.text().length(), corpus.name());
            out.printf(Locale.ROOT, "entropy rate %.6f nats = %.6f bits per token (seed %d; details in %s)%n",
                    corpus.source().entropyRateNats(), corpus.source().entropyRateBits(), corpus.seed(), sidecar);
            out.flush();
            return 0;
        }
    }

    @Command(name = "markov", mixinStandardHelpOptions = true, sortOptions = false,
            description = "A random k-th order Markov chain: each history's next-symbol distribution drawn from a "
                    + "symmetric Dirichlet; entropy rate from the stationary distribution.")
    static final class Markov implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--order", paramLabel = "K", defaultValue = "2",
                description = "Symbols of history (default: ${DEFAULT-VALUE}).")
        int order;

        @Option(names = "--alphabet", paramLabel = "M", defaultValue = "8",
                description = "Number of symbols: space, then letters by English frequency (default: ${DEFAULT-VALUE}).")
        int alphabet;

        @Option(names = "--concentration", paramLabel = "A", defaultValue = "0.5",
                description = "Dirichlet concentration; smaller makes rows more peaked (default: ${DEFAULT-VALUE}).")
        double concentration;

        @picocli.CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            return common.report(spec, SyntheticCorpus.markov(order, alphabet, concentration, common.length,
                    common.seed));
        }
    }

    @Command(name = "recall", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Episodes 'K fillers... K\\n': a key letter, GAP random fillers, the key again; "
                    + "remembering the key over the gap is the only way to reach the entropy rate.")
    static final class Recall implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--gap", paramLabel = "G", defaultValue = "50",
                description = "Fillers between the key and its recall (default: ${DEFAULT-VALUE}).")
        int gap;

        @Option(names = "--keys", paramLabel = "K", defaultValue = "4",
                description = "Number of distinct keys, capital letters (default: ${DEFAULT-VALUE}).")
        int keys;

        @Option(names = "--fillers", paramLabel = "F", defaultValue = "8",
                description = "Number of distinct fillers, lowercase letters (default: ${DEFAULT-VALUE}).")
        int fillers;

        @picocli.CommandLine.Mixin
        Common common = new Common();

        @Override
        public Integer call() {
            return common.report(spec, SyntheticCorpus.recall(gap, keys, fillers, common.length, common.seed));
        }
    }
}
