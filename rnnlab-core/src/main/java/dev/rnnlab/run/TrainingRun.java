package dev.rnnlab.run;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.RnnlabVersion;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.data.CorpusChoice;
import dev.rnnlab.data.Dataset;
import dev.rnnlab.data.Sampling;
import dev.rnnlab.data.SequenceSampler;
import dev.rnnlab.data.Split;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.generate.TrainingSamples;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.io.CheckpointLock;
import dev.rnnlab.io.CheckpointSaver;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.MemoryBudget;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.ModelKind;
import dev.rnnlab.nn.Models;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.tensor.WorkerTeam;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.TokenSequence;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.GradientDiagnostics;
import dev.rnnlab.train.JsonLinesLog;
import dev.rnnlab.train.StepLog;
import dev.rnnlab.train.LearningRateSchedule;
import dev.rnnlab.train.Optimizer;
import dev.rnnlab.train.Trainer;
import dev.rnnlab.train.TrainingConfig;
import dev.rnnlab.train.TrainingDivergedException;
import dev.rnnlab.train.TrainingListener;
import dev.rnnlab.train.WeightAveraging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A training run assembled from a {@link RunSpec}: the corpus loaded, cut and checked, the model built (or
 * taken from the checkpoint it resumes), the sampler, strategy, optimizer and {@link Trainer} made, and the
 * listeners attached in the order that keeps checkpoints safe (progress, then the checkpoint saver, whose
 * health check stops a diverged run before the log line and the save, then the JSON-lines log, then
 * diagnostics). {@code rnnlab train} and {@code rnnlab bptt compare} are thin layers over it, and a Spark
 * executor builds one from the same description.
 *
 * <p>With a checkpoint directory the run holds that directory's lock from {@link Builder#build()} to
 * {@link #close()}, refuses to start over a checkpoint it was not told to replace, and saves as the spec's
 * {@link CheckpointSpec} says. Without one it writes nothing.
 */
public final class TrainingRun implements AutoCloseable {
    private final RunSpec spec;
    private final CorpusChoice.Loaded source;
    private final Corpus corpus;
    private final TokenSequence train, validation;
    private final BpttStrategy strategy;
    private final SequenceSampler sampler;
    private final LanguageModel model;
    private final Optimizer optimizer;
    private final Trainer trainer;
    private final Path directory;  // null: nothing is saved
    private final Path metricsLog;  // null: no log
    private final CheckpointSaver saver;  // null without a directory
    private final CheckpointLock ownLock;  // null when the caller holds it, or without a directory
    private final boolean resumed;
    private final int shards;
    private final String parallelism;

    /** The run's state and description in its directory (see {@link #run()}). */
    public static final String STATUS_FILE = "run.json";
    /** The batches' log in the run's directory ({@link StepLog}). */
    public static final String STEPS_LOG = "steps.jsonl";
    /** The samples taken during training ({@link TrainingSamples}). */
    public static final String SAMPLES_LOG = "samples.jsonl";
    private static final ObjectMapper STATUS_JSON = new ObjectMapper();
    private double startedAt;
    private boolean statusWritten;

    /**
     * Samples during training: every {@code everyEpochs} epochs (and after the last), {@code length} tokens
     * greedily continued from each prefix; no prefixes: {@link #defaultPrefixes}; every 0: {@link #autoEvery}.
     */
    public record Samples(List<String> prefixes, int length, int everyEpochs) {
        /** Checks the bounds. */
        public Samples {
            prefixes = List.copyOf(prefixes);
            if (length < 1) throw new RnnlabException("sample length must be >= 1, got " + length);
            if (everyEpochs < 0) throw new RnnlabException("samples every N epochs needs N >= 1 (0: automatic), got " + everyEpochs);
        }

        /** About 50 samplings over the run, as D2L's every 10 of 500 epochs: max(1, round(epochs / 50)). */
        public static int autoEvery(int epochs) {
            return Math.max(1, Math.round(epochs / 50f));
        }

        /** D2L's prefixes for The Time Machine ('time traveller', 'traveller'); else the corpus's first words. */
        public static List<String> defaultPrefixes(Corpus c) {
            if (c.name().startsWith("timemachine")) return List.of("time traveller", "traveller");
            StringBuilder b = new StringBuilder();
            // the first few tokens only: the corpus may be a token file larger than memory
            for (int i = 0; i < Math.min(c.length(), c.tokenizer() == Tokenizer.CHAR ? 10 : 2); i++) {
                if (c.tokenizer() == Tokenizer.WORD && i > 0) b.append(' ');
                b.append(c.vocabulary().tokenOf(c.tokens().get(i)));
            }
            return List.of(b.toString());
        }
    }

    private TrainingRun(Builder b) {
        RunSpec requested = b.spec;
        CheckpointLock lock = null;
        try {
            // data
            DataSpec d = requested.data();
            source = b.corpus != null ? b.corpus : load(d, b);
            spec = requested.resolvedFor(!source.hasKnownEntropyRate() && d.tokens() == Tokenizer.CHAR
                    && source.corpus().name().equals(Dataset.TIMEMACHINE.fileName()));
            d = spec.data();
            Corpus whole = d.maxTokens() > 0 ? source.corpus().firstTokens(d.maxTokens()) : source.corpus();
            // with a split, the vocabulary is the training part's (held-out tokens it never saw are <unk>, as
            // for the n-gram models); minFreq drops rarer tokens
            long trainLength = d.hasSplit() ? Split.parse(d.split()).trainingLength(whole.length()) : whole.length();
            corpus = d.hasSplit() || d.minFreq() > 0 ? whole.withVocabularyOfFirst(trainLength, d.minFreq()) : whole;
            if (corpus.vocabulary().size() < 2) {
                throw new RnnlabException("the vocabulary is only <unk>: no token of the training text occurs " + d.minFreq()
                        + " times (--min-freq); lower --min-freq");
            }
            Split.Slices parts = d.hasSplit() ? Split.parse(d.split()).slice(corpus.tokens()) : null;
            if (b.resumeFrom != null) checkSameCorpus(b.resumeFrom, corpus);
            train = parts == null ? corpus.tokens() : parts.train();
            validation = parts == null ? corpus.tokens().slice(0, 0) : parts.validation();
            if (train.length() < 2) throw new RnnlabException("the training text has " + train.length() + " token(s); it needs at least 2");
            strategy = spec.bptt().newStrategy();
            sampler = (strategy.wantsWholeSequence() ? Sampling.WHOLE_STREAM : d.sampling()).over(train, d.batch(), d.steps());

            // where it goes: locked before the first write
            directory = b.directory != null ? b.directory : b.directoryRoot != null ? b.directoryRoot.resolve(defaultName()) : null;
            if (directory != null && b.heldLock == null) lock = CheckpointLock.acquire(directory);
            if (directory != null && b.resumeFrom == null && !b.overwrite && holdsCheckpoint(directory)) {
                throw new RnnlabException("'" + directory + "' holds a checkpoint already: continue it with --resume " + directory
                        + " --epochs N, or start over with --overwrite (or give another --checkpoint)");
            }

            // model: its memory is checked before it is allocated
            ModelSpec ms = spec.model();
            ModelConfig shape = b.resumeFrom != null ? b.resumeFrom.model().config() : ms.config(corpus.vocabulary().size());
            boolean engine = b.resumeFrom != null ? b.resumeFrom.model() instanceof RecurrentLanguageModel : ms.kind() == ModelKind.ENGINE;
            shards = b.shards > 0 ? b.shards : (engine ? Models.automaticShards(shape, d.batch(), b.gemm) : 1);
            WorkerTeam team = b.gemm.team();
            parallelism = shards > 1 ? shards + " shards of the batch (" + d.batch() + " streams), one thread each"
                    : team != null && engine && Models.splitsTimeLoops(shape, d.batch(), team.size())
                    ? team.size() + " threads, each recurrent layer's hidden units split between them" : "one thread";
            MemoryBudget.require(shape, MemoryBudget.trainingBytes(shape, spec.optimization().stateSlots(), shards,
                    sampler.steps(), d.batch()), "the model");
            LanguageModel m = b.resumeFrom != null ? b.resumeFrom.model()
                    : Models.initialized(ms.kind(), shape, ms.init(), spec.optimization().seed(), b.gemm);
            model = Models.sharded(m, shards, b.gemm);
            OptimizationSpec o = spec.optimization();
            optimizer = Optimizer.parse(o.optimizer(), o.weightDecay(), model.parameters().size());
            TrainingConfig tc = new TrainingConfig(o.epochs(), o.lr(), LearningRateSchedule.parse(o.schedule()).withWarmup(o.warmup()),
                    o.clip(), o.patience(), o.seed(), b.timeBudgetSeconds, WeightAveraging.parse(o.averaging()));
            trainer = new Trainer(model, sampler, validation, tc, optimizer, strategy);
            resumed = b.resumeFrom != null;
            if (resumed) {
                optimizer.restore(b.resumeFrom.optimizerState(), b.resumeFrom.optimizerSteps());
                trainer.restore(b.resumeFrom.progress(), b.resumeFrom.optimizerState());
                if (trainer.epochsDone() >= o.epochs()) {
                    throw new RnnlabException("checkpoint '" + b.resumeFrom.directory() + "' has already trained " + trainer.epochsDone()
                            + " of " + o.epochs() + " epochs; pass --epochs N with N > " + trainer.epochsDone() + " to continue");
                }
            }

            // listeners: progress first; the saver's health check comes before the log line, so an epoch
            // that diverged is neither saved nor logged
            // run.json says "running" once the first batch has trained: a run that fails before that (a bad
            // option found late, a diverged first batch) leaves the directory exactly as it was
            trainer.addListener(new TrainingListener() {
                @Override
                public void batchEnded(int batch, double loss, double gradNorm) {
                    if (!statusWritten) writeStatus("running", "");
                }
            });
            for (TrainingListener l : b.listeners) trainer.addListener(l);
            if (directory != null) {
                saver = new CheckpointSaver(directory, checkpointInfo(), corpus.vocabulary(), spec.checkpoint().saveEvery(),
                        spec.checkpoint().saveMinutes(), CheckpointSaver.probeOf(validation.length() >= 2 ? validation : train,
                        d.batch(), sampler.steps()));
                trainer.addListener(saver);
            } else {
                saver = null;
            }
            metricsLog = b.metricsLog != null ? b.metricsLog : directory != null ? directory.resolve("metrics.jsonl") : null;
            if (metricsLog != null) {
                requireWritable(metricsLog);
                trainer.addListener(new JsonLinesLog(metricsLog));
            }
            if (directory != null) trainer.addListener(new StepLog(directory.resolve(STEPS_LOG)));
            if (b.samples != null) {
                if (directory == null) throw new RnnlabException("samples during training are written into the checkpoint directory; give one");
                if (model.config().bidirectional()) throw new RnnlabException("a bidirectional model cannot generate, so it has no samples");
                List<String> prefixes = b.samples.prefixes().isEmpty() ? Samples.defaultPrefixes(corpus) : b.samples.prefixes();
                int every = b.samples.everyEpochs() > 0 ? b.samples.everyEpochs() : Samples.autoEvery(o.epochs());
                trainer.addListener(new TrainingSamples(directory.resolve(SAMPLES_LOG), corpus, prefixes, b.samples.length(), every));
            }
            if (b.diagnosticsProbeSteps > 0) {
                if (directory == null) throw new RnnlabException("gradient diagnostics are written into the checkpoint directory; give one");
                trainer.addListener(new GradientDiagnostics(directory.resolve("diagnostics"), train, Math.min(8, d.batch()),
                        b.diagnosticsProbeSteps, o.clip()));
            }
            ownLock = lock;
        } catch (RuntimeException | Error e) {
            if (lock != null) lock.close();
            throw e;
        }
    }

    /** A builder for a run of {@code spec}; everything else has a default (pure-Java-or-OpenBLAS GEMM, nothing saved). */
    public static Builder builder(RunSpec spec) {
        return new Builder(spec);
    }

    /**
     * Trains to the end (the spec's epochs, early stopping or the time budget) and returns every epoch's
     * metrics. A diverged run stops with a one-line {@link RnnlabException} that says which checkpoint
     * holds the last healthy epoch.
     */
    public List<EpochMetrics> run() {
        try {
            List<EpochMetrics> history = trainer.run();
            writeStatus("finished", trainer.stoppedEarly() ? "stopped early: no better validation loss for "
                    + spec.optimization().patience() + " epochs" : trainer.stoppedByTimeBudget() ? "the time budget ran out"
                    : "all " + spec.optimization().epochs() + " epochs");
            return history;
        } catch (TrainingDivergedException e) {
            writeStatusAfterFailure("diverged", e.getMessage());
            if (saver == null) throw e;
            throw new RnnlabException(e.getMessage() + "; " + (saver.savedEpoch() > 0
                    ? "the checkpoint in " + directory + " holds epoch " + saver.savedEpoch() + ", from before it diverged"
                    : "no checkpoint was written") + (saver.bestEpoch() > 0 ? ", the best in "
                    + directory.resolve(CheckpointSaver.BEST) + " epoch " + saver.bestEpoch() : ""));
        } catch (RuntimeException | Error e) {
            writeStatusAfterFailure("failed", String.valueOf(e.getMessage()));
            throw e;
        }
    }

    /** As {@link #writeStatus}, where the failure being reported matters more than a status that could not be written. */
    private void writeStatusAfterFailure(String status, String outcome) {
        if (!statusWritten) return;  // nothing was trained: the directory stays as it was
        try {
            writeStatus(status, outcome);
        } catch (RnnlabException e) {
            // the disk that broke the run may refuse this too; the run's own error is the one to report
        }
    }

    /**
     * {@code DIR/run.json}: what is trained (the checkpoint's info: version, model, corpus provenance, spec),
     * by which process, and how it stands: running, finished, diverged or failed, with why. Written after the
     * first batch and when the run ends (atomically), so a reader such as the dashboard knows a run in progress
     * from a finished one, and one whose process is gone (killed) from both.
     */
    private void writeStatus(String status, String outcome) {
        if (directory == null) return;
        ObjectNode o = STATUS_JSON.createObjectNode().put("status", status).put("outcome", outcome)
                .put("pid", ProcessHandle.current().pid()).put("time", System.currentTimeMillis() / 1000.0);
        if (startedAt == 0) startedAt = System.currentTimeMillis() / 1000.0;
        o.put("started", startedAt).put("epochs", spec.optimization().epochs()).put("resumed", resumed);
        o.set("info", STATUS_JSON.valueToTree(checkpointInfo()));
        statusWritten = true;
        Path file = directory.resolve(STATUS_FILE), tmp = directory.resolve(STATUS_FILE + ".tmp");
        try {
            Files.createDirectories(directory);
            STATUS_JSON.writeValue(tmp.toFile(), o);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new RnnlabException("cannot write '" + file + "': " + dev.rnnlab.io.IoErrors.describeWrite(file, e));
        }
    }

    /** The spec as run: {@link RunSpec#CORPUS_DEFAULT} resolved for the corpus. */
    public RunSpec spec() {
        return spec;
    }

    /** The corpus as loaded, with where it came from. */
    public CorpusChoice.Loaded source() {
        return source;
    }

    /** The corpus trained on: {@code maxTokens} applied, with the training part's vocabulary when split. */
    public Corpus corpus() {
        return corpus;
    }

    /** The training tokens (a view of the corpus). */
    public TokenSequence trainTokens() {
        return train;
    }

    /** The validation tokens (a view of the corpus); empty without a split. */
    public TokenSequence validationTokens() {
        return validation;
    }

    /** The model being trained (sharded when asked). */
    public LanguageModel model() {
        return model;
    }

    /** The training loop; add listeners here before {@link #run()} if they need not come before the saver. */
    public Trainer trainer() {
        return trainer;
    }

    /** The batches, as the strategy needs them. */
    public SequenceSampler sampler() {
        return sampler;
    }

    /** The BPTT strategy, this run's own instance. */
    public BpttStrategy strategy() {
        return strategy;
    }

    /** The optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Whether this run continues a checkpoint. */
    public boolean resumed() {
        return resumed;
    }

    /** Where checkpoints go; empty when nothing is saved. */
    public Optional<Path> checkpointDirectory() {
        return Optional.ofNullable(directory);
    }

    /** Where each epoch's metrics go as a JSON line; empty when they are not logged. */
    public Optional<Path> metricsLog() {
        return Optional.ofNullable(metricsLog);
    }

    /** The epoch of the last checkpoint this run saved, or -1. */
    public int savedEpoch() {
        return saver == null ? -1 : saver.savedEpoch();
    }

    /** The epoch of the best-by-validation checkpoint this run saved, or -1. */
    public int bestEpoch() {
        return saver == null ? -1 : saver.bestEpoch();
    }

    /** Releases the checkpoint directory's lock (when this run took it) and the shard threads. */
    @Override
    public void close() {
        if (model instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // worker threads are daemons; nothing else to release
            }
        }
        if (ownLock != null) ownLock.close();
    }

    /** The metrics log can be appended to (it, or the directory it goes in, is writable), checked before any training. */
    private static void requireWritable(Path log) {
        Path abs = log.toAbsolutePath();
        if (Files.isDirectory(abs)) throw new RnnlabException("the metrics log '" + log + "' is a directory; give a file (--log FILE)");
        if (Files.exists(abs)) {
            if (!Files.isWritable(abs)) throw new RnnlabException("cannot append to the metrics log '" + log + "': permission denied");
            return;
        }
        for (Path up = abs.getParent(); up != null; up = up.getParent()) {
            if (!Files.exists(up)) continue;
            if (!Files.isDirectory(up)) {
                throw new RnnlabException("cannot write the metrics log '" + log + "': '" + up + "' is a file, not a directory; give another --log");
            }
            if (!Files.isWritable(up)) throw new RnnlabException("cannot write the metrics log '" + log + "': '" + up + "' is not writable");
            return;
        }
    }

    /** A directory name a person would choose: the corpus's name, the model and its width. */
    private String defaultName() {
        return directoryName(source.corpus().name(), spec.model().name(), spec.model().hidden());
    }

    /**
     * {@code CORPUS-MODEL-hHIDDEN} with the corpus file's extension dropped and every run of characters a
     * shell or file system might trip on made one hyphen: {@code "My Notes (v2).txt"} gives
     * {@code My-Notes-v2-lstm-h256}.
     */
    public static String directoryName(String corpusName, String model, int hidden) {
        String stem = corpusName.replaceFirst("\\.[A-Za-z0-9]{1,5}$", "")
                .replaceAll("[^A-Za-z0-9._]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        return (stem.isEmpty() ? "corpus" : stem) + "-" + model + "-h" + hidden;
    }

    private Checkpoint.Info checkpointInfo() {
        Checkpoint.Provenance provenance = new Checkpoint.Provenance(corpus.name(), corpus.sha256(), corpus.normalizer().id(),
                corpus.tokenizer().id(), corpus.length(), corpus.vocabulary().sha256());
        return new Checkpoint.Info(RnnlabVersion.get(), Models.kindOf(model).id(), model.config(), provenance, spec.toJson());
    }

    private static CorpusChoice.Loaded load(DataSpec d, Builder b) {
        if (d.corpus().isEmpty()) return CorpusChoice.load(Dataset.TIMEMACHINE, b.dataDir, d.normalizer(), d.tokens());
        return CorpusChoice.load(d.corpus(), b.dataDir, d.normalizer(), d.tokens());
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

    private static boolean holdsCheckpoint(Path dir) {
        for (String suffix : new String[] {"", ".new", ".prev"}) {
            if (Files.isRegularFile(Path.of(dir + suffix).resolve("config.json"))) return true;
        }
        return false;
    }

    /** How many shards the batch is split into (1: not sharded). */
    public int shards() {
        return shards;
    }

    /** How the run uses the cores, in words, e.g. "2 threads, each recurrent layer's hidden units split between them". */
    public String parallelism() {
        return parallelism;
    }

    /** The choices around a run that do not change what is trained: compute, output, resumption. */
    public static final class Builder {
        private final RunSpec spec;
        private Gemm gemm;
        private Path dataDir, directory, directoryRoot, metricsLog;
        private CheckpointLock heldLock;
        private Checkpoint.Loaded resumeFrom;
        private CorpusChoice.Loaded corpus;
        private boolean overwrite;
        private int shards, diagnosticsProbeSteps;  // shards 0: chosen by automaticShards
        private double timeBudgetSeconds;
        private Samples samples;
        private Consumer<String> warnings = w -> { };
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(RunSpec spec) {
            this.spec = Objects.requireNonNull(spec, "spec");
        }

        /**
         * The matrix-product backend and its threads (default: {@link Gemm#allCores()}, oneDNN when its
         * natives load, else OpenBLAS, else pure Java, on every core this JVM may use, fp32). For bf16 training give
         * {@code Gemm.create(Gemm.Backend.AUTO, Gemm.Precision.BF16, threads, false)}.
         */
        public Builder gemm(Gemm g) { gemm = g; return this; }

        /** The corpus cache directory (default: {@code $RNNLAB_DATA}, else {@code ~/.cache/rnnlab}). */
        public Builder dataDir(Path dir) { dataDir = dir; return this; }

        /** Use this corpus instead of loading the spec's (a Spark executor's tokens, or one corpus for several runs). */
        public Builder corpus(CorpusChoice.Loaded loaded) { corpus = loaded; return this; }

        /** Save checkpoints, the metrics log and diagnostics into {@code dir}. */
        public Builder checkpointDirectory(Path dir) { directory = dir; return this; }

        /** Save into a directory under {@code root} named after the corpus and model, e.g. {@code runs/timemachine-lstm-h256}. */
        public Builder checkpointDirectoryUnder(Path root) { directoryRoot = root; return this; }

        /** The caller already holds the checkpoint directory's lock (taken before it read the checkpoint it resumes). */
        public Builder lockHeld(CheckpointLock lock) { heldLock = lock; return this; }

        /** Start over in a directory that holds a checkpoint (replaced at the first save); refused otherwise. */
        public Builder overwrite(boolean replace) { overwrite = replace; return this; }

        /** Continue this checkpoint: its model, optimizer state and progress; the corpus must be the same. */
        public Builder resumeFrom(Checkpoint.Loaded checkpoint) { resumeFrom = checkpoint; return this; }

        /**
         * Split each batch's streams over this many threads (data parallelism; engine models only); 0, the
         * default, chooses: see {@link Models#automaticShards}. The shards run on the GEMM's one-thread form.
         */
        public Builder shards(int n) {
            if (n < 0) throw new RnnlabException("shards must be >= 0 (0: chosen for the model), got " + n);
            shards = n;
            return this;
        }

        /** Stop once this many seconds have gone into training batches; 0 for no limit. */
        public Builder timeBudgetSeconds(double seconds) {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) throw new RnnlabException("time budget must be >= 0 seconds, got " + seconds);
            timeBudgetSeconds = seconds;
            return this;
        }

        /** The JSON-lines metrics log (default: {@code DIR/metrics.jsonl} with a checkpoint directory, else none). */
        public Builder metricsLog(Path file) { metricsLog = file; return this; }

        /** Gradient diagnostics into {@code DIR/diagnostics} on a probe of this many steps (0: none). */
        public Builder diagnostics(int probeSteps) {
            if (probeSteps < 0) throw new RnnlabException("probe steps must be >= 0, got " + probeSteps);
            diagnosticsProbeSteps = probeSteps;
            return this;
        }

        /** Where warnings go, such as falling back to the synthetic corpus (default: dropped). */
        public Builder warnings(Consumer<String> sink) { warnings = Objects.requireNonNull(sink); return this; }

        /** Sample from the model during training, into {@code DIR/samples.jsonl} (needs a checkpoint directory). */
        public Builder samples(Samples every) { samples = every; return this; }

        /** A listener that runs before the checkpoint saver (a progress display). */
        public Builder listener(TrainingListener l) { listeners.add(Objects.requireNonNull(l)); return this; }

        /** Assembles the run: loads and checks the corpus, takes the lock, builds the model and trainer. */
        public TrainingRun build() {
            if (gemm == null) gemm = Gemm.allCores();
            if (directory != null && directoryRoot != null) {
                throw new RnnlabException("give a checkpoint directory or a root for one, not both");
            }
            return new TrainingRun(this);
        }
    }
}
