package dev.rnnlab.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.lm.AdditiveSmoothingModel;
import dev.rnnlab.lm.ArpaFile;
import dev.rnnlab.lm.KneserNeyModel;
import dev.rnnlab.lm.NGramModel;
import dev.rnnlab.stats.NGramCounts;
import dev.rnnlab.stats.OrderStatistics;
import dev.rnnlab.stats.StatsReport;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.TokenFile;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Spark (local mode, two threads) the statistics, vocabulary and n-gram models of a corpus are those
 * one machine makes from the same files: the printed report, the vocabulary and the ARPA file are equal,
 * on The Time Machine cut into many small chunks and on a corpus of many files of every awkward kind.
 */
class SparkStatisticsTest {
    static JavaSparkContext spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("SparkStatisticsTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    static String report(List<OrderStatistics> orders) {
        StringWriter w = new StringWriter();
        try (PrintWriter out = new PrintWriter(w)) {
            StatsReport.print(out, orders, 10, 10, 1000);
        }
        return w.toString();
    }

    static List<OrderStatistics> singleMachine(Corpus c, List<Integer> orders) {
        List<OrderStatistics> out = new ArrayList<>();
        for (int n : orders) out.add(OrderStatistics.of(NGramCounts.count(c.tokens(), c.vocabulary().size(), n), 10, c.vocabulary()));
        return out;
    }

    static SparkCorpus onSpark(List<Path> files, Normalizer normalizer, Tokenizer tokenizer, long chunkBytes) {
        return SparkCorpus.of(files.stream().map(Path::toString).toList(), normalizer, tokenizer, chunkBytes, new Configuration());
    }

    @Test
    void theTimeMachineInSmallChunksGivesTheSingleMachineReport_everyTokenizationAndNormalization() {
        Path book = RealCorpora.timemachine();
        for (Tokenizer tokenizer : Tokenizer.values()) {
            for (Normalizer normalizer : Normalizer.values()) {
                Corpus one = Corpus.load(book, normalizer, tokenizer);
                SparkCorpus many = onSpark(List.of(book), normalizer, tokenizer, 7_919);  // a prime: chunks end mid-line
                assertThat(many.chunks()).hasSizeGreaterThan(20);
                SparkStatistics stats = new SparkStatistics(spark, many);
                Vocabulary v = stats.vocabulary(0, List.of());
                String what = tokenizer + "/" + normalizer;
                assertThat(v).as(what).isEqualTo(one.vocabulary());
                List<Integer> orders = List.of(1, 2, 3, 5);
                assertThat(report(stats.statistics(v, orders, 10))).as(what).isEqualTo(report(singleMachine(one, orders)));
            }
        }
    }

    /** Files as people have them: CRLF and lone CR line ends, no final newline, an empty file, a BOM, non-ASCII and astral characters. */
    static List<Path> awkwardFiles(Path into) throws IOException {
        Files.createDirectories(into);
        String[] words = {"the", "time", "traveller", "Machine", "was", "é", "naïve", "\uD83D\uDE00", "it's", "--", "42", "a"};
        String[] ends = {"\n", "\r\n", "\r", "\n\n", " \n"};
        Rng rng = new Rng(7);
        List<Path> files = new ArrayList<>();
        for (int f = 0; f < 30; f++) {
            StringBuilder text = new StringBuilder(f == 3 ? "\uFEFF" : "");
            int lines = f == 5 ? 0 : 1 + rng.nextInt(40);
            for (int l = 0; l < lines; l++) {
                int n = rng.nextInt(12);
                for (int w = 0; w < n; w++) text.append(w == 0 ? "" : rng.nextInt(5) == 0 ? "  " : " ").append(words[rng.nextInt(words.length)]);
                if (l < lines - 1 || f % 4 != 0) text.append(ends[rng.nextInt(ends.length)]);
            }
            Path p = into.resolve(String.format("part-%03d.txt", f));
            Files.writeString(p, text, StandardCharsets.UTF_8);
            files.add(p);
        }
        return files;
    }

