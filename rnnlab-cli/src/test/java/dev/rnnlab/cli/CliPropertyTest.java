package dev.rnnlab.cli;

import static dev.rnnlab.cli.CliInputs.ARPA;
import static dev.rnnlab.cli.CliInputs.EMPTY_DIR;
import static dev.rnnlab.cli.CliInputs.FIXED;
import static dev.rnnlab.cli.CliInputs.GARBLED_CONFIG;
import static dev.rnnlab.cli.CliInputs.MARKOV;
import static dev.rnnlab.cli.CliInputs.NO_TRAINING_STATE;
import static dev.rnnlab.cli.CliInputs.NO_VOCABULARY;
import static dev.rnnlab.cli.CliInputs.PLAIN_FILE;
import static dev.rnnlab.cli.CliInputs.TRAINED;
import static dev.rnnlab.cli.CliInputs.TRUNCATED_WEIGHTS;
import static dev.rnnlab.cli.CliInputs.TRY;
import static dev.rnnlab.cli.CliInputs.command;
import static dev.rnnlab.cli.CliInputs.count;
import static dev.rnnlab.cli.CliInputs.countOrHuge;
import static dev.rnnlab.cli.CliInputs.fixed;
import static dev.rnnlab.cli.CliInputs.option;
import static dev.rnnlab.cli.CliInputs.outputFile;
import static dev.rnnlab.cli.CliInputs.real;
import static dev.rnnlab.cli.CliInputs.seed;
import static dev.rnnlab.cli.CliInputs.textFile;
import static dev.rnnlab.cli.CliInputs.word;

import dev.rnnlab.cli.CliInputs.Option;
import dev.rnnlab.cli.CliInputs.TextFile;
import dev.rnnlab.data.SyntheticCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated command lines (see {@link CliInputs}) against every command. Each run must end with exit 0, or
 * exit 2 and one line on stderr starting with "rnnlab: " (info and warning lines aside); never with a stack
 * trace, an internal error or a Java class name; and a run that fails must leave a checkpoint it was
 * pointed at exactly as it was (generate and eval never change one).
 *
 * <p>Bounded for CI: fixed seeds, few tries, tiny models and corpora, training under a time budget; no
 * shrinking, since the failure message already holds the whole command line.
 */
