package dev.rnnlab.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.io.CheckpointLock;
import dev.rnnlab.io.IoErrors;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.run.TrainingRun;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Data-parallel training of a recurrent language model on a Spark cluster. The driver loads the corpus and
 * builds the run exactly as {@link TrainingRun} does on one machine (model, optimizer, validation split,
 * checkpoints, {@code metrics.jsonl}, {@code steps.jsonl}, {@code run.json}); only the updates move: each
 * round, every partition runs {@link Builder#syncEvery K} mini-batches of its own contiguous share of the
 * training streams from the same weights and optimizer state, and the driver averages what comes back
 * (weights and, for Adam, both moments). With K = 1 and plain SGD this is synchronous data-parallel SGD on
 * the concatenated batch.
 *
 * <p>The spec's batch is the whole round's: {@code P} partitions run {@code batch / P} streams each, so the
 * same spec trains on as many tokens per update on one machine as on a cluster. Checkpoints are written by
 * the driver, atomically, in the format of {@code rnnlab train} (PyTorch loads them; {@code rnnlab generate}
 * and {@code eval} use them), with {@code spark.json} beside them recording P and K so that a resumed run
 * continues with the same ones. Each round's loss, time and synchronisation cost go to {@code rounds.jsonl}.
 */
public final class SparkTraining implements AutoCloseable {
    /** The cluster settings of a run, in its directory. */
    public static final String SETTINGS_FILE = "spark.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainingRun run;
    private final SparkRounds rounds;
    private final CheckpointLock lock;
    private final Settings settings;
    private final Path directory;  // null: nothing is written
    private double setupSeconds;

    /** How a run uses the cluster: partitions P, mini-batches per round K, validation every R rounds (0: per epoch), threads per task. */
    public record Settings(int partitions, int syncEvery, int validateEvery, int workerShards) {
        /** Checks the bounds. */
        public Settings {
            if (partitions < 1) throw new RnnlabException("partitions must be >= 1, got " + partitions);
            if (syncEvery < 1) throw new RnnlabException("--sync-every must be >= 1 batch, got " + syncEvery);
            if (validateEvery < 0) throw new RnnlabException("--validate-every must be >= 0 rounds (0: at each epoch's end), got " + validateEvery);
            if (workerShards < 1) throw new RnnlabException("--worker-shards must be >= 1, got " + workerShards);
        }

        /** Validation about every 64 mini-batches per partition: every max(1, 64 / K) rounds. */
        public static int defaultValidateEvery(int syncEvery) {
            return Math.max(1, 64 / Math.max(1, syncEvery));
        }

        /** The settings a run on Spark saved in its directory ({@link #SETTINGS_FILE}). */
        public static Settings read(Path dir) {
            Path f = dir.resolve(SETTINGS_FILE);
            if (!Files.isDirectory(dir)) throw new RnnlabException("there is no run in '" + dir + "' to resume: the directory does not exist");
            if (!Files.isRegularFile(f)) {
                throw new RnnlabException("'" + dir + "' has no " + SETTINGS_FILE + ": it was not trained by rnnlab-spark; resume it with rnnlab train --resume");
            }
            try {
                JsonNode j = JSON.readTree(f.toFile());
                return new Settings(j.path("partitions").asInt(), j.path("sync_every").asInt(), j.path("validate_every").asInt(),
                        j.path("worker_shards").asInt(1));
            } catch (IOException e) {
                throw new RnnlabException("cannot read '" + f + "': " + e.getMessage());
            }
        }
    }

    private SparkTraining(Builder b) {
        Settings s = b.settings();
        CheckpointLock held = b.directory != null ? CheckpointLock.acquire(b.directory) : null;
        try {
            Checkpoint.Loaded resumed = null;
            RunSpec spec = b.spec;
            if (b.resume) {
                if (b.directory == null) throw new RnnlabException("resuming needs the run's directory (--resume DIR)");
                Settings saved = Settings.read(b.directory);
                if (saved.partitions() != s.partitions() || saved.syncEvery() != s.syncEvery()) {
                    throw new RnnlabException("the run in " + b.directory + " was trained over " + saved.partitions() + " partitions with --sync-every "
                            + saved.syncEvery() + "; resume it with the same (asked: " + s.partitions() + " and " + s.syncEvery() + ")");
                }
                resumed = Checkpoint.read(b.directory, Gemm.create(Gemm.Backend.AUTO, 1, false));
                if (!resumed.resumable()) throw new RnnlabException("checkpoint '" + b.directory + "' holds a model but no training state; it cannot be resumed");
                RunSpec before = RunSpec.of(resumed.info());
                int epochs = b.epochs != null ? b.epochs : b.spec != null ? b.spec.optimization().epochs() : before.optimization().epochs();
                spec = before.toBuilder().epochs(epochs).build();
            }
            Objects.requireNonNull(spec, "a run spec");
            TrainingRun.Builder r = TrainingRun.builder(spec).resumeFrom(resumed).overwrite(b.overwrite).timeBudgetSeconds(b.timeBudgetSeconds);
            if (b.dataDir != null) r.dataDir(b.dataDir);
            if (b.directory != null) r.checkpointDirectory(b.directory).lockHeld(held);
            for (TrainingListener l : b.listeners) r.listener(l);
            run = r.build();
            try {
                rounds = new SparkRounds(b.sc, run.model(), run.spec(), run.trainTokens(), run.validationTokens(), s.partitions(),
                        s.syncEvery(), s.validateEvery(), s.workerShards(), b.directory);
            } catch (RuntimeException e) {
                run.close();
                throw e;
            }
            run.trainer().parallelRounds(rounds).addListener(rounds);
            directory = b.directory;
            settings = s;
            lock = held;
        } catch (RuntimeException | Error e) {
            if (held != null) held.close();
            throw e;
        }
    }

    /** A run of {@code spec} on {@code sc}'s cluster (null spec with {@link Builder#resume}: the checkpoint's own). */
    public static Builder builder(JavaSparkContext sc, RunSpec spec) {
        return new Builder(sc, spec);
    }

    /**
     * Trains to the end (epochs, early stopping or the time budget) and returns every epoch's metrics. The
     * executors are readied first ({@link #setupSeconds()}), outside the training time.
     */
    public List<EpochMetrics> run() {
        setupSeconds = rounds.warmUp();
        // written when training starts, not when the run is built: a run refused before that leaves the directory as it was
        if (directory != null) writeSettings(directory, settings);
        return run.run();
    }

    /** The seconds the executors took to get ready before the first round (their start, the shares fetched). */
    public double setupSeconds() {
        return setupSeconds;
    }

    /** The run on the driver: its model, corpus, spec as resolved, directory. */
    public TrainingRun trainingRun() {
        return run;
    }

    /** The cluster settings in force. */
    public Settings settings() {
        return settings;
    }

    /** The mini-batches each partition runs per epoch. */
    public int batchesPerEpoch() {
        return rounds.batchesPerEpoch();
    }

    /** Frees the token shares on the cluster and the directory's lock. */
    @Override
    public void close() {
        try {
            rounds.close();
            run.close();
        } finally {
            if (lock != null) lock.close();
        }
    }

    private static void writeSettings(Path dir, Settings s) {
        ObjectNode o = JSON.createObjectNode().put("partitions", s.partitions()).put("sync_every", s.syncEvery())
                .put("validate_every", s.validateEvery()).put("worker_shards", s.workerShards());
        Path f = dir.resolve(SETTINGS_FILE), tmp = dir.resolve(SETTINGS_FILE + ".tmp");
        try {
            Files.createDirectories(dir);
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), o);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RnnlabException("cannot write '" + f + "': " + IoErrors.describeWrite(f, e));
        }
    }

    /** The choices of a run on Spark; everything but the context and the spec has a default. */
    public static final class Builder {
        private final JavaSparkContext sc;
        private final RunSpec spec;
        private Integer partitions, validateEvery, epochs;
        private int syncEvery = 16, workerShards = 1;
        private Path directory, dataDir;
        private boolean resume, overwrite;
        private double timeBudgetSeconds;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(JavaSparkContext sc, RunSpec spec) {
            this.sc = Objects.requireNonNull(sc, "a Spark context");
            this.spec = spec;
        }

        /** Partitions P, each with a contiguous share of the training text (default: the context's default parallelism). */
        public Builder partitions(int p) { partitions = p; return this; }

        /** Mini-batches each partition runs between averagings, K (default 16). */
        public Builder syncEvery(int k) { syncEvery = k; return this; }

        /** Validate every R rounds besides each epoch's end; 0: only there (default: {@link Settings#defaultValidateEvery}). */
        public Builder validateEvery(int r) { validateEvery = r; return this; }

        /** Threads each task splits its batch over (the engine's shards; default 1). */
        public Builder workerShards(int n) { workerShards = n; return this; }

        /** The run's directory: checkpoints, logs and {@code spark.json} (default: nothing is written). */
        public Builder checkpointDirectory(Path dir) { directory = dir; return this; }

        /** The corpus cache directory (default: {@code $RNNLAB_DATA}, else {@code ~/.cache/rnnlab}). */
        public Builder dataDir(Path dir) { dataDir = dir; return this; }

        /** Continue the checkpoint in the run's directory with its own spec (its epochs: {@link #epochs}, else the given spec's, else its own). */
        public Builder resume(boolean continueRun) { resume = continueRun; return this; }

        /** With {@link #resume}: train to this many epochs instead of the checkpoint's (or the given spec's) count. */
        public Builder epochs(int n) { epochs = n; return this; }

        /** Start over in a directory that holds a checkpoint. */
        public Builder overwrite(boolean replace) { overwrite = replace; return this; }

        /** Stop once this many seconds have gone into training rounds; 0 for no limit. */
        public Builder timeBudgetSeconds(double seconds) { timeBudgetSeconds = seconds; return this; }

        /** A listener (a progress display) that runs before the checkpoint saver. */
        public Builder listener(TrainingListener l) { listeners.add(Objects.requireNonNull(l)); return this; }

        private Settings settings() {
            int p = partitions != null ? partitions : sc.defaultParallelism();
            return new Settings(p, syncEvery, validateEvery != null ? validateEvery : Settings.defaultValidateEvery(syncEvery), workerShards);
        }

        /** Loads the corpus, takes the directory's lock, builds the model on the driver and cuts the shares. */
        public SparkTraining build() {
            if (spec == null && !resume) throw new RnnlabException("a run needs a spec, or resume(true) to continue a checkpoint");
            return new SparkTraining(this);
        }
    }
}
