package dev.rnnlab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.lm.ArpaFile;
import dev.rnnlab.lm.KneserNeyModel;
import dev.rnnlab.lm.MGramCounts;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.stats.OrderStatistics;
import dev.rnnlab.stats.StatsReport;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import dev.rnnlab.train.EpochMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/API.md's Spark examples, run; and the document shows exactly this code. */
class SparkApiExamplesTest {
    @TempDir
    Path work;

    @Test
    void countOnSparkAndWriteAModel() throws IOException {
        String input = RealCorpora.timemachine().toString();
        Path arpa = work.resolve("book.arpa");
        StringWriter printed = new StringWriter();
        PrintWriter out = new PrintWriter(printed);
        try (JavaSparkContext spark = LocalSpark.start("api example")) {
            // example: spark
            SparkCorpus corpus = SparkCorpus.of(List.of(input),          // files, directories, globs; file: or hdfs:
                    Normalizer.D2L, Tokenizer.WORD, SparkCorpus.DEFAULT_CHUNK_BYTES, spark.hadoopConfiguration());
            SparkStatistics stats = new SparkStatistics(spark, corpus);
            SparkStatistics.TokenCounts tokens = stats.tokenCounts();
            Vocabulary vocabulary = Vocabulary.fromCounts(tokens.inFirstOccurrenceOrder(), 0, List.of());
            List<OrderStatistics> orders = stats.statistics(vocabulary, List.of(1, 2), 10);
            StatsReport.print(out, orders, 10, 10, 1000);                 // as rnnlab stats prints it
            MGramCounts counts = stats.modelCounts(vocabulary, 2, tokens.tokens());
            KneserNeyModel model = KneserNeyModel.fromCounts(counts, vocabulary);
            new ArpaFile(model.toBackoff(), Tokenizer.WORD, Normalizer.D2L, Map.of()).write(arpa);
            // end
        }
        out.flush();
        assertThat(printed.toString()).contains("(of, the)");
        assertThat(arpa).isNotEmptyFile();
    }

    @Test
    void trainOnSpark() {
        String book = RealCorpora.timemachine().toString();
        Path dir = work.resolve("run");
        double validation;
        try (JavaSparkContext spark = LocalSpark.start("api example")) {
            // example: sparktrain
            RunSpec spec = RunSpec.builder().corpus(book).model("lstm").hidden(64).batch(16).steps(20)
                    .maxTokens(20_000).split("0.9,0.1").optimizer("adam").lr(0.01).epochs(2).build();
            try (SparkTraining run = SparkTraining.builder(spark, spec)
                    .partitions(2)                  // each a contiguous share of the text, with 8 of the 16 streams
                    .syncEvery(4)                   // K: mini-batches per partition between averagings
                    .checkpointDirectory(dir)       // rnnlab train's checkpoint, with spark.json and rounds.jsonl
                    .build()) {
                List<EpochMetrics> history = run.run();
                validation = history.getLast().validationLoss();
            }
            // end
        }
        assertThat(validation).isLessThan(Math.log(28));
        assertThat(dir.resolve("model.safetensors")).isNotEmptyFile();
    }

    @Test
    void theDocumentShowsTheExamples() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/rnnlab/spark/SparkApiExamplesTest.java"));
        String markdown = Files.readString(Path.of("..", "docs", "API.md"));
        Matcher m = Pattern.compile("(?s)\\n( *)// example: (\\w+)\\n(.*?)\\n *// end").matcher(source);
        int examples = 0;
        while (m.find()) {
            String indent = m.group(1);
            String code = m.group(3).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l.strip())
                    .reduce((a, b) -> a + "\n" + b).orElse("");
            assertThat(markdown).as("example " + m.group(2)).contains(code);
            examples++;
        }
        assertThat(examples).isEqualTo(2);
    }
}
