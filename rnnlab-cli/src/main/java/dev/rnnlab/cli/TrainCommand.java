package dev.rnnlab.cli;

import dev.rnnlab.RnnlabVersion;

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
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.io.CheckpointLock;
import dev.rnnlab.io.CheckpointSaver;
import dev.rnnlab.nn.MemoryBudget;
import dev.rnnlab.train.TrainingDivergedException;
import java.nio.file.Files;
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

    /**
     * The options {@code --resume} takes as they are given: they say how long and how fast to go on, where to
     * write and how to compute, not what is trained on what. Each is applied and printed.
     */
    private static final List<String> CHANGEABLE_ON_RESUME = List.of("--epochs", "--lr", "--schedule", "--warmup", "--clip",
            "--patience");

    /** The options that make the run what it is: on resume each must equal the checkpoint's or be left out. */
    private static final List<String> FIXED_ON_RESUME = List.of("--corpus", "--tokens", "--normalize", "--min-freq",
            "--max-tokens", "--model", "--hidden", "--layers", "--embed", "--bidirectional", "--dropout", "--batch", "--steps",
            "--sampling", "--optimizer", "--weight-decay", "--split", "--seed", "--init", "--bptt");

    @Option(names = "--overwrite", description = "Start a new run in a --checkpoint directory that already holds one"
            + " (replaced at the first save); without it such a run is refused, so that no checkpoint is lost by mistake.")
    boolean overwrite;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        validateOptions();
        Gemm gemm = engine.gemm();
        if (resume != null && checkpoint == null) checkpoint = resume;
        // the lock comes before anything is read or written, so a second run on the directory changes nothing
        CheckpointLock lock = checkpoint != null ? CheckpointLock.acquire(checkpoint) : null;
        try {
            return train(out, err, gemm, lock);
        } finally {
            if (lock != null) lock.close();
        }
    }

    private int train(PrintWriter out, PrintWriter err, Gemm gemm, CheckpointLock heldLock) {
        Checkpoint.Loaded resumed = null;
        TrainSettings s;
        if (resume != null) {
            resumed = Checkpoint.read(resume, gemm);
            if (!resumed.resumable()) {
                throw new RnnlabException("checkpoint '" + resume + "' holds a model but no training state; it cannot be resumed"
                        + " (generate and eval can use it)");
            }
            try {
                s = JSON.treeToValue(resumed.info().training(), TrainSettings.class);
            } catch (Exception e) {
                s = null;
            }
            if (s == null) throw new RnnlabException("checkpoint '" + resume + "' does not say how it was trained (config.json: training)");
            s = applyResumeOptions(s, out);
        } else {
            s = settingsFromOptions();
        }

        // data
        Tokenizer tokenizer = Tokenizer.parse(s.tokens());
        Normalizer normalizer = s.normalize() == null ? null : Normalizer.parse(s.normalize());
        CorpusChoice.Loaded loaded = CorpusChoice.load(null, s.corpus(), Dataset.TIMEMACHINE, dataDir, normalizer, tokenizer, err);
        s = s.withDefaultsFor(!loaded.hasKnownEntropyRate() && tokenizer == Tokenizer.CHAR
                && loaded.corpus().name().equals(Dataset.TIMEMACHINE.fileName()));
        Corpus whole = s.maxTokens() > 0 ? loaded.corpus().firstTokens(s.maxTokens()) : loaded.corpus();
        // with a split, the vocabulary is the training part's (held-out tokens it never saw are <unk>, as for
        // the n-gram models); --min-freq drops rarer tokens
        int trainTokens = s.split() == null ? whole.length() : Split.parse(s.split()).apply(whole.indices()).train().length;
        Corpus c = s.split() != null || s.minFreq() > 0 ? whole.withVocabularyOfFirst(trainTokens, s.minFreq()) : whole;
        if (c.vocabulary().size() < 2) {
            throw new RnnlabException("the vocabulary is only <unk>: no token of the training text occurs " + s.minFreq()
                    + " times (--min-freq); lower --min-freq");
        }
        Split.Parts parts = s.split() == null ? null : Split.parse(s.split()).apply(c.indices());
        if (resumed != null) checkSameCorpus(resumed, c);
        int[] train = parts == null ? c.indices() : parts.train();
        int[] validation = parts == null ? null : parts.validation();
        if (train.length < 2) throw new RnnlabException("the training text has " + train.length + " token(s); it needs at least 2");
        BpttStrategy strategy = BpttStrategy.parse(s.bptt(), FullBptt.parseBytes(maxMemory));
        SequenceSampler sampler = strategy.wantsWholeSequence() ? new WholeStreamSampler(train, s.batch())
                : switch (s.sampling().toLowerCase(Locale.ROOT)) {
            case "sequential" -> new SequentialPartitioner(train, s.batch(), s.steps());
            case "random" -> new RandomSampler(train, s.batch(), s.steps());
            default -> throw new RnnlabException("unknown --sampling '" + s.sampling() + "': use sequential or random");
        };

        // where it goes: locked before the first write
        Path dir = checkpoint != null ? checkpoint : Path.of("runs", runName(c, s));
        CheckpointLock lock = heldLock != null ? null : CheckpointLock.acquire(dir);
        try {
            if (resumed == null && !overwrite && holdsCheckpoint(dir)) {
                throw new RnnlabException("'" + dir + "' holds a checkpoint already: continue it with --resume " + dir
                        + " --epochs N, or start over with --overwrite (or give another --checkpoint)");
            }
            return train(out, err, gemm, s, loaded, c, parts, train, validation, strategy, sampler, resumed, dir);
        } finally {
            if (lock != null) lock.close();
        }
    }

    private int train(PrintWriter out, PrintWriter err, Gemm gemm, TrainSettings s, CorpusChoice.Loaded loaded, Corpus c,
                      Split.Parts parts, int[] train, int[] validation, BpttStrategy strategy, SequenceSampler sampler,
                      Checkpoint.Loaded resumed, Path dir) {
        Tokenizer tokenizer = c.tokenizer();
        // model: its memory is checked before it is allocated
        ModelConfig shape = resumed != null ? resumed.model().config() : modelShape(s, c.vocabulary().size());
        int slots = s.optimizer().toLowerCase(Locale.ROOT).startsWith("adam") ? 2 : s.optimizer().toLowerCase(Locale.ROOT).startsWith("momentum") ? 1 : 0;
        MemoryBudget.require(shape, MemoryBudget.trainingBytes(shape, slots, shards, sampler.steps(), s.batch()), "the model");
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

        Checkpoint.Provenance provenance = new Checkpoint.Provenance(c.name(), c.sha256(), c.normalizer().id(), c.tokenizer().id(),
                c.length(), c.vocabulary().sha256());
        Checkpoint.Info info = new Checkpoint.Info(RnnlabVersion.get(), s.model().equals("scratch") ? "scratch" : "rnn",
                m.config(), provenance, JSON.valueToTree(s));
        CheckpointSaver saver = new CheckpointSaver(dir, info, c.vocabulary(), saveEvery, saveMinutes,
                validation != null && validation.length >= 2 ? CheckpointSaver.probeOf(validation, s.batch(), sampler.steps())
                        : CheckpointSaver.probeOf(train, s.batch(), sampler.steps()));
        // the saver's health check comes before the log line, so an epoch that diverged is neither saved nor logged
        trainer.addListener(new ConsoleProgress(out, Terminal.isInteractive(), unit))
                .addListener(saver)
                .addListener(new JsonLinesLog(logFile));
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
        // the prefixes are read before training, so a bad one fails before anything is saved
        List<String> ps = prefixes != null ? prefixes
                : c.name().startsWith("timemachine") ? List.of("time traveller", "traveller") : List.of(firstWords(c));
        List<int[]> prompts = new java.util.ArrayList<>();
        if (!m.config().bidirectional() && sampleLength > 0) {
            List<String> warnings = new java.util.ArrayList<>();  // printed once every prefix is known good
            for (String p : ps) prompts.add(Prompt.encode(p, c.normalizer(), c.tokenizer(), c.vocabulary(), warnings::add));
            for (String w : warnings) err.println("rnnlab: " + w);
        }
        List<EpochMetrics> history;
        try {
            history = trainer.run();
        } catch (TrainingDivergedException e) {
            out.flush();
            throw new RnnlabException(e.getMessage() + "; " + (saver.savedEpoch() > 0
                    ? "the checkpoint in " + dir + " holds epoch " + saver.savedEpoch() + ", from before it diverged"
                    : "no checkpoint was written") + (saver.bestEpoch() > 0 ? ", the best in " + dir.resolve(CheckpointSaver.BEST)
                    + " epoch " + saver.bestEpoch() : ""));
        }

        if (trainer.stoppedByTimeBudget()) {
            out.printf(Locale.ROOT, "stopped: the time budget of %s ran out during epoch %d%n", timeBudget, trainer.epochsDone());
        }
        writeCurve(plotFile, c.name() + ", " + describe(m, s), history);
        EpochMetrics last = history.getLast();
        out.printf(Locale.ROOT, "done: perplexity %.3f, %,.0f %ss/s on %s; checkpoint %s, curve %s%n", last.trainPerplexity(),
                last.tokensPerSecond(), unit, gemm.description(), dir, plotFile);
        if (saver.bestEpoch() > 0 || (resumed != null && last.hasValidation())) {
            out.printf(Locale.ROOT, "best validation perplexity %.3f at epoch %d: %s%n", Math.exp(trainer.progress().bestValidation()),
                    trainer.progress().bestEpoch(), dir.resolve(CheckpointSaver.BEST));
        }
        if (loaded.hasKnownEntropyRate()) {
            out.printf(Locale.ROOT, "the limit: perplexity %.3f (entropy rate); the model is %.4f nats per token above it%n",
                    Math.exp(loaded.entropyRateNats()), last.trainLoss() - loaded.entropyRateNats());
        }
        if (!prompts.isEmpty()) {
            Generator g = new Generator(m);
            for (int i = 0; i < prompts.size(); i++) {
                int[] ids = prompts.get(i);
                StringBuilder text = new StringBuilder(ps.get(i));
                g.generate(ids, sampleLength, TokenSampler.greedy(), new Rng(s.seed()),
                        t -> text.append(Prompt.render(t, c.tokenizer(), c.vocabulary())));
                out.println("sample: " + text.toString().replace("\n", "\\n"));
            }
        }
        out.flush();
        return 0;
    }

    /** Every option's value is checked before any work: no value a user can type means "unset". */
    private void validateOptions() {
        require(epochs == null || epochs >= 1, "--epochs must be >= 1, got " + epochs);
        require(maxTokens == null || maxTokens >= 0, "--max-tokens must be >= 0 (0 = all tokens), got " + maxTokens);
        require(minFreq >= 0, "--min-freq must be >= 0, got " + minFreq);
        require(hidden >= 1, "--hidden must be >= 1, got " + hidden);
        require(layers >= 1, "--layers must be >= 1, got " + layers);
        require(embed >= 0, "--embed must be >= 0 (0 = one-hot), got " + embed);
        require(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
        require(batch >= 1, "--batch must be >= 1, got " + batch);
        require(steps >= 1, "--steps must be >= 1, got " + steps);
        require(lr > 0 && Double.isFinite(lr), "--lr must be a finite number > 0, got " + lr);
        require(clip >= 0 && Double.isFinite(clip), "--clip must be a finite number >= 0 (0 = no clipping), got " + clip);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "--weight-decay must be a finite number >= 0, got " + weightDecay);
        require(warmup >= 0 && Double.isFinite(warmup), "--warmup must be a finite number of epochs >= 0, got " + warmup);
        require(patience >= 0, "--patience must be >= 0 (0 = never stop early), got " + patience);
        require(shards >= 1, "--shards must be >= 1, got " + shards);
        require(shards <= batch, "--shards " + shards + " is more than the batch of " + batch + " streams to split");
        require(probeSteps >= 1, "--probe-steps must be >= 1, got " + probeSteps);
        require(saveEvery >= 0, "--save-every must be >= 0 epochs (0 = only at the end), got " + saveEvery);
        require(saveMinutes >= 0 && Double.isFinite(saveMinutes), "--save-minutes must be a finite number >= 0 (0 = not by time), got " + saveMinutes);
        require(sampleLength >= 0, "--sample-length must be >= 0 (0 = no samples), got " + sampleLength);
        if (timeBudget != null) parseDuration(timeBudget);
        if (checkpoint != null && Files.isRegularFile(checkpoint)) {
            throw new RnnlabException("--checkpoint '" + checkpoint + "' is a file, not a directory; choose another path");
        }
        if (resume != null && !Files.exists(resume) && !Files.exists(Path.of(resume + ".new")) && !Files.exists(Path.of(resume + ".prev"))) {
            throw new RnnlabException("--resume '" + resume + "': no such checkpoint directory");
        }
        if (overwrite && resume != null) throw new RnnlabException("--overwrite starts a new run; it cannot go with --resume");
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new RnnlabException(message);
    }

    /**
     * The resume contract: the options of {@link #CHANGEABLE_ON_RESUME} are applied and printed; any of
     * {@link #FIXED_ON_RESUME} given with a value other than the checkpoint's is an error listing each.
     */
    private TrainSettings applyResumeOptions(TrainSettings saved, PrintWriter out) {
        var parsed = spec.commandLine().getParseResult();
        ObjectNode given = JSON.valueToTree(settingsFromOptions());
        ObjectNode was = JSON.valueToTree(saved);
        List<String> differences = new java.util.ArrayList<>();
        for (String option : FIXED_ON_RESUME) {
            boolean matched = option.equals("--corpus") ? file != null || corpus != null : parsed.hasMatchedOption(option);
            if (!matched) continue;
            String field = fieldOf(option);
            if (field.equals("corpus") && movedCorpus(was.get(field))) continue;  // the sha256 check below still applies
            if (!sameSetting(field, given.get(field), was.get(field))) {
                differences.add(option + " " + text(given.get(field)) + " (the checkpoint's: " + text(was.get(field)) + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new RnnlabException("--resume continues the run as it was; these options differ from the checkpoint's: "
                    + String.join(", ", differences) + "; leave them out, or start a new run with another --checkpoint");
        }
        ObjectNode now = was.deepCopy();
        if ((file != null || corpus != null) && movedCorpus(was.get("corpus"))) now.set("corpus", given.get("corpus"));
        List<String> changes = new java.util.ArrayList<>();
        for (String option : CHANGEABLE_ON_RESUME) {
            if (!parsed.hasMatchedOption(option)) continue;
            String field = fieldOf(option);
            if (!sameSetting(field, given.get(field), was.get(field))) {
                changes.add(option + " " + text(given.get(field)) + " (was " + text(was.get(field)) + ")");
                now.set(field, given.get(field));
            }
        }
        if (!changes.isEmpty()) out.println("resume with " + String.join(", ", changes));
        try {
            return JSON.treeToValue(now, TrainSettings.class);
        } catch (Exception e) {
            throw new RnnlabException("cannot apply the resume options: " + e.getMessage());
        }
    }

    /** The checkpoint's corpus was a file that is no longer there: a copy given now is checked by its sha256. */
    private static boolean movedCorpus(com.fasterxml.jackson.databind.JsonNode stored) {
        if (stored == null || stored.isNull() || Dataset.isNamed(stored.asText())) return false;
        try {
            return !Files.exists(Path.of(stored.asText()));
        } catch (java.nio.file.InvalidPathException e) {
            return true;
        }
    }

    private static String fieldOf(String option) {
        String[] words = option.substring(2).split("-");
        StringBuilder b = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        return b.toString();
    }

    private static boolean sameSetting(String field, com.fasterxml.jackson.databind.JsonNode a, com.fasterxml.jackson.databind.JsonNode b) {
        if (a == null || a.isNull() || b == null || b.isNull()) return (a == null || a.isNull()) == (b == null || b.isNull());
        if (a.isNumber() && b.isNumber()) return a.asDouble() == b.asDouble();
        if (field.equals("corpus")) {
            if (a.asText().equals(b.asText())) return true;
            try {
                return Files.exists(Path.of(a.asText())) && Files.exists(Path.of(b.asText()))
                        && Files.isSameFile(Path.of(a.asText()), Path.of(b.asText()));
            } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
                return false;
            }
        }
        return a.asText().equalsIgnoreCase(b.asText());
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode v) {
        return v == null || v.isNull() ? "(default)" : v.asText();
    }

    private static boolean holdsCheckpoint(Path dir) {
        for (String suffix : new String[] {"", ".new", ".prev"}) {
            if (Files.isRegularFile(Path.of(dir + suffix).resolve("config.json"))) return true;
        }
        return false;
    }

    /** A directory name a person would choose: the corpus's name, the model and its width. */
    private static String runName(Corpus c, TrainSettings s) {
        return safe(c.name().replaceFirst("\\.txt$", "")) + "-" + s.model() + "-h" + s.hidden();
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

    /** The shape {@link #newModel} builds, known before anything is allocated. */
    static ModelConfig modelShape(TrainSettings s, int vocab) {
        CellType cell = s.model().equals("scratch") ? CellType.RNN_TANH : cellOf(s.model());
        return new ModelConfig(cell, vocab, s.embed(), s.hidden(), s.layers(), s.bidirectional(), s.dropout());
    }

    private static CellType cellOf(String model) {
        try {
            return CellType.parse(model);
        } catch (IllegalArgumentException e) {
            throw new RnnlabException("unknown --model '" + model + "': use scratch, rnn, rnn_relu, gru or lstm");
        }
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
        CellType cell = cellOf(s.model());
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
}
