package dev.rnnlab.cli;

import dev.rnnlab.data.CorpusChoice;

import dev.rnnlab.RnnlabVersion;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.data.DataCache;
import dev.rnnlab.data.Dataset;
import dev.rnnlab.data.Split;
import dev.rnnlab.lm.AdditiveSmoothingModel;
import dev.rnnlab.lm.ArpaFile;
import dev.rnnlab.lm.BackoffModel;
import dev.rnnlab.lm.CrossEntropy;
import dev.rnnlab.lm.KneserNeyModel;
import dev.rnnlab.lm.NGramModel;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnlab ngram train|eval|generate}: n-gram language models in ARPA files (D2L 8.3.3). */
@Command(name = "ngram", mixinStandardHelpOptions = true,
        description = "Count-based n-gram language models: train (add-k or Kneser-Ney smoothing) to an ARPA file, "
                + "evaluate perplexity, generate text.",
        subcommands = {NgramCommand.Train.class, NgramCommand.Eval.class, NgramCommand.Generate.class})
final class NgramCommand {
    static final int MAX_ORDER = 9;

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Count n-grams of a corpus and smooth them; with --split, print the held-out perplexity.",
                "The vocabulary is the training part's tokens (with --min-freq), <unk> at 0; held-out tokens "
                    + "outside it become <unk>."})
    static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "A UTF-8 text file to train on.")
        Path file;

        @Mixin
        CorpusOptions corpusOptions;

        @Option(names = "--tokens", paramLabel = "char|word", defaultValue = "char",
                description = "Tokenization (default: ${DEFAULT-VALUE}).")
        String tokens;

        @Option(names = "--order", paramLabel = "N", defaultValue = "3",
                description = "n: 1 unigram, 2 bigram, 3 trigram, ... up to " + MAX_ORDER + " (default: ${DEFAULT-VALUE}).")
        int order;

        @Option(names = "--smoothing", paramLabel = "kn|addk", defaultValue = "kn",
                description = "kn: interpolated modified Kneser-Ney; addk: add-k, Laplace for k = 1 "
                        + "(default: ${DEFAULT-VALUE}).")
        String smoothing;

        @Option(names = "--k", paramLabel = "K", defaultValue = "1",
                description = "The k of add-k smoothing (default: ${DEFAULT-VALUE}).")
        double k;

        @Option(names = "--split", paramLabel = "TRAIN,VALID[,TEST]",
                description = "Train on the first part and report perplexity on the others, e.g. 0.9,0.1 "
                        + "(default: train on everything).")
        String split;

        @Option(names = "--min-freq", paramLabel = "N", defaultValue = "1",
                description = "Training tokens seen fewer times become <unk> (default: ${DEFAULT-VALUE}).")
        int minFreq;

        @Option(names = {"-o", "--output"}, paramLabel = "MODEL.arpa",
                description = "Write the model as an ARPA file, with MODEL.arpa.json beside it.")
        Path output;

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            checkOrder(order);
            String method = smoothing.strip().toLowerCase(Locale.ROOT);
            if (!method.equals("kn") && !method.equals("addk")) {
                throw new RnnlabException("unknown smoothing '" + smoothing + "': use kn or addk");
            }
            if (method.equals("addk") && !(k > 0 && Double.isFinite(k))) {
                throw new RnnlabException("--k must be a positive number, got " + k);
            }
            if (minFreq < 1) throw new RnnlabException("--min-freq must be 1 or more, got " + minFreq);
            Split parts = split == null ? null : Split.parse(split);
            Tokenizer tokenizer = Tokenizer.parse(tokens);
            CorpusChoice.Loaded loaded = corpusOptions.load(file, Dataset.TIMEMACHINE, tokenizer);
            Corpus c = loaded.corpus();
            out.printf(Locale.ROOT, "corpus %s: %,d %s tokens after %s normalization%n", loaded.source(), c.length(),
                    c.tokenizer().id(), c.normalizer().id());

            Split.Parts p = parts == null ? new Split.Parts(c.indices(), new int[0], new int[0]) : parts.apply(c.indices());
            TrainingText text = TrainingText.of(c.vocabulary(), p, minFreq);
            out.printf(Locale.ROOT, "training on %,d tokens, vocabulary %,d (with <unk>)%n", text.train().length,
                    text.vocabulary().size());
            NGramModel model = method.equals("kn")
                    ? KneserNeyModel.train(text.train(), text.vocabulary(), order)
                    : AdditiveSmoothingModel.train(text.train(), text.vocabulary(), order, k);
            out.println("model: " + model.describe());
            if (text.validation().length > 0) report(out, "held-out", model.crossEntropy(text.validation()));
            if (text.test().length > 0) report(out, "test", model.crossEntropy(text.test()));
            if (output != null) {
                BackoffModel backoff = model.toBackoff();
                Map<String, Object> notes = new LinkedHashMap<>();
                notes.put("trainedAs", model.describe());
                notes.put("corpus", c.name());
                notes.put("sha256", c.sha256());
                notes.put("split", parts == null ? "1,0,0" : parts.toString());
                notes.put("trainingTokens", text.train().length);
                notes.put("minFreq", minFreq);
                notes.put("rnnlab", RnnlabVersion.get());
                new ArpaFile(backoff, c.tokenizer(), c.normalizer(), notes).write(output);
                out.printf(Locale.ROOT, "wrote %s (%s) and %s%n", output, backoff.describe(), ArpaFile.sidecar(output));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Perplexity and bits per token of an ARPA model on a text; tokens outside the model's "
                    + "vocabulary become <unk>.")
    static final class Eval implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", paramLabel = "MODEL.arpa", required = true, description = "The ARPA model.")
        Path model;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "A UTF-8 text file to evaluate on.")
        Path file;

        @Option(names = "--corpus", paramLabel = "NAME|FILE", description = "A named corpus or a file.")
        String corpus;

        @Option(names = "--split", paramLabel = "TRAIN,VALID[,TEST]",
                description = "Evaluate only the validation part of this split (as 'ngram train --split' does).")
        String split;

        @picocli.CommandLine.Mixin
        TextOptions text = new TextOptions();

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Split parts = split == null ? null : Split.parse(split);
            if (file != null && corpus != null) throw new RnnlabException("give either FILE or --corpus, not both");
            if (file == null && corpus == null) throw new RnnlabException("give a FILE or --corpus NAME|FILE to evaluate on");
            ArpaFile arpa = ArpaFile.read(model);
            Resolved r = text.resolve(arpa, file != null ? file.toString() : corpus, file != null,
                    spec.commandLine().getErr());
            Corpus c = Corpus.encode(r.path(), r.normalizer(), r.tokenizer(), arpa.model().vocabulary());
            int[] tokens = parts == null ? c.indices() : parts.apply(c.indices()).validation();
            if (tokens.length == 0) throw new RnnlabException("the validation part of split " + split + " is empty");
            out.printf(Locale.ROOT, "model %s: %s%n", model, arpa.model().describe());
            out.printf(Locale.ROOT, "text %s: %,d %s tokens after %s normalization%s%n", r.path(), c.length(),
                    r.tokenizer().id(), r.normalizer().id(), parts == null ? "" : String.format(Locale.ROOT,
                            ", validation part of %s: %,d tokens", parts, tokens.length));
            report(out, "perplexity", arpa.model().crossEntropy(tokens));
            out.flush();
            return 0;
        }
    }

    @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Sample text from an ARPA model, token by token, after a prefix.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", paramLabel = "MODEL.arpa", required = true, description = "The ARPA model.")
        Path model;

        @Option(names = "--prefix", paramLabel = "TEXT", defaultValue = "",
                description = "Text to start from, normalized and tokenized as the model's training text "
                        + "(default: none).")
        String prefix;

        @Option(names = "-n", paramLabel = "N", defaultValue = "100",
                description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
                description = "Seed of the sampling (default: ${DEFAULT-VALUE}).")
        long seed;

        @picocli.CommandLine.Mixin
        TextOptions text = new TextOptions();

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() {
            if (count < 0) throw new RnnlabException("-n must be 0 or more, got " + count);
            ArpaFile arpa = ArpaFile.read(model);
            Resolved r = text.resolve(arpa, null, false, spec.commandLine().getErr());
            Vocabulary v = arpa.model().vocabulary();
            List<String> prefixTokens = r.tokenizer().tokenize(prefix, r.normalizer());
            int[] start = v.encode(prefixTokens);
            int[] generated = arpa.model().sample(start, count, new Rng(seed));
            List<String> all = new java.util.ArrayList<>(v.decode(start));
            all.addAll(v.decode(generated));
            PrintWriter out = spec.commandLine().getOut();
            out.println(r.tokenizer().join(all));
            out.flush();
            return 0;
        }
    }

    /** How text becomes tokens for a model read from a file: the sidecar's choice unless overridden. */
    static final class TextOptions {
        @Option(names = "--tokens", paramLabel = "char|word",
                description = "Tokenization (default: the model's, from MODEL.arpa.json; word without one).")
        String tokens;

        @Option(names = "--normalize", paramLabel = "d2l|raw",
                description = "Normalization (default: the model's, from MODEL.arpa.json; raw without one).")
        String normalize;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "Corpus cache directory (default: $RNNLAB_DATA, else ~/.cache/rnnlab).")
        Path dataDir;

        Resolved resolve(ArpaFile arpa, String chosen, boolean isFile, PrintWriter err) {
            Tokenizer tokenizer = tokens != null ? Tokenizer.parse(tokens)
                    : arpa.tokenizer() != null ? arpa.tokenizer() : Tokenizer.WORD;
            Normalizer normalizer = normalize != null ? Normalizer.parse(normalize)
                    : arpa.normalizer() != null ? arpa.normalizer() : Normalizer.RAW;
            if ((tokens == null && arpa.tokenizer() == null) || (normalize == null && arpa.normalizer() == null)) {
                err.println("rnnlab: the model has no sidecar saying how it tokenizes; using --tokens "
                        + tokenizer.id() + " --normalize " + normalizer.id());
                err.flush();
            }
            Path path = null;
            if (chosen != null) {
                if (!isFile && Dataset.isNamed(chosen) && !Files.exists(Path.of(chosen))) {
                    path = DataCache.locate(dataDir).fetch(Dataset.named(chosen));
                } else {
                    path = Path.of(chosen);
                    if (!isFile && !Files.exists(path)) {
                        throw new RnnlabException("--corpus '" + chosen + "' is neither a named corpus ("
                                + String.join(", ", Dataset.all().stream().map(Dataset::name).toList()) + ") nor a file");
                    }
                }
            }
            return new Resolved(path, tokenizer, normalizer);
        }
    }

    record Resolved(Path path, Tokenizer tokenizer, Normalizer normalizer) {}

    /**
     * A split corpus re-indexed by the vocabulary of its training part alone (so held-out tokens never
     * seen in training are {@code <unk>}, as they would be for new text).
     */
    record TrainingText(Vocabulary vocabulary, int[] train, int[] validation, int[] test) {
        static TrainingText of(Vocabulary full, Split.Parts parts, int minFreq) {
            LinkedHashMap<String, Long> counts = new LinkedHashMap<>();
            for (int t : parts.train()) counts.merge(full.tokenOf(t), 1L, Long::sum);
            Vocabulary v = Vocabulary.fromCounts(counts, minFreq, List.of());
            int[] map = new int[full.size()];
            for (int i = 0; i < map.length; i++) map[i] = v.indexOf(full.tokenOf(i));
            return new TrainingText(v, remap(parts.train(), map), remap(parts.validation(), map),
                    remap(parts.test(), map));
        }

        private static int[] remap(int[] tokens, int[] map) {
            int[] out = Arrays.copyOf(tokens, tokens.length);
            for (int i = 0; i < out.length; i++) out[i] = map[out[i]];
            return out;
        }
    }

    static void checkOrder(int order) {
        if (order < 1 || order > MAX_ORDER) {
            throw new RnnlabException("--order must be between 1 and " + MAX_ORDER + ", got " + order);
        }
    }

    static void report(PrintWriter out, String what, CrossEntropy ce) {
        out.printf(Locale.ROOT, "%s: %,d tokens (%,d <unk>), perplexity %.4f, %.4f bits per token%n", what, ce.tokens(),
                ce.unknown(), ce.perplexity(), ce.bitsPerToken());
    }
}