    @Test
    void aDirectoryOfManyFilesGivesWhatPrepareAndStatsGiveOnOneMachine_vocabularyRulesIncluded() throws IOException {
        List<Path> files = awkwardFiles(dir.resolve("many"));
        Files.writeString(dir.resolve("many").resolve(".hidden"), "never read");
        for (Tokenizer tokenizer : Tokenizer.values()) {
            for (Normalizer normalizer : Normalizer.values()) {
                String what = tokenizer + "/" + normalizer;
                List<Path> nonEmpty = files.stream().filter(p -> p.toFile().length() > 0).toList();  // prepare refuses an empty file
                Path prepared = dir.resolve("prepared-" + tokenizer + "-" + normalizer);
                TokenFile.prepare(new TokenFile.Request(nonEmpty, normalizer, tokenizer, 2, List.of("<pad>")), prepared, true, null);
                Corpus one = TokenFile.open(prepared);
                SparkCorpus many = SparkCorpus.of(List.of(dir.resolve("many").toString()), normalizer, tokenizer, 97, new Configuration());
                assertThat(many.files()).hasSize(30);  // the hidden file is left out, the empty one is read (as nothing)
                SparkStatistics stats = new SparkStatistics(spark, many);
                Vocabulary v = stats.vocabulary(2, List.of("<pad>"));
                assertThat(v.tokens()).as(what).isEqualTo(one.vocabulary().tokens());
                for (int i = 0; i < v.size(); i++) assertThat(v.count(i)).as(what + " count of " + v.tokenOf(i)).isEqualTo(one.vocabulary().count(i));
                assertThat(v.reserved()).as(what).isEqualTo(one.vocabulary().reserved());
                assertThat(v).as(what).isEqualTo(one.vocabulary());
                List<Integer> orders = List.of(1, 2, 4);
                assertThat(report(stats.statistics(v, orders, 10))).as(what).isEqualTo(report(singleMachine(one, orders)));
                assertThat(many.sha256(new Configuration())).as(what).isEqualTo(one.sha256());
            }
        }
    }

    @Test
    void nGramModelsFromSparkCountsWriteTheSameArpaFile_andItScores() throws IOException {
        Path book = RealCorpora.timemachine();
        for (Tokenizer tokenizer : Tokenizer.values()) {
            Corpus one = Corpus.load(book, Normalizer.D2L, tokenizer);
            int order = tokenizer == Tokenizer.CHAR ? 4 : 2;
            SparkStatistics stats = new SparkStatistics(spark, onSpark(List.of(book), Normalizer.D2L, tokenizer, 10_007));
            Vocabulary v = stats.vocabulary(0, List.of());
            var counts = stats.modelCounts(v, order, one.length());
            List<NGramModel[]> pairs = new ArrayList<>();
            pairs.add(new NGramModel[] {KneserNeyModel.train(one.indices(), one.vocabulary(), order), KneserNeyModel.fromCounts(counts, v)});
            if (tokenizer == Tokenizer.CHAR) {  // add-k lists every token after every history: words make it too large to write
                pairs.add(new NGramModel[] {AdditiveSmoothingModel.train(one.indices(), one.vocabulary(), order, 0.5),
                    AdditiveSmoothingModel.fromCounts(counts, v, 0.5)});
            }
            for (NGramModel[] pair : pairs) {
                Path a = dir.resolve("one-" + tokenizer + ".arpa"), b = dir.resolve("spark-" + tokenizer + ".arpa");
                Map<String, Object> notes = Map.of("corpus", "timemachine.txt");
                new ArpaFile(pair[0].toBackoff(), tokenizer, Normalizer.D2L, notes).write(a);
                new ArpaFile(pair[1].toBackoff(), tokenizer, Normalizer.D2L, notes).write(b);
                assertThat(Files.mismatch(a, b)).as(pair[0].describe()).isEqualTo(-1L);
                ArpaFile read = ArpaFile.read(b);
                assertThat(read.model().vocabulary().tokens()).isEqualTo(one.vocabulary().tokens());
            }
        }
    }

    @Test
    void missingInputsEmptyCorporaAndBinaryFilesAreOneLine() throws IOException {
        Configuration conf = new Configuration();
        assertThatThrownBy(() -> SparkCorpus.of(List.of(dir.resolve("nope").toString()), Normalizer.D2L, Tokenizer.WORD, 1000, conf))
                .isInstanceOf(RnnlabException.class).hasMessageStartingWith("no such input").hasMessageContaining("nope");
        assertThatThrownBy(() -> SparkCorpus.of(List.of(dir.resolve("z*.txt").toString()), Normalizer.D2L, Tokenizer.WORD, 1000, conf))
                .isInstanceOf(RnnlabException.class).hasMessageStartingWith("no file matches");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("a.txt"), "");
        assertThatThrownBy(() -> SparkCorpus.of(List.of(empty.toString()), Normalizer.D2L, Tokenizer.WORD, 1000, conf))
                .isInstanceOf(RnnlabException.class).hasMessageContaining("every file is empty");
        Path digits = dir.resolve("digits.txt");
        Files.writeString(digits, "1234 5678\n");
        SparkCorpus noLetters = SparkCorpus.of(List.of(digits.toString()), Normalizer.D2L, Tokenizer.WORD, 1000, conf);
        assertThatThrownBy(() -> new SparkStatistics(spark, noLetters).tokenCounts())
                .isInstanceOf(RnnlabException.class).hasMessageContaining("no tokens");
        Path binary = dir.resolve("image.png");
        Files.write(binary, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1, 2});
        SparkCorpus bad = SparkCorpus.of(List.of(binary.toString()), Normalizer.RAW, Tokenizer.CHAR, 1000, conf);
        assertThatThrownBy(() -> new SparkStatistics(spark, bad).tokenCounts()).hasMessageContaining("binary file (NUL byte at byte 4)");
    }
}
