package dev.rnnlab.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.SyntheticCorpus;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NGramModelTest {
    @TempDir
    Path dir;

    /** A small char corpus with spaces and newlines, plus a token (<unk>) that never occurs. */
    static Corpus text() {
        String s = "the time traveller for so it will be convenient to speak of him\n"
                + "was expounding a recondite matter to us his grey eyes shone and twinkled\n";
        return Corpus.fromText("t", s.repeat(3) + "zebra quiz\n", Normalizer.RAW, Tokenizer.CHAR, 0, List.of());
    }

    static Stream<Arguments> models() {
        Corpus c = text();
        List<Arguments> out = new ArrayList<>();
        for (int order = 1; order <= 5; order++) {
            out.add(Arguments.of(KneserNeyModel.train(c.indices(), c.vocabulary(), order)));
            out.add(Arguments.of(AdditiveSmoothingModel.train(c.indices(), c.vocabulary(), order, 1)));
            out.add(Arguments.of(AdditiveSmoothingModel.train(c.indices(), c.vocabulary(), order, 0.01)));
        }
        return out.stream();
    }

    /** Seen histories, histories seen only at the end of the text, unseen ones, and short ones. */
    static List<int[]> histories(Vocabulary v) {
        List<int[]> out = new ArrayList<>();
        for (String h : List.of("", "t", "th", "the", "the ", " tim", "e\nwa", "quiz\n", "qqqq", "zq", "iz\n",
                "\n", "tw", "z", "xyz ")) {
            int[] t = new int[h.length()];
            for (int i = 0; i < t.length; i++) t[i] = v.indexOf(String.valueOf(h.charAt(i)));
            out.add(t);
        }
        out.add(new int[] {0, 0, 0, 0});  // <unk> history
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void probabilitiesOverTheVocabularySumToOneForEveryHistory(NGramModel model) {
        for (int[] h : histories(model.vocabulary())) {
            double sum = 0;
            for (double p : model.distribution(h, 0, h.length)) {
                assertThat(p).isPositive();
                sum += p;
            }
            assertThat(sum).as("history %s", java.util.Arrays.toString(h)).isCloseTo(1.0, within(1e-9));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void theBackoffFormGivesTheSameProbabilities(NGramModel model) {
        BackoffModel backoff = model.toBackoff();
        for (int[] h : histories(model.vocabulary())) {
            for (int w = 0; w < model.vocabulary().size(); w++) {
                double p = model.probability(h, w);
                assertThat(backoff.probability(h, w)).isCloseTo(p, within(1e-12 * Math.max(1, p) + 1e-14 + 1e-11 * p));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void anArpaFileReadBackGivesTheSameProbabilitiesForEveryNGramAndUnseenHistories(NGramModel model) {
        Path arpa = dir.resolve("m.arpa");
        new ArpaFile(model.toBackoff(), Tokenizer.CHAR, Normalizer.RAW, java.util.Map.of("corpus", "t")).write(arpa);
        ArpaFile read = ArpaFile.read(arpa);
        assertThat(read.tokenizer()).isEqualTo(Tokenizer.CHAR);
        assertThat(read.normalizer()).isEqualTo(Normalizer.RAW);
        assertThat(read.model().vocabulary().tokens()).isEqualTo(model.vocabulary().tokens());
        BackoffModel original = model.toBackoff(), back = read.model();
        for (int m = 1; m <= model.order(); m++) {
            assertThat(back.count(m)).isEqualTo(original.count(m));
            original.forEach(m, (tokens, logProb, logBackoff) -> {
                double p = model.probability(tokens, 0, tokens.length - 1, tokens[tokens.length - 1]);
                double q = back.probability(tokens, 0, tokens.length - 1, tokens[tokens.length - 1]);
                assertThat(Math.abs(q - p) / p).isLessThan(1e-6);
            });
        }
        for (int[] h : histories(model.vocabulary())) {
            for (int w = 0; w < model.vocabulary().size(); w++) {
                double p = model.probability(h, w), q = back.probability(h, w);
                assertThat(Math.abs(q - p) / p).isLessThan(1e-6);
            }
        }
    }

    @Test
    void kneserNeyBeatsLaplaceOnHeldOutWordsAndItsDiscountsComeFromCountOfCounts() {
        SyntheticCorpus s = SyntheticCorpus.markov(3, 6, 0.2, 200_000, 0);
        Corpus c = Corpus.fromText("m", s.text(), Normalizer.RAW, Tokenizer.WORD, 0, List.of());
        int cut = (int) (c.length() * 9 / 10);
        int[] train = java.util.Arrays.copyOf(c.indices(), cut);
        int[] held = java.util.Arrays.copyOfRange(c.indices(), cut, (int) c.length());
        KneserNeyModel kn = KneserNeyModel.train(train, c.vocabulary(), 3);
        AdditiveSmoothingModel laplace = AdditiveSmoothingModel.train(train, c.vocabulary(), 3, 1);
        double knPpl = kn.crossEntropy(held).perplexity(), addPpl = laplace.crossEntropy(held).perplexity();
        assertThat(knPpl).isLessThan(addPpl / 2);
        for (int m = 1; m <= 3; m++) {
            double[] d = kn.discounts(m);
            assertThat(d[0]).isBetween(0.0, 1.0);
            assertThat(d[1]).isBetween(0.0, 2.0);
            assertThat(d[2]).isBetween(0.0, 3.0);
        }
        assertThat(kn.describe()).contains("interpolated modified Kneser-Ney").doesNotContain("too few");
    }

    @Test
    void crossEntropyOfAUniformModelIsLogV() {
        Corpus c = text();
        // a unigram Laplace model on one token of each kind is uniform over the tokens seen... plus <unk>
        NGramModel model = AdditiveSmoothingModel.train(new int[] {1}, c.vocabulary(), 1, 1e9);
        CrossEntropy ce = model.crossEntropy(c.indices());
        assertThat(ce.perplexity()).isCloseTo(c.vocabulary().size(), within(1e-3));
        assertThat(ce.bitsPerToken()).isCloseTo(Math.log(c.vocabulary().size()) / Math.log(2), within(1e-6));
    }

    @Test
    void samplingIsSeededAndFollowsTheModel() {
        Corpus c = text();
        NGramModel model = KneserNeyModel.train(c.indices(), c.vocabulary(), 4);
        int[] prefix = c.vocabulary().encode(List.of("t", "h"));
        int[] a = model.sample(prefix, 200, new Rng(1)), b = model.sample(prefix, 200, new Rng(1));
        assertThat(a).isEqualTo(b).hasSize(200);
        assertThat(model.sample(prefix, 200, new Rng(2))).isNotEqualTo(a);
        // a 4-gram model of a text repeated three times mostly reproduces it
        String sampled = String.join("", c.vocabulary().decode(a));
        assertThat(sampled).containsAnyOf("the ", "time", "to ");
    }

    @Test
    void tokenEscapesRoundTripAndKeepFieldsFreeOfWhitespace() {
        for (String t : List.of(" ", "\n", "\t", "\r", "\\", "a\\s", "\u00A0", "\u0001", "<unk>", "x y", "\\u0041")) {
            String e = ArpaFile.escape(t);
            assertThat(e).doesNotContainPattern("\\s");
            assertThat(ArpaFile.unescape(e)).isEqualTo(t);
        }
        assertThat(ArpaFile.escape(" ")).isEqualTo("\\s");
        assertThat(ArpaFile.unescape("\\q")).isNull();
        assertThat(ArpaFile.unescape("\\u00")).isNull();
    }

    @Test
    void aForeignArpaFileWithoutSidecarIsReadVerbatim() throws Exception {
        Path arpa = Files.writeString(dir.resolve("k.arpa"), """

                \\data\\
                ngram 1=4
                ngram 2=2

                \\1-grams:
                -1.0\t<unk>\t0
                -0.5\t<s>\t-0.3
                -0.6\ta\\b\t-0.2
                -0.7\tc

                \\2-grams:
                -0.1\t<s> a\\b
                -0.2\ta\\b c

                \\end\\
                """);
        ArpaFile read = ArpaFile.read(arpa);
        assertThat(read.tokenizer()).isNull();
        BackoffModel m = read.model();
        Vocabulary v = m.vocabulary();
        assertThat(v.tokens()).containsExactly("<unk>", "<s>", "a\\b", "c");
        assertThat(m.log10Probability(new int[] {1}, 0, 1, 2)).isCloseTo(-0.1, within(1e-12));
        assertThat(m.log10Probability(new int[] {2}, 0, 1, 1)).isCloseTo(-0.2 - 0.5, within(1e-12));
        assertThat(m.log10Probability(new int[] {3}, 0, 1, 3)).isCloseTo(-0.7, within(1e-12));
    }

    @Test
    void garbledArpaFilesAreOneLineErrorsWithTheLineNumber() throws Exception {
        String good = "\\data\\\nngram 1=2\nngram 2=1\n\n\\1-grams:\n-0.3\t<unk>\t0\n-0.2\ta\t0\n\n\\2-grams:\n-0.1\ta a\n\n\\end\\\n";
        assertThat(ArpaFile.read(Files.writeString(dir.resolve("ok.arpa"), good)).model().order()).isEqualTo(2);
        Object[][] cases = {
            {"", "the file is empty"},
            {"hello\n", "line 1: expected \\data\\ (not an ARPA file?), got 'hello'"},
            {good.replace("ngram 2=1", "ngram 3=1"), "line 3: ngram orders must run 1, 2, ..., got 3"},
            {good.replace("-0.2\ta\t0", "-0.2\ta b c d"), "line 7: a 1-gram line has log10 probability, 1 token and a backoff weight; got 5 fields"},
            {good.replace("-0.1\ta a", "x\ta a"), "line 10: 'x' is not a number"},
            {good.replace("-0.1\ta a", "-0.1\ta q"), "line 10: token 'q' is not among the unigrams"},
            {good.replace("\\end\\\n", ""), "expected \\end\\ after 1 2-grams, got the end of the file (truncated?)"},
            {good.replace("ngram 1=2", "ngram 1=3"), "line 8: fewer 1-grams than 'ngram 1=' declares"},
            {good.replace("<unk>", "b"), "no <unk> unigram"},
        };
        int i = 0;
        for (Object[] c : cases) {
            Path f = Files.writeString(dir.resolve("bad" + i++ + ".arpa"), (String) c[0]);
            assertThatThrownBy(() -> ArpaFile.read(f)).isInstanceOf(RnnlabException.class)
                    .hasMessageStartingWith("cannot read ARPA model '" + f + "': ")
                    .hasMessageContaining((String) c[1]);
        }
        assertThatThrownBy(() -> ArpaFile.read(dir.resolve("missing.arpa")))
                .hasMessage("cannot read ARPA model '" + dir.resolve("missing.arpa") + "': no such file");
    }

    @Test
    void ordersOutOfRangeAndBadKAreErrors() {
        Corpus c = text();
        assertThatThrownBy(() -> KneserNeyModel.train(c.indices(), c.vocabulary(), 0))
                .hasMessage("n-gram order must be between 1 and 9, got 0");
        assertThatThrownBy(() -> AdditiveSmoothingModel.train(c.indices(), c.vocabulary(), 2, 0))
                .hasMessageStartingWith("add-k smoothing needs k > 0");
        Vocabulary big = Vocabulary.ofTokens(java.util.stream.IntStream.range(0, 100_000)
                .mapToObj(i -> i == 0 ? "<unk>" : "w" + i).toList());
        assertThatThrownBy(() -> KneserNeyModel.train(new int[] {1, 2}, big, 4))
                .hasMessageContaining("a 4-gram model over 100,000 tokens");
    }
}
