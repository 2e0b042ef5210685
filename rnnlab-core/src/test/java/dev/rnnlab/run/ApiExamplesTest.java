package dev.rnnlab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.data.Sampling;
import dev.rnnlab.generate.TokenSampler;
import dev.rnnlab.serve.ModelServer;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.TokenFile;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.Initialization;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.Models;
import dev.rnnlab.nn.Regularization;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Evaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import dev.rnnlab.dashboard.Dashboard;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/API.md's examples, run. Each example is the code between {@code // example: NAME} and
 * {@code // end} below, and the last test checks that the document shows exactly that code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiExamplesTest {
    @TempDir
    static Path work;

    static final List<String> printed = new ArrayList<>();

    static Path book, runs;

    @Test
    @Order(1)
    void trainACharacterModelOnAFile() {
        book = RealCorpora.timemachine();
        runs = work.resolve("runs");
        List<String> printed = new ArrayList<>();
        // example: train
        RunSpec spec = RunSpec.builder()
                .corpus(book)                       // a UTF-8 file, or "timemachine", "tinyshakespeare"
                .maxTokens(20_000)                  // the first 20,000 characters; 0 for all
                .cell(CellType.LSTM).hidden(64)
                .optimizer("adam").lr(0.01).epochs(3)
                .split("0.9,0.1")                   // validation perplexity each epoch
                .build();
        try (TrainingRun run = TrainingRun.builder(spec)
                .checkpointDirectory(runs.resolve("book-lstm"))   // saved atomically; resumable
                .build()) {
            List<EpochMetrics> history = run.run();
            EpochMetrics last = history.getLast();
            printed.add("validation perplexity " + last.validationPerplexity());
            printed.add(TrainedModel.of(run).generate("the time ", 40));
        }
        // end
        assertThat(printed.getLast()).startsWith("the time ").hasSize(49);
        assertThat(Double.parseDouble(printed.getFirst().split(" ")[2])).isBetween(1.5, 20.0);
    }

    @Test
    @Order(2)
    void loadACheckpointAndGenerate() {
        // example: generate
        TrainedModel model = TrainedModel.load(runs.resolve("book-lstm"));
        String greedy = model.generate("the time traveller ", 50);           // D2L's predict_ch8
        String sampled = model.generate("the time traveller ", 50,
                TokenSampler.sampling(0.8, 0, 0.95), 42);                    // temperature, top-k (0: all), top-p; seed
        // end
        assertThat(greedy).startsWith("the time traveller ").hasSize(19 + 50);
        assertThat(sampled).isEqualTo(model.generate("the time traveller ", 50, TokenSampler.sampling(0.8, 0, 0.95), 42));
    }

    @Test
    @Order(3)
    void scoreAText() {
        // example: score
        TrainedModel model = TrainedModel.load(runs.resolve("book-lstm"));
        Evaluator.Result r = model.score("the time traveller smiled round at us then still smiling faintly");
        double perplexity = r.perplexity(), bits = r.bitsPerToken();
        // end
        assertThat(perplexity).isBetween(1.0, 28.0);
        assertThat(bits).isCloseTo(Math.log(perplexity) / Math.log(2), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    @Order(4)
    void exportTheWeights() {
        // example: export
        TrainedModel model = TrainedModel.load(runs.resolve("book-lstm"));
        model.exportSafetensors(runs.resolve("book-lstm.safetensors"));
        // end
        assertThat(runs.resolve("book-lstm.safetensors")).isNotEmptyFile();
    }

    @Test
    @Order(5)
    void resumeARunWithMoreEpochs() {
        // example: resume
        Path dir = runs.resolve("book-lstm");
        Gemm gemm = Gemm.create(Gemm.Backend.AUTO, 1, false);
        Checkpoint.Loaded saved = Checkpoint.read(dir, gemm);
        RunSpec more = RunSpec.of(saved.info()).toBuilder().epochs(5).build();   // the same run, 5 epochs in all
        try (TrainingRun run = TrainingRun.builder(more).gemm(gemm).checkpointDirectory(dir).resumeFrom(saved).build()) {
            run.run();                                                          // epochs 4 and 5
        }
        // end
        assertThat(Checkpoint.read(dir, gemm).progress().epochsDone()).isEqualTo(5);
    }

    @Test
    @Order(6)
    void describeARunAsJson() {
        // example: json
        RunSpec spec = RunSpec.builder().corpus("tinyshakespeare").cell(CellType.GRU).hidden(256).layers(2)
                .dropout(0.2f).embed(64).sampling(Sampling.RANDOM).bptt("truncated:35").epochs(10).build();
        String json = spec.toJsonString();          // what checkpoints store in config.json's "training"
        RunSpec back = RunSpec.fromJson(json);      // equal to spec; a bad field is named: "model.hidden must be >= 1, got 0"
        // end
        assertThat(back).isEqualTo(spec);
    }

    @Test
    @Order(7)
    void buildAModelByHand() {
        // example: model
        Gemm gemm = Gemm.create(Gemm.Backend.AUTO, 1, false);
        ModelSpec shape = RunSpec.builder().cell(CellType.LSTM).hidden(512).init(Initialization.PYTORCH).build().model();
        LanguageModel lstm = Models.initialized(shape.kind(), shape.config(28), shape.init(), 42, gemm);   // 28 tokens
        long parameters = lstm.parameters().size();
        ModelSpec normalised = RunSpec.builder().cell(CellType.LSTM_LN).hidden(512).build().model();   // --model lstm_ln
        LanguageModel lstmLn = Models.initialized(normalised.kind(), normalised.config(28), normalised.init(), 42, gemm);
        // end
        assertThat(parameters).isEqualTo(4L * 512 * (28 + 512) + 2L * 4 * 512 + 512L * 28 + 28);
        // the normalisations' gains (4H for each product, H for c) and the shift of c
        assertThat(lstmLn.parameters().size()).isEqualTo(parameters + 2L * 4 * 512 + 2L * 512);
        assertThat(Models.splitsTimeLoops(normalised.config(28), 32, 2)).isFalse();
    }

    @Test
    @Order(7)
    void useTheCores() {
        // example: cores
        Gemm cores = Gemm.allCores();                   // oneDNN (else OpenBLAS, else Java) on every core
        ModelConfig wide = RunSpec.builder().cell(CellType.LSTM).hidden(512).build().model().config(28);
        ModelConfig narrow = RunSpec.builder().cell(CellType.LSTM).hidden(64).build().model().config(28);
        boolean split = Models.splitsTimeLoops(wide, 32, 2);        // its hidden units split between 2 threads
        int shards = Models.automaticShards(narrow, 32, cores);     // too narrow: the batch is sharded instead
        // end
        assertThat(split).isTrue();
        int threads = cores.team() == null ? 1 : cores.team().size();
        assertThat(shards).isEqualTo(Math.min(threads, 32));
        assertThat(Models.splitsTimeLoops(narrow, 32, 2)).isFalse();
    }

    @Test
    @Order(7)
    void trainInBf16() {
        RunSpec spec = RunSpec.builder().corpus(book).maxTokens(20_000).cell(CellType.LSTM).hidden(64)
                .optimizer("adam").lr(0.01).epochs(2).build();
        // example: bf16
        Gemm bf16 = Gemm.create(Gemm.Backend.AUTO, Gemm.Precision.BF16, 2, false);  // emulated where the CPU has no bf16
        boolean fast = bf16.nativeBf16();          // AVX512-BF16 or AMX: oneDNN's bf16 GEMM
        try (TrainingRun run = TrainingRun.builder(spec).gemm(bf16).checkpointDirectory(runs.resolve("book-bf16")).build()) {
            double loss = run.run().getLast().trainLoss();   // within 1% of the fp32 run's (Bf16RunTest)
        }
        // end
        assertThat(bf16.precision()).isEqualTo(Gemm.Precision.BF16);
        assertThat(fast).isEqualTo(Gemm.create(Gemm.Backend.AUTO, 1, false).nativeBf16());
        assertThat(TrainedModel.load(runs.resolve("book-bf16")).generate("the ", 10)).hasSize(14);
    }

    @Test
    @Order(7)
    void generateWithARequestAndServeIt() throws Exception {
        // example: serve
        TrainedModel model = TrainedModel.load(runs.resolve("book-lstm"));
        GenerationResult r = model.generate(GenerationRequest.builder("the time traveller ")
                .length(80).temperature(0.8).topP(0.95).seed(7)     // the same seed gives the same text
                .stop(List.of("the "))                               // end before the first "the "
                .build(), piece -> { });                             // each piece of text once it is final
        try (ModelServer server = ModelServer.builder(model).replicas(2).queue(16).start()) {
            int port = server.port();  // POST http://127.0.0.1:PORT/v1/generate {"prefix": "...", "length": 50}
        }
        // end
        assertThat(r.text()).doesNotContain("the ");
        assertThat(r.finish()).isIn(GenerationResult.Finish.STOP, GenerationResult.Finish.LENGTH);
    }

    @Test
    @Order(7)
    void prepareACorpusLargerThanMemory() {
        // example: prepare
        Path tokens = work.resolve("book.tokens");
        TokenFile.prepare(TokenFile.Request.of(List.of(book), Normalizer.D2L, Tokenizer.CHAR), tokens, false, null);
        Corpus mapped = TokenFile.open(tokens);          // memory-mapped: any size, 64-bit positions
        RunSpec spec = RunSpec.builder().corpus(tokens.toString()).maxTokens(5_000).epochs(1).build();
        // end
        assertThat(mapped.length()).isEqualTo(170_580);
        assertThat(mapped.vocabulary().size()).isEqualTo(28);
        try (TrainingRun run = TrainingRun.builder(spec).build()) {
            assertThat(run.corpus().length()).isEqualTo(5_000);
        }
    }

    @Test
    @Order(7)
    void watchARunOnTheDashboard() throws Exception {
        // example: dashboard
        RunSpec spec = RunSpec.builder().corpus(book).maxTokens(20_000).cell(CellType.GRU).hidden(32).epochs(4).build();
        Path dir = runs.resolve("book-gru");
        try (TrainingRun run = TrainingRun.builder(spec).checkpointDirectory(dir)
                     .diagnostics(35)                                          // gradients through time
                     .samples(new TrainingRun.Samples(List.of("the time "), 40, 1))  // a sample every epoch
                     .build();
             Dashboard dashboard = Dashboard.builder().liveRun(dir).start()) {  // 127.0.0.1, from port 8600
            printed.add("watch it at " + dashboard.url());
            run.run();
        }
        try (Dashboard compare = Dashboard.builder().run(runs.resolve("book-lstm")).run(dir).port(0).start()) {
            URI page = compare.url();                                           // the two runs overlaid
        }
        // end
        assertThat(printed.getLast()).startsWith("watch it at http://127.0.0.1:");
        assertThat(dir.resolve("samples.jsonl")).isNotEmptyFile();
        assertThat(dir.resolve("steps.jsonl")).isNotEmptyFile();
    }

    @Test
    @Order(8)
    void regulariseLikeAwdLstm() {
        // example: awd
        Regularization awd = Regularization.builder()
                .embeddingDropout(0.1f)             // whole rows of the embedding, per batch
                .inputDropout(0.2f)                 // locked dropout on the embedded input,
                .hiddenDropout(0.2f)                //   between the layers,
                .outputDropout(0.3f)                //   and on the top layer's output (one mask per stream)
                .weightDrop(0.5f)                   // DropConnect on W_hh, one mask per batch
                .activation(2f).temporalActivation(1f)   // AR alpha and TAR beta
                .tieWeights(true)                   // the output layer's weight is the embedding
                .build();
        RunSpec spec = RunSpec.builder().corpus(book).maxTokens(20_000).split("0.9,0.1").cell(CellType.LSTM)
                .layers(2).hidden(32).embed(32).regularization(awd).optimizer("adam").lr(0.01).epochs(3).build();
        try (TrainingRun run = TrainingRun.builder(spec).build()) {
            List<EpochMetrics> history = run.run();
            printed.add("validation loss " + history.getLast().validationLoss());
        }
        // end
        assertThat(Double.parseDouble(printed.getLast().substring("validation loss ".length()))).isLessThan(Math.log(28));
    }

    @Test
    @Order(9)
    void chooseSettingsForATextAndABudget() {
        // example: recipe
        Recipe recipe = Recipe.forText(20_000, 4,                   // 20,000 characters, 4 seconds of training,
                h -> Recipe.measureThroughput(h, Gemm.allCores(), 0.5));   // passes at this machine's speed
        printed.add(recipe.describe() + "; " + String.join("; ", recipe.reasons()));
        RunSpec spec = recipe.applyTo(RunSpec.builder().corpus(book).maxTokens(20_000).averaging("last:0.3"),
                option -> false)                                     // nothing chosen by hand: take every choice
                .build();
        try (TrainingRun run = TrainingRun.builder(spec).timeBudgetSeconds(4).build()) {
            List<EpochMetrics> history = run.run();                  // the cosine decay ends with the budget
            printed.add("validation loss " + history.getLast().validationLoss() + " with weights averaged from epoch "
                    + run.trainer().averagingFrom());
        }
        // end
        assertThat(printed.get(printed.size() - 2)).startsWith("lstm_ln 2 x 256");
        assertThat(printed.getLast()).doesNotContain("from epoch 0");
    }

    @Test
    @Order(10)
    void theDocumentShowsExactlyTheseExamples() throws IOException {
        Path doc = Path.of("..", "docs", "API.md");
        String source = Files.readString(Path.of("src/test/java/dev/rnnlab/run/ApiExamplesTest.java"));
        String markdown = Files.readString(doc);
        Matcher m = Pattern.compile("(?s)\\n( *)// example: (\\w+)\\n(.*?)\\n *// end").matcher(source);
        int examples = 0;
        while (m.find()) {
            String indent = m.group(1);
            String code = m.group(3).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l.strip())
                    .reduce((a, b) -> a + "\n" + b).orElse("");
            assertThat(markdown).as("docs/API.md shows example '" + m.group(2) + "' as the test runs it").contains(code);
            examples++;
        }
        assertThat(examples).isEqualTo(14);
    }
}
