package dev.rnnlab.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.bptt.AdaptiveTruncation;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.bptt.FullBptt;
import dev.rnnlab.data.Dataset;
import dev.rnnlab.data.RandomSampler;
import dev.rnnlab.data.SequenceSampler;
import dev.rnnlab.data.SequentialPartitioner;
import dev.rnnlab.data.WholeStreamSampler;
import dev.rnnlab.data.Split;
import dev.rnnlab.generate.Generator;
import dev.rnnlab.generate.Prompt;
import dev.rnnlab.generate.TokenSampler;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.ScratchRnn;
import dev.rnnlab.nn.ShardedModel;
import dev.rnnlab.plot.TrainingCurveChart;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.GradientDiagnostics;
import dev.rnnlab.train.JsonLinesLog;
import dev.rnnlab.train.LearningRateSchedule;
import dev.rnnlab.train.Optimizer;
import dev.rnnlab.train.Trainer;
import dev.rnnlab.train.TrainingConfig;
import dev.rnnlab.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnlab train}: trains a character- or word-level recurrent language model (D2L 8.5/8.6). */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a recurrent language model, D2L chapter 8 style, and prints a generated sample at the end.",
            "Defaults are D2L's: the first 10,000 characters of The Time Machine, batch 32, 35 steps, hidden 512, SGD lr 1,"
                + " clip 1, sequential partitioning, 500 epochs (--max-tokens 0 for the whole book). Without FILE or --corpus, when"
                + " timemachine is neither cached nor downloadable, it says so and trains on a built-in synthetic corpus."})
