package dev.rnnlab.cli;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.bptt.AdaptiveTruncation;
import dev.rnnlab.dashboard.Dashboard;
import dev.rnnlab.data.CorpusChoice;
import dev.rnnlab.data.Dataset;
import dev.rnnlab.data.Sampling;
import dev.rnnlab.generate.Generator;
import dev.rnnlab.generate.Prompt;
import dev.rnnlab.generate.TokenSampler;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.io.CheckpointLock;
import dev.rnnlab.io.CheckpointSaver;
import dev.rnnlab.nn.Initialization;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.ModelKind;
import dev.rnnlab.nn.Regularization;
import dev.rnnlab.plot.TrainingCurveChart;
import dev.rnnlab.run.OptimizationSpec;
import dev.rnnlab.run.Recipe;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.run.TrainingRun;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Trainer;
import dev.rnnlab.train.TrainingConfig;
import dev.rnnlab.train.TrainingListener;
import dev.rnnlab.train.WeightAveraging;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
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
                + " clip 1, sequential partitioning, 500 epochs (--max-tokens 0 for the whole book). The Time Machine"
                + " ships with rnnlab, so this needs neither network nor cache.",
            "A text FILE given without model or optimisation options gets settings chosen for it and the time budget"
                + " instead (--recipe auto: a 2-layer LSTM, Adam with a cosine decay over --time-budget, default 5m, and"
                + " dropout as the text's size calls for); the first lines say what was chosen and why."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "A UTF-8 text file to train on, or a corpus directory made by rnnlab prepare.")
    Path file;

    @Mixin
    CorpusOptions corpusOptions;

    @Option(names = "--tokens", paramLabel = "char|word", defaultValue = "char", description = "Tokens (default: ${DEFAULT-VALUE}).")
    String tokens;

    @Option(names = "--min-freq", defaultValue = "0", description = "Tokens seen fewer times become <unk> (default: ${DEFAULT-VALUE}).")
    int minFreq;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Train on the first N tokens only, with the whole corpus's vocabulary (D2L's max_tokens); 0 = all."
                    + " Default: 10000 for The Time Machine's characters, as D2L's chapter 8 trains, else 0.")
    Integer maxTokens;

    @Option(names = "--model", paramLabel = "scratch|rnn|rnn_relu|gru|lstm|lstm_ln", defaultValue = "rnn",
            description = "scratch is D2L 8.5's from-scratch RNN; the others are the engine's layers, lstm_ln the layer-normalised"
                    + " LSTM (Ba et al. 2016) (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout between stacked layers, a new mask at every step (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--embedding-dropout", paramLabel = "P", defaultValue = "0",
            description = "AWD-LSTM: drop whole rows of the embedding (every occurrence of a token) per batch; needs --embed (default: ${DEFAULT-VALUE}).")
    float embeddingDropout;

    @Option(names = "--input-dropout", paramLabel = "P", defaultValue = "0",
            description = "AWD-LSTM: locked dropout on the embedded input, one mask per stream for all steps; needs --embed (default: ${DEFAULT-VALUE}).")
    float inputDropout;

    @Option(names = "--hidden-dropout", paramLabel = "P", defaultValue = "0",
            description = "AWD-LSTM: locked dropout between stacked layers (default: ${DEFAULT-VALUE}).")
    float hiddenDropout;

    @Option(names = "--output-dropout", paramLabel = "P", defaultValue = "0",
            description = "AWD-LSTM: locked dropout on the top layer's output (default: ${DEFAULT-VALUE}).")
    float outputDropout;

    @Option(names = "--ar", paramLabel = "ALPHA", defaultValue = "0",
            description = "AWD-LSTM's activation regularisation: ALPHA x mean of the squared (dropped) top outputs (default: ${DEFAULT-VALUE}).")
    float ar;

    @Option(names = "--weight-drop", paramLabel = "P", defaultValue = "0",
            description = "AWD-LSTM: DropConnect on the hidden-to-hidden weights, one mask per batch (default: ${DEFAULT-VALUE}).")
    float weightDrop;

    @Option(names = "--tie-weights", description = "AWD-LSTM: the output layer's weight is the embedding's (needs --embed equal to --hidden).")
    boolean tieWeights;

    @Option(names = "--tar", paramLabel = "BETA", defaultValue = "0",
            description = "AWD-LSTM's temporal activation regularisation: BETA x mean of (h_t - h_(t-1))^2 on the top layer (default: ${DEFAULT-VALUE}).")
    float tar;

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
            description = "Learning-rate schedule over the run: its epochs, or its --time-budget when that ends it sooner (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0", description = "Linear warm-up epochs (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--average", paramLabel = "off|nt[:N]|from:EPOCH|last:FRACTION", defaultValue = "off",
            description = "Average the weights from a point on (Polyak averaging): validation, checkpoints and the result use the"
                    + " average. nt[:N] is AWD-LSTM's NT-ASGD trigger (start when validation is worse than the best before the"
                    + " last N epochs, N = 5); last:F averages over the last fraction F of the run (default: ${DEFAULT-VALUE}).")
    String average;

    @Option(names = "--split", paramLabel = "TRAIN,VAL[,TEST]",
            description = "Contiguous split fractions, e.g. 0.9,0.1 (nanoGPT) or 0.95,0.05,0 (char-rnn); default: train on everything as D2L does.")
    String split;

    @Option(names = "--recipe", paramLabel = "auto|d2l",
            description = "auto: choose the model, regularisation and schedule for the text and the time budget (--time-budget,"
                    + " default 5m), keeping any option given; d2l: D2L's settings. Default: auto for a text FILE given without"
                    + " model or optimisation options, else d2l.")
    String recipe;

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

    @Option(names = "--shards", paramLabel = "N|auto", defaultValue = "auto",
            description = "Split each batch's streams across N threads, each with a replica of the model sharing its weights"
                    + " (data parallelism; engine models only). Default: ${DEFAULT-VALUE}, one shard per thread for models"
                    + " too narrow to split their hidden units between the threads (below LSTM-256 at batch 32) or whose"
                    + " output layer outweighs a recurrent layer (word models), else none.")
    String shards;

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

    @Option(names = "--sample-every", paramLabel = "EPOCHS", description = "Also sample from the prefixes every this many epochs while"
            + " training, into DIR/samples.jsonl (shown by the dashboard); default: about 50 times a run (D2L's every 10 of 500"
            + " epochs); 0 = only at the end.")
    Integer sampleEvery;

    @Option(names = "--dashboard", arity = "0..1", paramLabel = "PORT", fallbackValue = "-1",
            description = "Watch the run in a browser: serves a live dashboard on 127.0.0.1 (on PORT, or the first free port from "
                    + Dashboard.DEFAULT_PORT + ") and prints its address; it stays up after training until Ctrl-C. A port in use"
                    + " stops the run before it starts.")
    Integer dashboardPort;

    @Option(names = "--dashboard-host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address the dashboard binds (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 shows it to the network).")
    String dashboardHost;

    @Option(names = "--dashboard-exit", description = "Stop the dashboard when training ends, instead of serving the final state until Ctrl-C.")
    boolean dashboardExit;

    @Mixin
    EngineOptions engine;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--overwrite", description = "Start a new run in a --checkpoint directory that already holds one"
            + " (replaced at the first save); without it such a run is refused, so that no checkpoint is lost by mistake.")
    boolean overwrite;

    /**
     * The resume contract, part one: options that say how long and how fast to go on and how often to save,
     * not what is trained on what. Given with --resume, each is applied and printed.
     */
    private static final List<String> CHANGEABLE_ON_RESUME = List.of("--epochs", "--lr", "--schedule", "--warmup", "--clip",
            "--patience", "--save-every", "--save-minutes", "--max-memory");

    /** Part two: the options that make the run what it is; on resume each must equal the checkpoint's or be left out. */
    private static final List<Map.Entry<String, Function<RunSpec, Object>>> FIXED_ON_RESUME = List.of(
            Map.entry("--corpus", s -> s.data().corpus()), Map.entry("--tokens", s -> s.data().tokens().id()),
            Map.entry("--normalize", s -> s.data().normalize()), Map.entry("--min-freq", s -> s.data().minFreq()),
            Map.entry("--max-tokens", s -> s.data().maxTokens()), Map.entry("--model", s -> s.model().name()),
            Map.entry("--hidden", s -> s.model().hidden()), Map.entry("--layers", s -> s.model().layers()),
            Map.entry("--embed", s -> s.model().embed()), Map.entry("--bidirectional", s -> s.model().bidirectional()),
            Map.entry("--dropout", s -> s.model().dropout()), Map.entry("--batch", s -> s.data().batch()),
            Map.entry("--steps", s -> s.data().steps()), Map.entry("--sampling", s -> s.data().sampling().id()),
            Map.entry("--optimizer", s -> s.optimization().optimizer()),
            Map.entry("--weight-decay", s -> s.optimization().weightDecay()),
            Map.entry("--average", s -> s.optimization().averaging()), Map.entry("--split", s -> s.data().split()),
            Map.entry("--seed", s -> s.optimization().seed()), Map.entry("--init", s -> s.model().init().id()),
            Map.entry("--bptt", s -> s.bptt().strategy()),
            Map.entry("--embedding-dropout", s -> s.model().regularization().embeddingDropout()),
            Map.entry("--input-dropout", s -> s.model().regularization().inputDropout()),
            Map.entry("--hidden-dropout", s -> s.model().regularization().hiddenDropout()),
            Map.entry("--output-dropout", s -> s.model().regularization().outputDropout()),
            Map.entry("--ar", s -> s.model().regularization().activation()),
            Map.entry("--tar", s -> s.model().regularization().temporalActivation()),
            Map.entry("--tie-weights", s -> s.model().regularization().tieWeights()),
            Map.entry("--weight-drop", s -> s.model().regularization().weightDrop()));

    /** Options that choose the model or how it is fitted: giving any of them means choosing these by hand (no auto recipe). */
    private static final List<String> MODEL_AND_OPTIMISATION = List.of("--model", "--hidden", "--layers", "--embed", "--bidirectional",
            "--dropout", "--embedding-dropout", "--input-dropout", "--hidden-dropout", "--output-dropout", "--weight-drop", "--ar",
            "--tar", "--tie-weights", "--batch", "--steps", "--sampling", "--lr", "--clip", "--optimizer", "--weight-decay",
            "--schedule", "--warmup", "--bptt", "--init", "--average");

    private Recipe chosenRecipe;  // null: D2L's defaults fill what the options leave open
    private Gemm gemm;            // made by gemm()
    private double budgetSeconds;  // 0: none

    @Override
    public Integer call() {
        return keepServing(trainOnce(), spec.commandLine().getOut());
    }

    private int trainOnce() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        validateOptions();
        RunSpec given = specFromOptions();
        Gemm gemm = gemm();
        if (resume != null && checkpoint == null) checkpoint = resume;
        // the lock comes before anything is read or written, so a second run on the directory changes nothing
        CheckpointLock lock = checkpoint != null ? CheckpointLock.acquire(checkpoint) : null;
        try {
            Checkpoint.Loaded resumed = null;
            RunSpec s = given;
            if (resume != null) {
                resumed = Checkpoint.read(resume, gemm);
                if (!resumed.resumable()) {
                    throw new RnnlabException("checkpoint '" + resume + "' holds a model but no training state; it cannot be resumed"
                            + " (generate and eval can use it)");
                }
                RunSpec saved;
                try {
                    saved = RunSpec.of(resumed.info());
                } catch (RnnlabException e) {
                    throw new RnnlabException("checkpoint '" + resume + "' does not say how it was trained (config.json: training): "
                            + e.getMessage());
                }
                s = applyResumeOptions(saved, given, out);
            }
            String unit = s.data().tokens() == Tokenizer.CHAR ? "char" : "word";
            TrainingRun.Builder b = TrainingRun.builder(s).gemm(gemm).dataDir(corpusOptions.dataDir).resumeFrom(resumed).overwrite(overwrite)
                    .shards(shardCount()).timeBudgetSeconds(budgetSeconds).metricsLog(log)
                    .diagnostics(diagnostics ? probeSteps : 0).listener(new ConsoleProgress(out, Terminal.isInteractive(), unit))
                    .warnings(w -> {
                        err.println("rnnlab: " + w);
                        err.flush();
                    });
            if (checkpoint != null) b.checkpointDirectory(checkpoint).lockHeld(lock);
            else b.checkpointDirectoryUnder(Path.of("runs"));
            boolean bidirectional = s.model().bidirectional() || (resumed != null && resumed.model().config().bidirectional());
            if (sampleLength > 0 && !bidirectional && (sampleEvery == null || sampleEvery > 0)) {
                b.samples(new TrainingRun.Samples(prefixes == null ? List.of() : prefixes, sampleLength, sampleEvery == null ? 0 : sampleEvery));
            }
            try (TrainingRun run = b.build()) {
                if (dashboardPort != null) dashboard = startDashboard(run.checkpointDirectory().orElseThrow(), out);
                return train(out, err, gemm, run, unit);
            }
        } catch (RuntimeException | Error e) {
            if (dashboard != null) dashboard.close();
            throw e;
        } finally {
            if (lock != null) lock.close();
        }
    }

    /** After a run with {@code --dashboard}: serves the final state until Ctrl-C, the directory's lock released (it can be resumed). */
    private int keepServing(int code, PrintWriter out) {
        if (dashboard == null) return code;
        try {
            if (!dashboardExit) {
                out.println("training ended; the dashboard stays at " + dashboard.url() + " until Ctrl-C (--dashboard-exit: stop at once)");
                out.flush();
                awaitInterrupt();
            }
            return code;
        } finally {
            dashboard.close();
        }
    }

    private Dashboard dashboard;

    private Dashboard startDashboard(Path dir, PrintWriter out) {
        Dashboard.Builder d = Dashboard.builder().liveRun(dir).host(dashboardHost);
        if (dashboardPort >= 0) d.port(dashboardPort);
        Dashboard started = d.start();
        out.println("dashboard: " + started.url() + (dashboardHost.equals("127.0.0.1") ? "" : " (bound to " + dashboardHost
                + ": visible to other machines)"));
        out.flush();
        return started;
    }

    /** Serves until the user presses Ctrl-C (the JVM then exits; everything is saved already). */
    private static void awaitInterrupt() {
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int train(PrintWriter out, PrintWriter err, Gemm gemm, TrainingRun run, String unit) {
        RunSpec s = run.spec();
        Corpus c = run.corpus();
        CorpusChoice.Loaded loaded = run.source();
        LanguageModel m = run.model();
        Trainer trainer = run.trainer();
        Path dir = run.checkpointDirectory().orElseThrow();
        Path logFile = run.metricsLog().orElseThrow();
        Path plotFile = plot != null ? plot : dir.resolve("curve.png");
        if (chosenRecipe != null) {
            out.printf(Locale.ROOT, "recipe auto for this text and a %s budget (options given are kept; --recipe d2l for D2L's settings): %s%n",
                    timeBudget != null ? timeBudget : "5m (default)", chosenRecipe.describe());
            out.println("  why: " + String.join("; ", chosenRecipe.reasons()));
        }
        out.printf(Locale.ROOT, "corpus %s: %,d %s tokens%s, vocabulary %,d%s%n", loaded.source(), c.length(), unit,
                c.length() < loaded.corpus().length() ? String.format(Locale.ROOT, " (the first of %,d: --max-tokens %d; 0 for all)",
                        loaded.corpus().length(), s.data().maxTokens()) : "",
                c.vocabulary().size(), !s.data().hasSplit() ? "" : String.format(Locale.ROOT, "; split %s: train %,d, validation %,d",
                        s.data().split(), run.trainTokens().length(), run.validationTokens().length()));
        out.printf(Locale.ROOT, "model %s: %,d parameters; %s sampling, batch %d x %d steps (%d batches/epoch); %s; %s, lr %s (%s), clip %s; seed %d%n",
                describe(m, s), m.parameters().size(), run.strategy().wantsWholeSequence() ? "whole-stream" : s.data().sampling().id(),
                s.data().batch(), run.sampler().steps(), run.sampler().batchesPerEpoch(), run.strategy().describe(),
                run.optimizer().describe(), s.optimization().lr(), trainer.config().schedule().describe(), s.optimization().clip(),
                s.optimization().seed());
        out.println("cores: " + run.parallelism());
        if (loaded.hasKnownEntropyRate()) {
            out.printf(Locale.ROOT, "the corpus's true entropy rate is %.4f nats = %.4f bits per token: no model's perplexity can go below %.3f%n",
                    loaded.entropyRateNats(), loaded.entropyRateNats() / Math.log(2), Math.exp(loaded.entropyRateNats()));
        }
        if (run.resumed()) {
            out.printf(Locale.ROOT, "resuming %s after epoch %d of %d%n", resume, trainer.epochsDone(), s.optimization().epochs());
        }
        if (!(trainer.config().averaging() instanceof WeightAveraging.Off)) {
            out.printf("weight averaging: %s%s%n", trainer.config().averaging().describe(), trainer.averagingFrom() > 0
                    ? String.format(Locale.ROOT, ", averaging since epoch %d", trainer.averagingFrom()) : "");
            trainer.addListener(new TrainingListener() {
                private int announced = trainer.averagingFrom();

                @Override
                public void epochEnded(EpochMetrics e, Trainer t) {
                    if (announced == 0 && t.averagingFrom() > 0) {
                        announced = t.averagingFrom();
                        out.printf(Locale.ROOT, "  averaging the weights from epoch %d on: validation, checkpoints and the result use the average%n",
                                announced);
                    }
                }
            });
        }
        out.printf("checkpoints in %s, metrics in %s%n", dir, logFile);
        out.flush();
        if (run.strategy() instanceof AdaptiveTruncation adaptive) {
            trainer.addListener(new TrainingListener() {
                private int from;

                @Override
                public void epochStarted(int epoch, int batches) {
                    from = adaptive.chosenLengths().size();
                }

                @Override
                public void epochEnded(EpochMetrics e, Trainer t) {
                    List<Integer> k = adaptive.chosenLengths();
                    out.printf(Locale.ROOT, "  adaptive truncation: K chosen this epoch %s%n", k.subList(from, k.size()));
                }
            });
        }
        // the prefixes are read before training, so a bad one fails before anything is saved
        List<String> ps = prefixes != null ? prefixes : TrainingRun.Samples.defaultPrefixes(c);
        List<int[]> prompts = new ArrayList<>();
        if (!m.config().bidirectional() && sampleLength > 0) {
            List<String> warnings = new ArrayList<>();  // printed once every prefix is known good
            for (String p : ps) prompts.add(Prompt.encode(p, c.normalizer(), c.tokenizer(), c.vocabulary(), warnings::add));
            for (String w : warnings) err.println("rnnlab: " + w);
        }
        List<EpochMetrics> history;
        try {
            history = run.run();
        } finally {
            out.flush();
        }
        if (trainer.stoppedByTimeBudget()) {
            out.printf(Locale.ROOT, "stopped: the time budget of %s ran out during epoch %d%n", timeBudget, trainer.epochsDone());
        }
        writeCurve(plotFile, c.name() + ", " + describe(m, s), history);
        EpochMetrics last = history.getLast();
        out.printf(Locale.ROOT, "done: perplexity %.3f, %,.0f %ss/s on %s; checkpoint %s, curve %s%n", last.trainPerplexity(),
                last.tokensPerSecond(), unit, gemm.description(), dir, plotFile);
        if (run.bestEpoch() > 0 || (run.resumed() && last.hasValidation())) {
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
                StringBuilder text = new StringBuilder(ps.get(i));
                g.generate(prompts.get(i), sampleLength, TokenSampler.greedy(), new Rng(s.optimization().seed()),
                        t -> text.append(Prompt.render(t, c.tokenizer(), c.vocabulary())));
                out.println("sample: " + text.toString().replace("\n", "\\n"));
            }
        }
        out.flush();
        return 0;
    }

    /** --shards as the library takes it: 0 for auto (chosen for the model), else the count. */
    private int shardCount() {
        return shards.equalsIgnoreCase("auto") ? 0 : EngineOptions.count(shards, "--shards");
    }

    /** The options the library does not check (how to run, not what): each is checked before any work. */
    private void validateOptions() {
        // the library reads -1 as "the corpus's default"; typed here it is a mistake, not a request
        require(epochs == null || epochs >= 1, "--epochs must be >= 1, got " + epochs);
        require(maxTokens == null || maxTokens >= 0, "--max-tokens must be >= 0 (0 = all tokens), got " + maxTokens);
        require(shardCount() == 0 || batch < 1 || shardCount() <= batch,
                "--shards " + shards + " is more than the batch of " + batch + " streams to split");
        require(probeSteps >= 1, "--probe-steps must be >= 1, got " + probeSteps);
        require(sampleLength >= 0, "--sample-length must be >= 0 (0 = no samples), got " + sampleLength);
        require(sampleEvery == null || sampleEvery >= 0, "--sample-every must be >= 0 (0 = only at the end), got " + sampleEvery);
        require(dashboardPort == null || dashboardPort >= -1 && dashboardPort <= 65_535,
                "--dashboard PORT must be in 0..65535 (0: any free port), got " + dashboardPort);
        require(!dashboardExit || dashboardPort != null, "--dashboard-exit goes with --dashboard");
        if (timeBudget != null) parseDuration(timeBudget);
        if (checkpoint != null && Files.isRegularFile(checkpoint)) {
            throw new RnnlabException("--checkpoint '" + checkpoint + "' is a file, not a directory; choose another path");
        }
        if (resume != null && !Files.exists(resume) && !Files.exists(Path.of(resume + ".new")) && !Files.exists(Path.of(resume + ".prev"))) {
            throw new RnnlabException("--resume '" + resume + "': no such checkpoint directory");
        }
        if (overwrite && resume != null) throw new RnnlabException("--overwrite starts a new run; it cannot go with --resume");
        if (file != null && corpusOptions.corpus != null) throw new RnnlabException("give either FILE or --corpus, not both");
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new RnnlabException(message);
    }

    /** The run the options describe; a bad value is reported under its option's name. */
    private RunSpec specFromOptions() {
        Sampling samplingKind = switch (sampling.toLowerCase(Locale.ROOT)) {
            case "sequential" -> Sampling.SEQUENTIAL;
            case "random" -> Sampling.RANDOM;
            default -> throw new RnnlabException("unknown --sampling '" + sampling + "': use sequential or random");
        };
        Initialization initKind = switch (init.toLowerCase(Locale.ROOT)) {
            case "auto" -> Initialization.AUTO;
            case "d2l" -> Initialization.D2L;
            case "pytorch" -> Initialization.PYTORCH;
            default -> throw new RnnlabException("unknown --init '" + init + "': use auto, d2l or pytorch");
        };
        RunSpec.Builder b = corpusOptions.applyTo(RunSpec.builder(), file).tokens(corpusOptions.tokens(file, tokens, spec)).minFreq(minFreq)
                    .maxTokens(maxTokens == null ? RunSpec.CORPUS_DEFAULT : maxTokens).split(split == null ? "" : split)
                    .sampling(samplingKind).batch(batch).steps(steps)
                    .hidden(hidden).layers(layers)
                    .embed(embed).bidirectional(bidirectional).dropout(dropout).init(initKind)
                    .regularization(Regularization.builder().embeddingDropout(embeddingDropout).inputDropout(inputDropout)
                            .hiddenDropout(hiddenDropout).outputDropout(outputDropout).weightDrop(weightDrop).activation(ar)
                            .temporalActivation(tar).tieWeights(tieWeights).build())
                    .optimizer(optimizer).weightDecay(weightDecay).lr(lr).schedule(schedule).warmup(warmup).clip(clip)
                    .averaging(average)
                    .epochs(epochs == null ? RunSpec.CORPUS_DEFAULT : epochs).patience(patience).seed(seed)
                    .bptt(bptt).maxMemory(maxMemory).saveEvery(saveEvery).saveMinutes(saveMinutes);
        SpecOptions.model(b, model);
        budgetSeconds = timeBudget == null ? 0 : parseDuration(timeBudget);
        chosenRecipe = recipeFor();
        if (chosenRecipe != null) {
            var parsed = spec.commandLine().getParseResult();
            chosenRecipe.applyTo(b, parsed::hasMatchedOption);
            if (budgetSeconds == 0) budgetSeconds = Recipe.DEFAULT_BUDGET_SECONDS;
        }
        return SpecOptions.build(b);
    }

    /** The auto recipe when --recipe auto says so, or by default for a text file given without model or optimisation options. */
    private Recipe recipeFor() {
        String r = recipe == null ? "" : recipe.toLowerCase(Locale.ROOT);
        if (!r.isEmpty() && !r.equals("auto") && !r.equals("d2l")) throw new RnnlabException("unknown --recipe '" + recipe + "': use auto or d2l");
        if (resume != null || r.equals("d2l")) return null;
        Path text = file != null ? file : corpusOptions.corpus != null && !Dataset.isNamed(corpusOptions.corpus) ? Path.of(corpusOptions.corpus) : null;
        boolean textFile = text != null && Files.isRegularFile(text);
        if (r.isEmpty()) {
            var parsed = spec.commandLine().getParseResult();
            if (!textFile || MODEL_AND_OPTIMISATION.stream().anyMatch(parsed::hasMatchedOption)) return null;
        } else if (!textFile) {
            throw new RnnlabException("--recipe auto sizes the model by the text: give a text FILE (not a named corpus or a prepared directory)");
        }
        long size;
        try {
            size = Files.size(text);  // bytes: the characters of ASCII text, an upper bound for UTF-8
        } catch (java.io.IOException e) {
            return null;  // unreadable: reading the corpus reports it
        }
        long tokens = Math.max(2, maxTokens != null && maxTokens > 0 ? Math.min(maxTokens, size) : size);
        double budget = budgetSeconds > 0 ? budgetSeconds : Recipe.DEFAULT_BUDGET_SECONDS;
        // the speed of this machine, not an assumed one: machines differ by 2x; a 100th of the budget, 0.5-2 s
        double probeSeconds = Math.clamp(budget / 100, 0.5, 2.0);
        return Recipe.forText(tokens, budget, h -> Recipe.measureThroughput(h, gemm(), probeSeconds));
    }

    /** The GEMM of this run, made (and named on stderr) once, when the recipe's speed probe or the run first needs it. */
    private Gemm gemm() {
        if (gemm == null) gemm = engine.gemm();
        return gemm;
    }

    /**
     * The resume contract: the options of {@link #CHANGEABLE_ON_RESUME} are applied and printed; any of
     * {@link #FIXED_ON_RESUME} given with a value other than the checkpoint's is an error listing each.
     */
    private RunSpec applyResumeOptions(RunSpec saved, RunSpec given, PrintWriter out) {
        var parsed = spec.commandLine().getParseResult();
        List<String> differences = new ArrayList<>();
        boolean corpusGiven = file != null || corpusOptions.corpus != null;
        boolean corpusMoved = corpusGiven && movedCorpus(saved.data().corpus());
        for (Map.Entry<String, Function<RunSpec, Object>> option : FIXED_ON_RESUME) {
            boolean matched = option.getKey().equals("--corpus") ? corpusGiven : parsed.hasMatchedOption(option.getKey());
            if (!matched) continue;
            if (option.getKey().equals("--corpus") && corpusMoved) continue;  // the sha256 check still applies
            Object now = option.getValue().apply(given), was = option.getValue().apply(saved);
            if (!sameSetting(option.getKey(), now, was)) {
                differences.add(option.getKey() + " " + text(now) + " (the checkpoint's: " + text(was) + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new RnnlabException("--resume continues the run as it was; these options differ from the checkpoint's: "
                    + String.join(", ", differences) + "; leave them out, or start a new run with another --checkpoint");
        }
        RunSpec.Builder b = saved.toBuilder();
        if (corpusMoved) b.corpus(given.data().corpus());
        List<String> changes = new ArrayList<>();
        OptimizationSpec o = given.optimization(), was = saved.optimization();
        for (String option : CHANGEABLE_ON_RESUME) {
            if (!parsed.hasMatchedOption(option)) continue;
            Object[] nowAndThen = switch (option) {
                case "--epochs" -> new Object[] {o.epochs(), was.epochs()};
                case "--lr" -> new Object[] {o.lr(), was.lr()};
                case "--schedule" -> new Object[] {o.schedule(), was.schedule()};
                case "--warmup" -> new Object[] {o.warmup(), was.warmup()};
                case "--clip" -> new Object[] {o.clip(), was.clip()};
                case "--patience" -> new Object[] {o.patience(), was.patience()};
                case "--save-every" -> new Object[] {given.checkpoint().saveEvery(), saved.checkpoint().saveEvery()};
                case "--save-minutes" -> new Object[] {given.checkpoint().saveMinutes(), saved.checkpoint().saveMinutes()};
                case "--max-memory" -> new Object[] {given.bptt().maxMemoryBytes(), saved.bptt().maxMemoryBytes()};
                default -> throw new IllegalStateException(option);
            };
            if (sameSetting(option, nowAndThen[0], nowAndThen[1])) continue;
            changes.add(option + " " + text(nowAndThen[0]) + " (was " + text(nowAndThen[1]) + ")");
            switch (option) {
                case "--epochs" -> b.epochs(o.epochs());
                case "--lr" -> b.lr(o.lr());
                case "--schedule" -> b.schedule(o.schedule());
                case "--warmup" -> b.warmup(o.warmup());
                case "--clip" -> b.clip(o.clip());
                case "--patience" -> b.patience(o.patience());
                case "--save-every" -> b.saveEvery(given.checkpoint().saveEvery());
                case "--save-minutes" -> b.saveMinutes(given.checkpoint().saveMinutes());
                case "--max-memory" -> b.maxMemory(maxMemory);
                default -> throw new IllegalStateException(option);
            }
        }
        if (!changes.isEmpty()) out.println("resume with " + String.join(", ", changes));
        return b.build();
    }

    /** The checkpoint's corpus was a file that is no longer there: a copy given now is checked by its sha256. */
    private static boolean movedCorpus(String stored) {
        if (stored.isEmpty() || Dataset.isNamed(stored)) return false;
        try {
            return !Files.exists(Path.of(stored));
        } catch (java.nio.file.InvalidPathException e) {
            return true;
        }
    }

    private static boolean sameSetting(String option, Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        String s = String.valueOf(a), t = String.valueOf(b);
        if (option.equals("--corpus")) {
            if (s.equals(t)) return true;
            try {
                return !s.isEmpty() && !t.isEmpty() && Files.exists(Path.of(s)) && Files.exists(Path.of(t))
                        && Files.isSameFile(Path.of(s), Path.of(t));
            } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
                return false;
            }
        }
        return s.equalsIgnoreCase(t);
    }

    private static String text(Object v) {
        String s = String.valueOf(v);
        return v == null || s.isEmpty() || (v instanceof Integer i && i == RunSpec.CORPUS_DEFAULT) ? "(default)" : s;
    }

    /** "90s", "10m", "1.5h" or plain seconds. */
    static double parseDuration(String text) {
        return TrainingConfig.parseDuration(text, "--time-budget");
    }

    static String describe(LanguageModel m, RunSpec s) {
        ModelConfig c = m.config();
        if (s.model().kind() == ModelKind.SCRATCH) return "scratch RNN (D2L 8.5), hidden " + c.hidden();
        return String.format(Locale.ROOT, "%s%s, %d layer%s x %d hidden, %s input%s", c.bidirectional() ? "bidirectional " : "",
                c.cell().label(), c.layers(), c.layers() > 1 ? "s" : "", c.hidden(), c.embed() > 0 ? c.embed() + "-d embedding" : "one-hot",
                c.dropout() > 0 ? ", dropout " + c.dropout() : "") + (c.regularization().any() ? ", " + c.regularization().describe() : "");
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
}