class CliPropertyTest {
    private static final String SEED = "20240612";
    /** Lines a command prints on stderr besides its error: the GEMM backend and warnings it also gives on success. */
    private static final Pattern INFO_OR_WARNING = Pattern.compile("rnnlab: (GEMM backend |oneDNN unavailable \\(|OpenBLAS unavailable \\("
            + "|prefix has \\d+ token\\(s\\) not in the vocabulary|the model has no sidecar saying how it tokenizes"
            + ").*");
    private static final List<String> CRASH_SIGNS = List.of("\tat ", "Exception in", "internal error");
    /** A Java class name in a message ("AccessDeniedException", "OutOfMemoryError"): words for people, not types. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b[A-Z][A-Za-z]*(Exception|Error)\\b");
    private static final Pattern CHECKPOINT_PLACEHOLDER = Pattern.compile("@ck:([a-z-]+)@");
    private static final long RUN_SECONDS = 60;

    private static Path fixed;
    private static int tries;

    @BeforeContainer
    static void writeFixedInputs() throws Exception {
        fixed = Files.createTempDirectory("rnnlab-cli-property");
        Files.writeString(fixed.resolve("markov.txt"), SyntheticCorpus.markov(1, 6, 0.3, 3000, 3).text());
        Files.writeString(fixed.resolve("plain.txt"), "a plain file\n");
        Files.createDirectories(fixed.resolve("empty-dir"));
        write(TextFile.EMPTY, new byte[0]);
        write(TextFile.BINARY, new byte[] {'a', 'b', 0, 'c', 'd', 0, 0, 1, 2, (byte) 0xFF});
        write(TextFile.INVALID_UTF8, new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', 'a', 'u', ' ', 'l', 'a', 'i', 't'});
        byte[] utf16 = "the time machine\n".getBytes(StandardCharsets.UTF_16LE);
        byte[] marked = new byte[utf16.length + 2];
        marked[0] = (byte) 0xFF;
        marked[1] = (byte) 0xFE;
        System.arraycopy(utf16, 0, marked, 2, utf16.length);
        write(TextFile.UTF16_BOM, marked);
        write(TextFile.UTF16, "the time machine\n".getBytes(StandardCharsets.UTF_16BE));
        write(TextFile.ONE_CHAR, "a".getBytes(StandardCharsets.UTF_8));
        write(TextFile.HUGE_LINE, SyntheticCorpus.markov(1, 6, 0.3, 50_000, 4).text().replace('\n', ' ')
                .getBytes(StandardCharsets.UTF_8));
        write(TextFile.WHITESPACE, "  \n\t\n   \r\n\u00a0\n".getBytes(StandardCharsets.UTF_8));
        write(TextFile.TINY, "the time machine by h g wells\n".getBytes(StandardCharsets.UTF_8));
        StringBuilder numbers = new StringBuilder(), csv = new StringBuilder("t,x\n");
        for (int t = 1; t <= 300; t++) {
            numbers.append(Math.sin(0.05 * t)).append('\n');
            csv.append(t).append(',').append(Math.cos(0.05 * t)).append('\n');
        }
        write(TextFile.NUMBERS, numbers.toString().getBytes(StandardCharsets.UTF_8));
        write(TextFile.CSV, csv.toString().getBytes(StandardCharsets.UTF_8));

        Path templates = Files.createDirectories(fixed.resolve("templates"));
        Path trained = templates.resolve("trained");
        CliRun t = CliRun.of("train", fixed.resolve("markov.txt").toString(), "--normalize", "raw", "--hidden", "8", "--batch", "4",
                "--steps", "8", "--epochs", "1", "--split", "0.9,0.1", "--checkpoint", trained.toString(), "--sample-length", "0",
                "--backend", "java");
        if (t.exitCode() != 0) throw new IllegalStateException("cannot train the template checkpoint: " + t.err());
        copyTree(trained, templates.resolve("garbled-config"));
        Files.writeString(templates.resolve("garbled-config/config.json"), "{\"model\": [1, 2");
        copyTree(trained, templates.resolve("truncated-weights"));
        Path weights = templates.resolve("truncated-weights/model.safetensors");
        Files.write(weights, java.util.Arrays.copyOf(Files.readAllBytes(weights), 40));
        copyTree(trained, templates.resolve("no-vocabulary"));
        Files.delete(templates.resolve("no-vocabulary/vocab.json"));
        copyTree(trained, templates.resolve("no-training-state"));
        Files.delete(templates.resolve("no-training-state/state.json"));
        Files.delete(templates.resolve("no-training-state/optimizer.safetensors"));

        CliRun n = CliRun.of("ngram", "train", fixed.resolve("markov.txt").toString(), "--normalize", "raw", "--order", "3",
                "-o", fixed.resolve("model.arpa").toString());
        if (n.exitCode() != 0) throw new IllegalStateException("cannot train the template ARPA model: " + n.err());
        Files.writeString(fixed.resolve("garbled.arpa"), "\\data\\\nngram 1=x\n");
    }

    @AfterContainer
    static void deleteFixedInputs() throws IOException {
        deleteTree(fixed);
    }

    // ---------------------------------------------------------------- train

    private static final Arbitrary<String> CHECKPOINTS_TO_READ = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just(TRAINED)),
            net.jqwik.api.Tuple.of(4, Arbitraries.of(GARBLED_CONFIG, TRUNCATED_WEIGHTS, NO_VOCABULARY, NO_TRAINING_STATE,
                    TRY + "/no-such-checkpoint", PLAIN_FILE, EMPTY_DIR)));

    private static List<Option> trainOptions() {
        return List.of(
                option("--hidden", countOrHuge(4, 16)),
                option("--layers", countOrHuge(1, 2)),
                option("--embed", countOrHuge(0, 8)),
                option("--epochs", countOrHuge(1, 2)),
                option("--batch", countOrHuge(1, 8)),
                option("--steps", countOrHuge(1, 16)),
                option("--max-tokens", countOrHuge(0, 2000)),
                option("--min-freq", countOrHuge(0, 3)),
                option("--patience", count(0, 3)),
                option("--shards", count(1, 3)),
                option("--threads", count(1, 2)),
                option("--probe-steps", countOrHuge(2, 20)),
                option("--save-every", count(0, 3)),
                option("--sample-length", count(0, 5)),
                option("--lr", real("0.1", "0.5", "1", "2")),
                option("--clip", real("0", "0.5", "1", "5")),
                option("--dropout", real("0", "0.1", "0.5", "1", "1.5")),
                option("--weight-decay", real("0", "0.0001", "0.1")),
                option("--warmup", real("0", "1", "2.5")),
                option("--save-minutes", real("0", "0.01", "10")),
                option("--seed", seed()),
                option("--time-budget", word("0.5s", "1s", "0.01s", "0", "-1s", "soon", "NaN", "1e400s", "Infinity", "", "s", "2x")),
                option("--model", word("scratch", "rnn", "rnn_relu", "gru", "lstm", "LSTM", "", "transformer")),
                option("--tokens", word("char", "word", "bytes", "")),
                option("--normalize", word("d2l", "raw", "nfc", "")),
                option("--sampling", word("sequential", "random", "shuffled", "")),
                option("--optimizer", word("sgd", "momentum", "momentum:0.9", "momentum:abc", "momentum:2", "adam", "adamw",
                        "lion", "")),
                option("--schedule", word("constant", "step:1:0.5", "step:0:0.5", "step:-1:2", "step:1", "cosine", "cosine:0.1",
                        "cosine:x", "linear")),
                option("--split", word("0.9,0.1", "0.5,0.5", "1,0", "0.9,0.1,0", "0,1", "1e-9,0.5", "0.001,0.5", "0.9,0.2",
                        "NaN,0.1", "", "a,b", "0.5,0.2,0.1,0.1")),
                option("--bptt", word("perbatch", "truncated:4", "truncated:4:8", "truncated:0", "truncated:-1", "randomized:0.5",
                        "randomized:2", "randomized:0", "segments:2:6", "segments:6:2", "segments:0:0", "full",
                        "full:checkpoint=4", "full:checkpoint=0", "adaptive:0.01", "adaptive:NaN", "adaptive:0.01:2:8", "bogus")),
                option("--max-memory", word("4g", "512m", "1k", "0", "-1g", "1x", "99999999999g", "")),
                option("--init", word("auto", "d2l", "pytorch", "xavier")),
                option("--checkpoint", Arbitraries.of(TRY + "/ck", TRAINED, PLAIN_FILE, PLAIN_FILE + "/ck", TRY + "/missing/deep/ck")),
                option("--resume", CHECKPOINTS_TO_READ),
                option("--log", outputFile("log.jsonl")),
                option("--plot", outputFile("curve.png")),
                option("--prefix", word("the", "", "zzz", "\u00e9\u4e2d", " ", "\n", "-")),
                option("--corpus", word(MARKOV, "wikitext", TRY + "/no-such-corpus.txt")),
                option("--backend", word("java", "auto", "openblas", "onednn", "cuda")),
                CliInputs.Option.flag("--bidirectional"),
                CliInputs.Option.flag("--diagnostics"));
    }

    @Provide
    Arbitrary<List<String>> trainRuns() {
        Arbitrary<List<String>> base = textFile().map(file -> List.of("train", file, "--normalize", "raw", "--hidden", "8",
                "--batch", "4", "--steps", "8", "--epochs", "1", "--backend", "java", "--sample-length", "3",
                "--checkpoint", TRY + "/ck", "--time-budget", "0.5s"));
        return command(base, trainOptions());
    }

    @Property(tries = 400, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void trainEndsCleanly(@ForAll("trainRuns") List<String> args) {
        check(args, false);
    }

    @Provide
    Arbitrary<List<String>> resumeRuns() {
        return command(fixed("train", "--resume", TRAINED, "--epochs", "2", "--backend", "java", "--sample-length", "2",
                "--time-budget", "0.5s"), trainOptions());
    }

    @Property(tries = 200, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void resumeEndsCleanlyAndAFailedOneLeavesTheCheckpointAsItWas(@ForAll("resumeRuns") List<String> args) {
        check(args, false);
    }

    // ---------------------------------------------------------------- generate, eval

    private static List<Option> modelReadingOptions() {
        return List.of(
                option("--checkpoint", CHECKPOINTS_TO_READ),
                option("--backend", word("java", "auto", "cuda", "")),
                option("--threads", count(1, 2)));
    }

    @Provide
    Arbitrary<List<String>> generateRuns() {
        List<Option> options = new ArrayList<>(modelReadingOptions());
        options.addAll(List.of(
                option("--prefix", word("e", "the", "", "zzz", "\u00e9\u4e2d", " ", "\n", "-", "\u0000")),
                option("-n", count(0, 20)),
                option("--tokens", count(0, 20)),
                option("--temperature", real("0.5", "1", "2", "1e-9")),
                option("--top-k", countOrHuge(0, 5)),
                option("--top-p", real("0.5", "0.9", "1", "1.5")),
                option("--seed", seed())));
        return command(fixed("generate", "--checkpoint", TRAINED, "-n", "5", "--backend", "java"), options);
    }

    @Property(tries = 250, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void generateEndsCleanlyAndNeverChangesTheCheckpoint(@ForAll("generateRuns") List<String> args) {
        check(args, true);
    }

    @Provide
    Arbitrary<List<String>> evalRuns() {
        List<Option> options = new ArrayList<>(modelReadingOptions());
        options.addAll(List.of(option("--batch", countOrHuge(1, 8)), option("--steps", countOrHuge(1, 64))));
        return command(textFile().map(file -> List.of("eval", "--checkpoint", TRAINED, file, "--backend", "java")), options);
    }

    @Property(tries = 250, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void evalEndsCleanlyAndNeverChangesTheCheckpoint(@ForAll("evalRuns") List<String> args) {
        check(args, true);
    }

    // ---------------------------------------------------------------- stats, synth, ngram

    @Provide
    Arbitrary<List<String>> statsRuns() {
        List<Option> options = List.of(
                option("--tokens", word("char", "word", "bytes", "")),
                option("--normalize", word("d2l", "raw", "nfc", "")),
                option("--n", word("1", "1,2,3", "9", "0", "10", "1,,2", "a", "", "-1", "2147483648")),
                option("--top", countOrHuge(0, 20)),
                option("--zipf-ranks", word("10:1000", "1:5", "0:5", "5:5", "5:1", "a:b", "1:2147483648", "", ":", "1:2:3")),
                option("--plot", outputFile("zipf.png")),
                option("--corpus", word(MARKOV, "wikitext", TRY + "/no-such-corpus.txt")));
        return command(textFile().map(file -> List.of("stats", file)), options);
    }

    @Property(tries = 300, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void statsEndsCleanly(@ForAll("statsRuns") List<String> args) {
        check(args, false);
    }

    @Provide
    Arbitrary<List<String>> synthRuns() {
        List<Option> common = List.of(
                option("--length", count(1, 5000)),
                option("--seed", seed()),
                option("-o", outputFile("synth.txt")));
        List<Option> markov = new ArrayList<>(common);
        markov.addAll(List.of(option("--order", count(0, 4)), option("--alphabet", count(2, 63)),
                option("--concentration", real("0.1", "0.5", "2"))));
        List<Option> recall = new ArrayList<>(common);
        recall.addAll(List.of(option("--gap", count(0, 60)), option("--keys", count(1, 27)), option("--fillers", count(1, 27))));
        return Arbitraries.oneOf(
                command(fixed("synth", "markov", "--length", "500", "-o", TRY + "/synth.txt"), markov),
                command(fixed("synth", "recall", "--length", "500", "-o", TRY + "/synth.txt"), recall));
    }

    @Property(tries = 300, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void synthEndsCleanly(@ForAll("synthRuns") List<String> args) {
        check(args, false);
    }

    @Provide
    Arbitrary<List<String>> ngramRuns() {
        Option tokens = option("--tokens", word("char", "word", "bytes", ""));
        Option normalize = option("--normalize", word("d2l", "raw", "nfc", ""));
        Option split = option("--split", word("0.9,0.1", "0.5,0.5", "1,0", "0,1", "1e-9,0.5", "0.9,0.2", "", "a,b"));
        Option model = option("--model", word(ARPA, ARPA, FIXED + "/garbled.arpa", MARKOV, TRY + "/no-such.arpa", EMPTY_DIR,
                TextFile.EMPTY.path(), TextFile.UTF16_BOM.path()));
        List<Option> train = List.of(tokens, normalize, split,
                option("--order", count(1, 5)),
                option("--smoothing", word("kn", "addk", "KN", " kn ", "witten-bell", "")),
                option("--k", real("0.5", "1", "0.01")),
                option("--min-freq", countOrHuge(1, 3)),
                option("-o", outputFile("model.arpa")),
                option("--corpus", word(MARKOV, "wikitext", TRY + "/no-such-corpus.txt")));
        List<Option> eval = List.of(tokens, normalize, split, model,
                option("--corpus", word(MARKOV, "wikitext", TRY + "/no-such-corpus.txt")));
        List<Option> generate = List.of(tokens, normalize, model,
                option("--prefix", word("", "a b", "zzz", "\u00e9\u4e2d", "\n")),
                option("-n", count(0, 50)),
                option("--seed", seed()));
        return Arbitraries.oneOf(
                command(textFile().map(file -> List.of("ngram", "train", file, "--order", "3")), train),
                command(textFile().map(file -> List.of("ngram", "eval", "--model", ARPA, file)), eval),
                command(fixed("ngram", "generate", "--model", ARPA, "-n", "10"), generate));
    }

    @Property(tries = 300, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void ngramEndsCleanly(@ForAll("ngramRuns") List<String> args) {
        check(args, false);
    }

    // ---------------------------------------------------------------- forecast, bptt compare, diagnose

    @Provide
    Arbitrary<List<String>> forecastRuns() {
        List<Option> options = List.of(
                option("--column", word("x", "t", "1", "2", "3", "0", "y", "")),
                option("--model", word("mlp", "rnn", "gru", "lstm", "MLP", "arima", "")),
                option("--tau", countOrHuge(1, 8)),
                option("--train", countOrHuge(1, 250)),
                option("--horizons", word("1", "1,4", "0", "-1", "", "a", "1,,2", "2147483647", "300")),
                option("--epochs", count(1, 3)),
                option("--hidden", count(1, 16)),
                option("--window", countOrHuge(1, 32)),
                option("--plot", outputFile("forecast.png")),
                option("--seed", seed()),
                CliInputs.Option.flag("--sine"));
        Arbitrary<String> series = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(TextFile.NUMBERS.path(), TextFile.CSV.path())),
                net.jqwik.api.Tuple.of(2, textFile()));
        Arbitrary<List<String>> base = Arbitraries.oneOf(
                series.map(file -> List.of("forecast", file, "--train", "100", "--epochs", "1")),
                fixed("forecast", "--sine", "--epochs", "1"));
        return command(base, options);
    }

    @Property(tries = 250, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void forecastEndsCleanly(@ForAll("forecastRuns") List<String> args) {
        check(args, false);
    }

    @Provide
    Arbitrary<List<String>> bpttCompareRuns() {
        List<Option> options = List.of(
                option("--strategies", word("perbatch", "perbatch;truncated:3", "randomized:0.8;segments:2:6", "full:checkpoint=20",
                        "adaptive:0.05:2:10", "truncated:0", "bogus", "", ";")),
                option("--model", word("rnn", "gru", "lstm", "scratch", "transformer")),
                option("--hidden", count(2, 8)),
                option("--batch", count(1, 4)),
                option("--steps", count(2, 10)),
                option("--epochs", count(1, 1)),
                option("--lr", real("0.5", "1")),
                option("--optimizer", word("sgd", "adam", "lion")),
                option("--clip", real("0", "1")),
                option("--probe-steps", countOrHuge(2, 30)),
                option("--samples", count(1, 3)),
                option("--max-memory", word("4g", "1k", "0", "-1g", "1x")),
                option("--seed", seed()),
                option("--out", Arbitraries.of(TRY + "/cmp", PLAIN_FILE + "/cmp", PLAIN_FILE)),
                option("--tokens", word("char", "word", "bytes")));
        return command(Arbitraries.of(MARKOV, MARKOV, TextFile.TINY.path(), TextFile.ONE_CHAR.path(), TextFile.UTF16_BOM.path())
                .map(file -> List.of("bptt", "compare", file, "--normalize", "raw", "--hidden", "4", "--batch", "2", "--steps", "6",
                        "--epochs", "1", "--probe-steps", "12", "--samples", "2", "--strategies", "perbatch;truncated:3;full",
                        "--out", TRY + "/cmp", "--backend", "java")), options);
    }

    @Property(tries = 120, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void bpttCompareEndsCleanly(@ForAll("bpttCompareRuns") List<String> args) {
        check(args, false);
    }

    @Provide
    Arbitrary<List<String>> diagnoseRuns() {
        List<Option> options = List.of(
                option("--radii", word("0.5,1.0,1.5", "1", "0", "-1", "NaN", "a", "", "1e308", ",")),
                option("--hidden", countOrHuge(2, 16)),
                option("--distance", countOrHuge(1, 30)),
                option("--plot", outputFile("spectral.png")),
                option("--seed", seed()),
                option("--backend", word("java", "cuda")));
        return command(fixed("diagnose", "spectral", "--hidden", "8", "--distance", "20", "--plot", TRY + "/spectral.png",
                "--backend", "java"), options);
    }

    @Property(tries = 200, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void diagnoseEndsCleanly(@ForAll("diagnoseRuns") List<String> args) {
        check(args, false);
    }

    @Provide
    Arbitrary<List<String>> topLevelRuns() {
        return Arbitraries.of(List.of(), List.of("--help"), List.of("--version"), List.of("help"), List.of("help", "train"),
                List.of("help", "nosuch"), List.of("frobnicate"), List.of("-x"), List.of("bptt"), List.of("diagnose"),
                List.of("synth"), List.of("ngram"), List.of("TRAIN"), List.of(""), List.of("--"), List.of("train", "--help"));
    }

    @Property(tries = 160, seed = SEED, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void theTopLevelEndsCleanly(@ForAll("topLevelRuns") List<String> args) {
        check(args, false);
    }

    // ---------------------------------------------------------------- the property itself

    /**
     * Runs {@code template} in a fresh directory and checks how it ended; with {@code readOnly}, checkpoints
     * must be unchanged even when the run succeeds.
     */
    private static void check(List<String> template, boolean readOnly) {
        try {
            checkStrict(template, readOnly);
        } catch (AssertionError e) {
            if (System.getProperty("cli.explore") == null) throw e;
            try {
                Files.writeString(Path.of("/tmp/explore.log"), "=== " + e.getMessage() + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
        }
    }

    private static void checkStrict(List<String> template, boolean readOnly) {
        Path tryDir = fixed.resolve("try-" + (++tries));
        try {
            Files.createDirectories(tryDir);
            Map<Path, Map<String, String>> checkpoints = new TreeMap<>();
            List<String> args = new ArrayList<>();
            for (String a : template) args.add(resolve(a, tryDir, checkpoints));
            for (Map.Entry<Path, Map<String, String>> c : checkpoints.entrySet()) c.setValue(hashes(c.getKey()));

            CliRun r = run(args);
            String line = commandLine(args);
            if (System.getProperty("cli.explore") != null) {
                Files.writeString(Path.of("/tmp/explore-all.log"), r.exitCode() + "\t" + line.replace(fixed.toString(), "F") + "\t"
                        + r.err().lines().filter(l -> !l.contains("GEMM")).findFirst().orElse("") + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
            String what = line + "\n--- exit " + r.exitCode() + ", stderr:\n" + r.err() + "--- stdout (head):\n"
                    + r.out().lines().limit(8).collect(Collectors.joining("\n"));
            for (String sign : CRASH_SIGNS) {
                if ((r.out() + r.err()).contains(sign)) throw new AssertionError("a crash (" + sign.strip() + "): " + what);
            }
            if (r.exitCode() != 0 && r.exitCode() != 2) throw new AssertionError("exit " + r.exitCode() + ": " + what);
            if (r.exitCode() == 2) {
                List<String> errors = r.err().lines().filter(l -> !INFO_OR_WARNING.matcher(l).matches()).toList();
                if (errors.size() != 1 || !errors.getFirst().startsWith("rnnlab: ")) {
                    throw new AssertionError("not one 'rnnlab: ' error line: " + what);
                }
                if (CLASS_NAME.matcher(errors.getFirst()).find()) throw new AssertionError("a class name in the error: " + what);
            }
            for (Map.Entry<Path, Map<String, String>> c : checkpoints.entrySet()) {
                boolean mayChange = r.exitCode() == 0 && !readOnly;
                if (!mayChange && !c.getValue().equals(hashes(c.getKey()))) {
                    throw new AssertionError("checkpoint " + c.getKey().getFileName() + " changed by a run that "
                            + (readOnly ? "only reads it" : "failed") + ": " + what);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                deleteTree(tryDir);
            } catch (IOException e) {
                // a later try uses another directory; the container's cleanup tries again
            }
        }
    }

    /** The placeholders of {@link CliInputs} made real; a checkpoint placeholder becomes a fresh copy of its template. */
    private static String resolve(String arg, Path tryDir, Map<Path, Map<String, String>> checkpoints) throws IOException {
        String s = arg.replace(CliInputs.FIXED, fixed.toString()).replace(CliInputs.TRY, tryDir.toString());
        Matcher m = CHECKPOINT_PLACEHOLDER.matcher(s);
        if (!m.find()) return s;
        Path copy = tryDir.resolve(m.group(1));
        if (!Files.exists(copy)) {
            copyTree(fixed.resolve("templates").resolve(m.group(1)), copy);
            checkpoints.put(copy, Map.of());
        }
        return s.substring(0, m.start()) + copy + s.substring(m.end());
    }

    /** The run, with a bound on its time: a run that hangs fails the property rather than the build. */
    private static CliRun run(List<String> args) {
        FutureTask<CliRun> task = new FutureTask<>(() -> CliRun.of(args.toArray(String[]::new)));
        Thread thread = new Thread(task, "cli-property-run");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(RUN_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            thread.interrupt();
            throw new AssertionError("still running after " + RUN_SECONDS + " s: " + commandLine(args));
        } catch (ExecutionException e) {
            throw new AssertionError("escaped the CLI: " + e.getCause() + ": " + commandLine(args), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> h = new TreeMap<>();
        if (!Files.isDirectory(dir)) return h;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                h.put(dir.relativize(f).toString(), HexFormat.of().formatHex(sha256().digest(Files.readAllBytes(f))));
            }
        }
        return h;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As a shell would take it: words with spaces, quotes or nothing in them quoted. */
    static String commandLine(List<String> args) {
        StringBuilder b = new StringBuilder("rnnlab");
        for (String a : args) {
            b.append(' ');
            b.append(a.matches("[A-Za-z0-9._/:,=@%+-]+") ? a : "'" + a.replace("'", "'\\''").replace("\n", "\\n") + "'");
        }
        return b.toString();
    }

    private static void write(TextFile file, byte[] bytes) throws IOException {
        Files.write(fixed.resolve(file.name), bytes);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path p : tree.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
