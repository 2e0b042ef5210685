package dev.rnnlab.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * What {@link CliPropertyTest} feeds the commands: for each option some ordinary values and the ones people
 * get wrong (negative, zero, huge, NaN, garbage, empty), unknown, repeated and value-less options, and input
 * files from empty to UTF-16.
 *
 * <p>Paths are placeholders that the test resolves per try: {@link #FIXED} is the directory of inputs
 * written once, {@link #TRY} a fresh empty directory, and {@code @ck:NAME@} a fresh copy of the checkpoint
 * template NAME, which the test hashes before and after the run. No generated path is relative: a run must
 * never write into the working directory (the source tree).
 */
final class CliInputs {
    static final String FIXED = "@fixed@";
    static final String TRY = "@try@";
    /** A copy of a checkpoint trained for one epoch on {@link #MARKOV}. */
    static final String TRAINED = checkpoint("trained");
    /** Copies of {@link #TRAINED} broken in one way each. */
    static final String GARBLED_CONFIG = checkpoint("garbled-config");
    static final String TRUNCATED_WEIGHTS = checkpoint("truncated-weights");
    static final String NO_VOCABULARY = checkpoint("no-vocabulary");
    static final String NO_TRAINING_STATE = checkpoint("no-training-state");

    /** The corpus the checkpoint was trained on: 3,000 characters of a Markov chain. */
    static final String MARKOV = FIXED + "/markov.txt";
    /** A plain file, to put an output "under" (its path used as a directory). */
    static final String PLAIN_FILE = FIXED + "/plain.txt";
    static final String EMPTY_DIR = FIXED + "/empty-dir";
    static final String ARPA = FIXED + "/model.arpa";

    /** The input files {@link CliPropertyTest} writes once, by name. */
    enum TextFile {
        EMPTY("empty.txt"), BINARY("binary.bin"), INVALID_UTF8("latin1.txt"), UTF16_BOM("utf16-bom.txt"),
        UTF16("utf16.txt"), ONE_CHAR("one.txt"), HUGE_LINE("huge-line.txt"), WHITESPACE("whitespace.txt"),
        TINY("tiny.txt"), NUMBERS("numbers.txt"), CSV("series.csv");

        final String name;

        TextFile(String name) {
            this.name = name;
        }

        String path() {
            return FIXED + "/" + name;
        }
    }

    private CliInputs() {}

    static String checkpoint(String template) {
        return "@ck:" + template + "@";
    }

    /** Mostly the Markov corpus, so that runs get past reading; sometimes any other file, a directory or nothing. */
    static Arbitrary<String> textFile() {
        List<String> others = new ArrayList<>(Arrays.stream(TextFile.values()).map(TextFile::path).toList());
        others.addAll(List.of(EMPTY_DIR, TRY + "/no-such-file.txt", PLAIN_FILE, ARPA));
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(MARKOV)), Tuple.of(4, Arbitraries.of(others)));
    }

    /** An output file: fresh, in a missing directory, under a plain file, a directory, or a bad extension. */
    static Arbitrary<String> outputFile(String name) {
        String stem = name.replaceFirst("\\.[a-z]+$", "");
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(TRY + "/" + name)), Tuple.of(3, Arbitraries.of(
                TRY + "/missing/" + name, PLAIN_FILE + "/" + name, EMPTY_DIR, TRY + "/" + stem + ".gif", TRY + "/" + stem)));
    }

    /** An option that takes a value, or a flag ({@code values} null). */
    record Option(String name, Arbitrary<String> values) {
        static Option flag(String name) {
            return new Option(name, null);
        }
    }

    static Option option(String name, Arbitrary<String> values) {
        return new Option(name, values);
    }

    private static final Arbitrary<String> WRONG_INTS = Arbitraries.of("-1", "0", "-2147483648", "2147483648", "99999999999",
            "NaN", "1.5", "abc", "", " 7", "0x10", "1e3");
    /** Valid but huge: each fails fast (an allocation) or is bounded by the time budget where it is used. */
    private static final Arbitrary<String> HUGE_INTS = Arbitraries.of("30000", "1000000", "2147483647");
    private static final Arbitrary<String> WRONG_REALS = Arbitraries.of("-1", "0", "NaN", "Infinity", "-Infinity", "1e308",
            "-1e308", "4.9e-324", "abc", "", "1,5");

    /** An integer in [lo, hi], or a wrong one. For options whose huge values would run for minutes. */
    static Arbitrary<String> count(int lo, int hi) {
        return mix(Arbitraries.integers().between(lo, hi).map(String::valueOf), WRONG_INTS);
    }

    /** {@link #count}, or huge. */
    static Arbitrary<String> countOrHuge(int lo, int hi) {
        return mix(Arbitraries.integers().between(lo, hi).map(String::valueOf), Arbitraries.oneOf(WRONG_INTS, HUGE_INTS));
    }

    /** One of the typical numbers, or a wrong (or infinite, or subnormal) one. */
    static Arbitrary<String> real(String... typical) {
        return mix(Arbitraries.of(typical), WRONG_REALS);
    }

    /** One of the given words; the caller lists the wrong spellings with the right ones. */
    static Arbitrary<String> word(String... choices) {
        return Arbitraries.of(choices);
    }

    static Arbitrary<String> seed() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("-1", "abc", "", "9223372036854775808", "1.5")));
    }

    private static Arbitrary<String> mix(Arbitrary<String> typical, Arbitrary<String> wrong) {
        return Arbitraries.frequencyOf(Tuple.of(3, typical), Tuple.of(2, wrong));
    }

    /**
     * {@code base} followed by up to four changes drawn from {@code options} (a value, the same option twice,
     * an unknown option) and, now and then, a last option without its value.
     */
    static Arbitrary<List<String>> command(Arbitrary<List<String>> base, List<Option> options) {
        List<Option> valued = options.stream().filter(o -> o.values() != null).toList();
        Arbitrary<List<String>> set = Arbitraries.of(options).flatMap(o -> o.values() == null
                ? Arbitraries.just(List.of(o.name())) : o.values().map(v -> List.of(o.name(), v)));
        Arbitrary<List<String>> repeated = Arbitraries.of(valued).flatMap(o -> Combinators.combine(o.values(), o.values())
                .as((a, b) -> List.of(o.name(), a, o.name(), b)));
        Arbitrary<List<String>> unknown = Arbitraries.of("--frobnicate", "-x", "--hidden=", "--", "-", "--HIDDEN", "extra",
                "-Dfoo=bar", "--help", "--version", "--no-such-option=3").map(List::of);
        Arbitrary<List<String>> change = Arbitraries.frequencyOf(Tuple.of(8, set), Tuple.of(2, repeated), Tuple.of(1, unknown));
        Arbitrary<List<String>> last = Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.just(List.<String>of())),
                Tuple.of(1, Arbitraries.of(valued).map(o -> List.of(o.name()))));
        return Combinators.combine(base, change.list().ofMaxSize(4), last).as((b, changes, l) -> {
            List<String> all = new ArrayList<>(b);
            changes.forEach(all::addAll);
            all.addAll(l);
            return List.copyOf(all);
        });
    }

    static Arbitrary<List<String>> fixed(String... args) {
        return Arbitraries.just(List.of(args));
    }
}