final class TrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "A UTF-8 text file to train on.")
    Path file;

    @Option(names = "--corpus", paramLabel = "NAME|FILE", description = "timemachine, tinyshakespeare, or a file (default: timemachine).")
    String corpus;

    @Option(names = "--tokens", paramLabel = "char|word", defaultValue = "char", description = "Tokens (default: ${DEFAULT-VALUE}).")
    String tokens;

    @Option(names = "--normalize", paramLabel = "d2l|raw", description = "Normalization (default: the corpus's own: timemachine d2l, tinyshakespeare raw, a FILE d2l).")
    String normalize;

    @Option(names = "--min-freq", defaultValue = "0", description = "Tokens seen fewer times become <unk> (default: ${DEFAULT-VALUE}).")
    int minFreq;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Train on the first N tokens only, with the whole corpus's vocabulary (D2L's max_tokens); 0 = all."
                    + " Default: 10000 for The Time Machine's characters, as D2L's chapter 8 trains, else 0.")
    Integer maxTokens;

    @Option(names = "--model", paramLabel = "scratch|rnn|rnn_relu|gru|lstm", defaultValue = "rnn",
            description = "scratch is D2L 8.5's from-scratch RNN; the others are the engine's layers (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--hidden", defaultValue = "512", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--embed", defaultValue = "0", description = "Embedding size; 0 feeds one-hot vectors as D2L does (default: ${DEFAULT-VALUE}).")
    int embed;

    @Option(names = "--bidirectional", description = "Bidirectional layers. Such a model sees each token's future, so it"
            + " is for evaluation-only tasks: it cannot generate, and its perplexity is not a language model's.")
    boolean bidirectional;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout between stacked layers (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--batch", defaultValue = "32", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "35", description = "Time steps per mini-batch (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--sampling", paramLabel = "sequential|random", defaultValue = "sequential",
            description = "D2L 8.3.4: sequential partitioning carries the state across batches; random sampling"
                    + " re-initialises it per batch (default: ${DEFAULT-VALUE}).")
    String sampling;

    @Option(names = "--epochs", description = "Epochs. Default: D2L's 500 on its 10000 characters of The Time Machine (a few"
            + " minutes here), else 20. With --resume: the new total.")
    Integer epochs;

    @Option(names = "--lr", defaultValue = "1", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--clip", defaultValue = "1", description = "Global gradient-norm threshold theta; 0 disables (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--optimizer", paramLabel = "sgd|momentum[:MU]|adam|adamw", defaultValue = "sgd",
            description = "Optimizer (default: ${DEFAULT-VALUE}, D2L's).")
    String optimizer;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", paramLabel = "constant|step:EVERY:GAMMA|cosine[:MIN]", defaultValue = "constant",
            description = "Learning-rate schedule over epochs (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0", description = "Linear warm-up epochs (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--split", paramLabel = "TRAIN,VAL[,TEST]",
            description = "Contiguous split fractions, e.g. 0.9,0.1 (nanoGPT) or 0.95,0.05,0 (char-rnn); default: train on everything as D2L does.")
    String split;

    @Option(names = "--time-budget", paramLabel = "DURATION",
            description = "Stop once this much time has gone into training batches (validation not counted), e.g. 90s, 10m, 1.5h:"
                    + " the epoch in progress ends there, is validated and saved. For comparisons at equal wall-clock time.")
    String timeBudget;

    @Option(names = "--patience", defaultValue = "0", description = "Stop after this many epochs without a better validation loss; 0 = never (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--bptt", paramLabel = "STRATEGY", defaultValue = "perbatch",
            description = "Backpropagation through time (D2L 8.7): perbatch (D2L's: detach at each batch), truncated:K1[:K2]"
                    + " (every K1 steps backpropagate over the last K2), randomized:PI[,PI2,...] (Tallec and Ollivier's unbiased"
                    + " random truncation), segments:MIN:MAX (random-length segments), full[:checkpoint=K] (each stream whole,"
                    + " one update per epoch), adaptive:TOLERANCE[:K1:KMAX] (K chosen from measured gradient decay)"
                    + " (default: ${DEFAULT-VALUE}).")
    String bptt;

    @Option(names = "--max-memory", paramLabel = "SIZE", defaultValue = "4g",
            description = "Bound on the activations full BPTT may cache, e.g. 512m, 4g (default: ${DEFAULT-VALUE}).")
    String maxMemory;

    @Option(names = "--shards", defaultValue = "1",
            description = "Split each batch's streams across this many threads, each with a replica of the model sharing its"
                    + " weights (data parallelism over the cores; default: ${DEFAULT-VALUE}). Engine models only.")
    int shards;

    @Option(names = "--diagnostics", description = "Watch vanishing/exploding gradients: before training and after each epoch,"
            + " per-step gradient norms by distance, spectral radius and largest singular value of W_hh, and clipping;"
            + " written to DIR/diagnostics/ (jsonl, heat map, curves).")
    boolean diagnostics;

    @Option(names = "--probe-steps", defaultValue = "100", description = "With --diagnostics: length of the probe sequence (default: ${DEFAULT-VALUE}).")
    int probeSteps;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--init", paramLabel = "auto|d2l|pytorch", defaultValue = "auto",
            description = "Initialisation: d2l is N(0, 0.01^2) with zero biases, pytorch is U(-1/sqrt(H), 1/sqrt(H)); auto is d2l"
                    + " for the scratch model and pytorch otherwise, as in D2L 8.5 and 8.6 (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "Checkpoint directory (default: runs/CORPUS-MODEL-hHIDDEN, or the --resume directory).")
    Path checkpoint;

    @Option(names = "--save-every", paramLabel = "EPOCHS", defaultValue = "10", description = "Also checkpoint every this many epochs (default: ${DEFAULT-VALUE}); always at the end.")
    int saveEvery;

    @Option(names = "--save-minutes", paramLabel = "MIN", defaultValue = "10", description = "Also checkpoint when this many minutes have passed since the last save (default: ${DEFAULT-VALUE}).")
    double saveMinutes;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run saved in DIR (same data, model and settings; bit-identical to an uninterrupted run).")
    Path resume;

    @Option(names = "--log", paramLabel = "FILE", description = "JSON-lines metrics log (default: DIR/metrics.jsonl).")
    Path log;

    @Option(names = "--plot", paramLabel = "FILE", description = "Training-curve plot, .png or .svg (default: DIR/curve.png).")
    Path plot;

    @Option(names = "--prefix", paramLabel = "TEXT", description = "Prefixes to generate from after training (default for timemachine: 'time traveller' and 'traveller').")
    List<String> prefixes;

    @Option(names = "--sample-length", defaultValue = "50", description = "Tokens generated per prefix after training (default: ${DEFAULT-VALUE}).")
    int sampleLength;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Corpus cache directory (default: $RNNLAB_DATA, else ~/.cache/rnnlab).")
    Path dataDir;

    @Mixin
    EngineOptions engine;

    @Option(names = "--verbose", description = "Show stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Gemm gemm = engine.gemm();
        Checkpoint.Loaded resumed = null;
        TrainSettings s;
        if (resume != null) {
            resumed = Checkpoint.read(resume, gemm);
            if (resumed.progress() == null || resumed.optimizerState() == null) {
                throw new RnnlabException("checkpoint '" + resume + "' holds a model but no training state; it cannot be resumed");
            }
            try {
                s = JSON.treeToValue(resumed.info().training(), TrainSettings.class);
            } catch (Exception e) {
                throw new RnnlabException("checkpoint '" + resume + "' does not say how it was trained (config.json: training)");
            }
            if (epochs != null) s = s.withEpochs(epochs);
            if (checkpoint == null) checkpoint = resume;
        } else {
            s = settingsFromOptions();
        }

        // data
        Tokenizer tokenizer = Tokenizer.parse(s.tokens());
        Normalizer normalizer = s.normalize() == null ? null : Normalizer.parse(s.normalize());
        CorpusChoice.Loaded loaded = CorpusChoice.load(null, s.corpus(), Dataset.TIMEMACHINE, dataDir, normalizer, tokenizer, err);
        s = s.withDefaultsFor(!loaded.hasKnownEntropyRate() && tokenizer == Tokenizer.CHAR
                && loaded.corpus().name().equals(Dataset.TIMEMACHINE.fileName()));
        if (s.epochs() < 1) throw new RnnlabException("--epochs must be >= 1, got " + s.epochs());
        if (s.maxTokens() < 0) throw new RnnlabException("--max-tokens must be >= 0 (0 = all), got " + s.maxTokens());
        Corpus whole = s.maxTokens() > 0 ? loaded.corpus().firstTokens(s.maxTokens()) : loaded.corpus();
        // with a split, the vocabulary is the training part's (held-out tokens it never saw are <unk>, as for
        // the n-gram models); --min-freq drops rarer tokens
        int trainTokens = s.split() == null ? whole.length() : Split.parse(s.split()).apply(whole.indices()).train().length;
        Corpus c = s.split() != null || s.minFreq() > 0 ? whole.withVocabularyOfFirst(trainTokens, s.minFreq()) : whole;
        Split.Parts parts = s.split() == null ? null : Split.parse(s.split()).apply(c.indices());
        if (resumed != null) checkSameCorpus(resumed, c);
        int[] train = parts == null ? c.indices() : parts.train();
        int[] validation = parts == null ? null : parts.validation();
        BpttStrategy strategy = BpttStrategy.parse(s.bptt(), FullBptt.parseBytes(maxMemory));
        SequenceSampler sampler = strategy.wantsWholeSequence() ? new WholeStreamSampler(train, s.batch())
                : switch (s.sampling().toLowerCase(Locale.ROOT)) {
            case "sequential" -> new SequentialPartitioner(train, s.batch(), s.steps());
            case "random" -> new RandomSampler(train, s.batch(), s.steps());
            default -> throw new RnnlabException("unknown --sampling '" + s.sampling() + "': use sequential or random");
        };

        // model
        LanguageModel m = resumed != null ? resumed.model() : newModel(s, c.vocabulary().size(), gemm);
        if (shards > 1) m = shard(m, gemm);
        Optimizer opt = Optimizer.parse(s.optimizer(), s.weightDecay(), m.parameters().size());
        TrainingConfig tc = new TrainingConfig(s.epochs(), s.lr(), LearningRateSchedule.parse(s.schedule()).withWarmup(s.warmup()),
                s.clip(), s.patience(), s.seed(), timeBudget == null ? 0 : parseDuration(timeBudget));
        Trainer trainer = new Trainer(m, sampler, validation, tc, opt, strategy);
        if (resumed != null) {
            opt.restore(resumed.optimizerState(), resumed.optimizerSteps());
            trainer.restore(resumed.progress());
            if (trainer.epochsDone() >= s.epochs()) {
                throw new RnnlabException("checkpoint '" + resume + "' has already trained " + trainer.epochsDone()
                        + " of " + s.epochs() + " epochs; pass --epochs N with N > " + trainer.epochsDone() + " to continue");
            }
        }

        Path dir = checkpoint != null ? checkpoint
                : Path.of("runs", safe(c.name().replaceFirst("\\.txt$", "")) + "-" + s.model() + "-h" + s.hidden());
        Path logFile = log != null ? log : dir.resolve("metrics.jsonl");
        Path plotFile = plot != null ? plot : dir.resolve("curve.png");
        String unit = tokenizer == Tokenizer.CHAR ? "char" : "word";
        out.printf(Locale.ROOT, "corpus %s: %,d %s tokens%s, vocabulary %,d%s%n", loaded.source(), c.length(), unit,
                c.length() < loaded.corpus().length() ? String.format(Locale.ROOT, " (the first of %,d: --max-tokens %d; 0 for all)",
                        loaded.corpus().length(), s.maxTokens()) : "",
                c.vocabulary().size(), parts == null ? "" : String.format(Locale.ROOT, "; split %s: train %,d, validation %,d",
                        s.split(), train.length, validation.length));
        out.printf(Locale.ROOT, "model %s: %,d parameters; %s sampling, batch %d x %d steps (%d batches/epoch); %s; %s, lr %s (%s), clip %s; seed %d%n",
                describe(m, s), m.parameters().size(), strategy.wantsWholeSequence() ? "whole-stream" : s.sampling(), s.batch(),
                sampler.steps(), sampler.batchesPerEpoch(), strategy.describe(), opt.describe(), s.lr(), tc.schedule().describe(),
                s.clip(), s.seed());
        if (loaded.hasKnownEntropyRate()) {
            out.printf(Locale.ROOT, "the corpus's true entropy rate is %.4f nats = %.4f bits per token: no model's perplexity can go below %.3f%n",
                    loaded.entropyRateNats(), loaded.entropyRateNats() / Math.log(2), Math.exp(loaded.entropyRateNats()));
        }
        if (resumed != null) out.printf(Locale.ROOT, "resuming %s after epoch %d of %d%n", resume, trainer.epochsDone(), s.epochs());
        out.printf("checkpoints in %s, metrics in %s%n", dir, logFile);
        out.flush();

        Checkpoint.Provenance provenance = new Checkpoint.Provenance(c.name(), c.sha256(), c.normalizer().id(), c.tokenizer().id(), c.length());
        Checkpoint.Info info = new Checkpoint.Info(RnnlabVersion.get(), s.model().equals("scratch") ? "scratch" : "rnn",
                m.config(), provenance, JSON.valueToTree(s));
        trainer.addListener(new ConsoleProgress(out, Terminal.isInteractive(), unit))
                .addListener(new JsonLinesLog(logFile))
                .addListener(new CheckpointSaver(dir, info, c.vocabulary(), saveEvery, saveMinutes));
        if (strategy instanceof AdaptiveTruncation adaptive) {
            trainer.addListener(new dev.rnnlab.train.TrainingListener() {
                private int from;

                @Override
                public void epochStarted(int epoch, int batches) {
                    from = adaptive.chosenLengths().size();
                }

                @Override
                public void epochEnded(EpochMetrics m, Trainer t) {
                    List<Integer> k = adaptive.chosenLengths();
                    out.printf(Locale.ROOT, "  adaptive truncation: K chosen this epoch %s%n", k.subList(from, k.size()));
                }
            });
        }
        if (diagnostics) {
            trainer.addListener(new GradientDiagnostics(dir.resolve("diagnostics"), train, Math.min(8, s.batch()), probeSteps, s.clip()));
        }
        List<EpochMetrics> history = trainer.run();

        if (trainer.stoppedByTimeBudget()) {
            out.printf(Locale.ROOT, "stopped: the time budget of %s ran out during epoch %d%n", timeBudget, trainer.epochsDone());
        }
        writeCurve(plotFile, c.name() + ", " + describe(m, s), history);
        EpochMetrics last = history.getLast();
        out.printf(Locale.ROOT, "done: perplexity %.3f, %,.0f %ss/s on %s; checkpoint %s, curve %s%n", last.trainPerplexity(),
                last.tokensPerSecond(), unit, gemm.description(), dir, plotFile);
        if (loaded.hasKnownEntropyRate()) {
            out.printf(Locale.ROOT, "the limit: perplexity %.3f (entropy rate); the model is %.4f nats per token above it%n",
                    Math.exp(loaded.entropyRateNats()), last.trainLoss() - loaded.entropyRateNats());
        }
        if (!m.config().bidirectional() && sampleLength > 0) {
            List<String> ps = prefixes != null ? prefixes
                    : c.name().startsWith("timemachine") ? List.of("time traveller", "traveller") : List.of(firstWords(c));
            Generator g = new Generator(m);
            for (String p : ps) {
                int[] ids = Prompt.encode(p, c.normalizer(), c.tokenizer(), c.vocabulary(), w -> err.println("rnnlab: " + w));
                StringBuilder text = new StringBuilder(p);
                g.generate(ids, sampleLength, TokenSampler.greedy(), new Rng(s.seed()),
                        t -> text.append(Prompt.render(t, c.tokenizer(), c.vocabulary())));
                out.println("sample: " + text.toString().replace("\n", "\\n"));
            }
        }
        out.flush();
        return 0;
    }

    private TrainSettings settingsFromOptions() {
        String src = file != null ? file.toString() : corpus;
        if (file != null && corpus != null) throw new RnnlabException("give either FILE or --corpus, not both");
        return new TrainSettings(src, tokens, normalize, minFreq, model.toLowerCase(Locale.ROOT), hidden, layers, embed, bidirectional,
                dropout, batch, steps, sampling, epochs == null ? TrainSettings.UNSET : epochs, lr, clip, optimizer, weightDecay,
                schedule, warmup, split, patience, seed, init, bptt, maxTokens == null ? TrainSettings.UNSET : maxTokens);
    }

    /** "90s", "10m", "1.5h" or plain seconds. */
    static double parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double unit = t.endsWith("h") ? 3600 : t.endsWith("m") ? 60 : 1;
        String number = t.endsWith("h") || t.endsWith("m") || t.endsWith("s") ? t.substring(0, t.length() - 1) : t;
        try {
            double seconds = Double.parseDouble(number) * unit;
            if (seconds > 0 && Double.isFinite(seconds)) return seconds;
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw new RnnlabException("--time-budget '" + text + "' is not a positive duration: use e.g. 90s, 10m or 1.5h");
    }

    static LanguageModel newModel(TrainSettings s, int vocab, Gemm gemm) {
        Rng initRng = new Rng(s.seed() ^ 0x5DEECE66DL);
        String init = s.init().toLowerCase(Locale.ROOT);
        if (s.model().equals("scratch")) {
            if (s.layers() != 1 || s.embed() != 0 || s.bidirectional() || s.dropout() != 0) {
                throw new RnnlabException("the scratch model is D2L 8.5's: one layer, one-hot, one direction; use --model rnn for more");
            }
            ScratchRnn r = new ScratchRnn(vocab, s.hidden(), gemm);
            if (init.equals("pytorch")) throw new RnnlabException("--init pytorch is for the engine's models; the scratch model uses d2l");
            r.initD2l(initRng);
            return r;
        }
        CellType cell;
        try {
            cell = CellType.parse(s.model());
        } catch (IllegalArgumentException e) {
            throw new RnnlabException("unknown --model '" + s.model() + "': use scratch, rnn, rnn_relu, gru or lstm");
        }
        RecurrentLanguageModel m = new RecurrentLanguageModel(
                new ModelConfig(cell, vocab, s.embed(), s.hidden(), s.layers(), s.bidirectional(), s.dropout()), gemm);
        switch (init) {
            case "auto", "pytorch" -> m.initPyTorchDefault(initRng);
            case "d2l" -> m.initD2l(initRng);
            default -> throw new RnnlabException("unknown --init '" + s.init() + "': use auto, d2l or pytorch");
        }
        return m;
    }

    /** The same model (same weights) with its batches split over {@code shards} threads. */
    private LanguageModel shard(LanguageModel m, Gemm gemm) {
        if (!(m instanceof RecurrentLanguageModel)) throw new RnnlabException("--shards is for the engine's models, not --model scratch");
        ShardedModel sharded = new ShardedModel(m.config(), gemm, shards);
        System.arraycopy(m.parameters().values(), 0, sharded.parameters().values(), 0, m.parameters().size());
        return sharded;
    }

    static String describe(LanguageModel m, TrainSettings s) {
        ModelConfig c = m.config();
        if (s.model().equals("scratch")) return "scratch RNN (D2L 8.5), hidden " + c.hidden();
        return String.format(Locale.ROOT, "%s%s, %d layer%s x %d hidden, %s input%s", c.bidirectional() ? "bidirectional " : "",
                c.cell().label(), c.layers(), c.layers() > 1 ? "s" : "", c.hidden(), c.embed() > 0 ? c.embed() + "-d embedding" : "one-hot",
                c.dropout() > 0 ? ", dropout " + c.dropout() : "");
    }

    private static void checkSameCorpus(Checkpoint.Loaded resumed, Corpus c) {
        Checkpoint.Provenance p = resumed.info().provenance();
        if (p != null && !p.sha256().equals(c.sha256())) {
            throw new RnnlabException("the corpus has changed since the checkpoint (sha256 " + c.sha256().substring(0, 12)
                    + " now, " + p.sha256().substring(0, 12) + " then); resume needs the same data");
        }
        if (!resumed.vocabulary().equals(c.vocabulary())) {
            throw new RnnlabException("the corpus's vocabulary differs from the checkpoint's; resume needs the same data and tokenization");
        }
    }

    private static void writeCurve(Path file, String title, List<EpochMetrics> history) {
        double[] x = new double[history.size()], train = new double[history.size()], val = new double[history.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = history.get(i).epoch();
            train[i] = history.get(i).trainPerplexity();
            val[i] = history.get(i).validationPerplexity();
        }
        TrainingCurveChart.write(file, title, "epoch", List.of(new TrainingCurveChart.Curve("train", x, train),
                new TrainingCurveChart.Curve("validation", x, val)));
    }

    private static String firstWords(Corpus c) {
        StringBuilder b = new StringBuilder();
        int[] idx = c.indices();
        for (int i = 0; i < Math.min(idx.length, c.tokenizer() == Tokenizer.CHAR ? 10 : 2); i++) {
            if (c.tokenizer() == Tokenizer.WORD && i > 0) b.append(' ');
            b.append(c.vocabulary().tokenOf(idx[i]));
        }
        return b.toString();
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]+", "_");
    }

    /** Saves every N epochs, every M minutes, and at the end; never after a diverged step (the exception stops the run first). */
    static final class CheckpointSaver implements TrainingListener {
        private final Path dir;
        private final Checkpoint.Info info;
        private final dev.rnnlab.text.Vocabulary vocab;
        private final int everyEpochs;
        private final double everyMinutes;
        private long lastSave = System.nanoTime();
        private int savedAt = -1;

        CheckpointSaver(Path dir, Checkpoint.Info info, dev.rnnlab.text.Vocabulary vocab, int everyEpochs, double everyMinutes) {
            this.dir = dir;
            this.info = info;
            this.vocab = vocab;
            this.everyEpochs = everyEpochs;
            this.everyMinutes = everyMinutes;
        }

        @Override
        public void epochEnded(EpochMetrics m, Trainer t) {
            boolean due = (everyEpochs > 0 && m.epoch() % everyEpochs == 0)
                    || (everyMinutes > 0 && (System.nanoTime() - lastSave) / 60e9 >= everyMinutes);
            if (due) save(t);
        }

        @Override
        public void trainingEnded(Trainer t) {
            if (savedAt != t.epochsDone()) save(t);
        }

        private void save(Trainer t) {
            Checkpoint.write(dir, info, t.model(), vocab, t.optimizer().state(), t.optimizer().steps(), t.progress());
            lastSave = System.nanoTime();
            savedAt = t.epochsDone();
        }
    }
}
