package dev.rnnlab.spark.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.data.Sampling;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.run.TrainingRun;
import dev.rnnlab.spark.SparkTraining;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.train.BatchMetrics;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Trainer;
import dev.rnnlab.train.TrainingConfig;
import dev.rnnlab.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rnnlab-spark train}: {@link SparkTraining} from the command line. The model, data and optimisation
 * options are {@code rnnlab train}'s, with its defaults; the cluster's are {@code --partitions},
 * {@code --sync-every} and {@code --validate-every}. The corpus is read by the driver.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Data-parallel training: every round each partition runs --sync-every mini-batches of its own share of the text,"
                + " and the driver averages the weights (and Adam's moments). Checkpoints are rnnlab train's (rnnlab generate, eval and"
                + " PyTorch read them).",
            "CORPUS is a text file on the driver, or a dataset name (timemachine, tinyshakespeare)."})
final class SparkTrainCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "CORPUS", description = "Text file or dataset name (default: timemachine; with --resume: the run's).")
    String corpus;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. spark://host:7077 or local[4] (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--partitions", paramLabel = "P", description = "Partitions, each with a contiguous share of the text and --batch/P streams (default: the cluster's parallelism).")
    Integer partitions;

    @Option(names = "--sync-every", paramLabel = "K", defaultValue = "16", description = "Mini-batches each partition runs between averagings (default: ${DEFAULT-VALUE}).")
    int syncEvery;

    @Option(names = "--validate-every", paramLabel = "R", description = "Also validate every R rounds; 0: only at each epoch's end (default: max(1, 64/K)).")
    Integer validateEvery;

    @Option(names = "--worker-shards", paramLabel = "N", defaultValue = "1", description = "Threads each task splits its streams over (default: ${DEFAULT-VALUE}).")
    int workerShards;

    @Option(names = "--tokens", paramLabel = "char|word", defaultValue = "char", description = "Tokens (default: ${DEFAULT-VALUE}).")
    String tokens;

    @Option(names = "--normalize", paramLabel = "d2l|raw", defaultValue = "d2l", description = "Normalization (default: ${DEFAULT-VALUE}).")
    String normalize;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Use only the first N tokens (default: D2L's 10000 on The Time Machine's characters, else all).")
    Integer maxTokens;

    @Option(names = "--split", paramLabel = "TRAIN,VAL", defaultValue = "0.9,0.1", description = "Training and validation fractions (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--model", paramLabel = "rnn|rnn_relu|gru|lstm", defaultValue = "rnn", description = "Cell (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--hidden", defaultValue = "512", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--embed", defaultValue = "0", description = "Embedding size; 0 feeds one-hot vectors (default: ${DEFAULT-VALUE}).")
    int embed;

    @Option(names = "--dropout", defaultValue = "0", description = "Dropout between stacked layers (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--batch", defaultValue = "32", description = "Streams per update over all partitions (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "35", description = "Time steps per mini-batch (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--sampling", paramLabel = "sequential|random", defaultValue = "sequential", description = "Sampler (default: ${DEFAULT-VALUE}).")
    String sampling;

    @Option(names = "--epochs", description = "Epochs (default: 500 on D2L's Time Machine run, else 20; with --resume: the run's).")
    Integer epochs;

    @Option(names = "--lr", defaultValue = "1", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--clip", defaultValue = "1", description = "Global gradient-norm threshold per partition's batch; 0 disables (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--optimizer", paramLabel = "sgd|momentum[:MU]|adam|adamw", defaultValue = "sgd", description = "Optimizer (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--weight-decay", defaultValue = "0", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", paramLabel = "constant|step:EVERY:GAMMA|cosine[:MIN]", defaultValue = "constant", description = "Learning-rate schedule (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0", description = "Linear warm-up epochs (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--bptt", paramLabel = "STRATEGY", defaultValue = "perbatch", description = "BPTT strategy, as rnnlab train's (default: ${DEFAULT-VALUE}).")
    String bptt;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "The run's directory (default: runs/CORPUS-MODEL-hHIDDEN-spark, or the --resume directory).")
    Path checkpoint;

    @Option(names = "--save-every", paramLabel = "EPOCHS", defaultValue = "10", description = "Also checkpoint every this many epochs (default: ${DEFAULT-VALUE}); always at the end.")
    int saveEvery;

    @Option(names = "--save-minutes", paramLabel = "MIN", defaultValue = "10", description = "Also checkpoint after this many minutes since the last save (default: ${DEFAULT-VALUE}).")
    double saveMinutes;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR (its spec, partitions and --sync-every; --epochs may raise its epochs).")
    Path resume;

    @Option(names = "--overwrite", description = "Start a new run in a directory that holds one.")
    boolean overwrite;

    @Option(names = "--time-budget", paramLabel = "DURATION", description = "Stop after this much training time, e.g. 90s, 10m.")
    String timeBudget;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (syncEvery < 1) throw new RnnlabException("--sync-every must be >= 1 batch, got " + syncEvery);
        double budget = timeBudget == null ? 0 : TrainingConfig.parseDuration(timeBudget, "--time-budget");
        if (resume != null && corpus != null) throw new RnnlabException("--resume trains on the run's own corpus; drop CORPUS");
        RunSpec runSpec = resume != null ? null : build();
        Path dir = resume != null ? resume : checkpoint != null ? checkpoint : Path.of("runs", defaultName(runSpec));
        if (resume != null && checkpoint != null && !checkpoint.equals(resume)) {
            throw new RnnlabException("--resume continues in its own directory; drop --checkpoint or give the same one");
        }
        // what can be checked without a cluster is checked before one starts
        SparkTraining.Settings saved = resume != null ? SparkTraining.Settings.read(dir) : null;
        try (JavaSparkContext sc = SparkMain.start("rnnlab train", master)) {
            SparkTraining.Builder b = SparkTraining.builder(sc, runSpec).syncEvery(syncEvery).workerShards(workerShards)
                    .checkpointDirectory(dir).resume(resume != null).overwrite(overwrite).timeBudgetSeconds(budget)
                    .listener(new Progress(out));
            if (resume != null) {
                if (epochs != null) b.epochs(epochs);
                b.partitions(partitions != null ? partitions : saved.partitions());
                if (!spec.commandLine().getParseResult().hasMatchedOption("--sync-every")) b.syncEvery(saved.syncEvery());
                b.validateEvery(validateEvery != null ? validateEvery : saved.validateEvery());
            } else {
                if (partitions != null) b.partitions(partitions);
                if (validateEvery != null) b.validateEvery(validateEvery);
            }
            try (SparkTraining t = b.build()) {
                TrainingRun run = t.trainingRun();
                SparkTraining.Settings s = t.settings();
                out.printf(Locale.ROOT, "%s on %s: %,d training tokens over %d partitions of %d streams x %d steps, %d mini-batches per"
                                + " round (%d rounds an epoch), master %s%n", run.spec().model().name(), run.corpus().name(),
                        run.trainTokens().length(), s.partitions(), run.spec().data().batch() / s.partitions(), run.spec().data().steps(),
                        s.syncEvery(), (t.batchesPerEpoch() + s.syncEvery() - 1) / s.syncEvery(), sc.master());
                out.flush();
                t.trainingRun().trainer().addListener(new TrainingListener() {
                    @Override
                    public void trainingStarted(Trainer trainer) {
                        out.printf(Locale.ROOT, "executors ready in %.1f s%n", t.setupSeconds());
                        out.flush();
                    }
                });
                List<EpochMetrics> history = t.run();
                EpochMetrics last = history.get(history.size() - 1);
                out.printf(Locale.ROOT, "checkpoint: %s (epoch %d; continue with rnnlab-spark train --resume %s --epochs N)%n", dir,
                        last.epoch(), dir);
            }
        }
        out.flush();
        return 0;
    }

    private RunSpec build() {
        RunSpec.Builder b = RunSpec.builder().corpus(corpus == null ? "timemachine" : corpus).tokens(Tokenizer.parse(tokens))
                .normalize(normalize).maxTokens(maxTokens == null ? RunSpec.CORPUS_DEFAULT : maxTokens).split(split)
                .sampling(Sampling.parse(sampling)).batch(batch).steps(steps).hidden(hidden).layers(layers).embed(embed).dropout(dropout)
                .optimizer(optimizer).weightDecay(weightDecay).lr(lr).schedule(schedule).warmup(warmup).clip(clip)
                .epochs(epochs == null ? RunSpec.CORPUS_DEFAULT : epochs).seed(seed).bptt(bptt).saveEvery(saveEvery).saveMinutes(saveMinutes);
        try {
            b.model(model);
        } catch (RnnlabException e) {
            throw new RnnlabException("unknown --model '" + model + "': use " + CellType.NAMES);
        }
        try {
            return b.build();
        } catch (dev.rnnlab.run.InvalidSpecException e) {
            throw new RnnlabException(e.optionMessage());
        }
    }

    /** {@code rnnlab train}'s directory name for the run, marked as Spark's: {@code runs/book-lstm-h256-spark}. */
    private static String defaultName(RunSpec s) {
        String corpus = Path.of(s.data().corpus().isEmpty() ? "timemachine" : s.data().corpus()).getFileName().toString();
        return TrainingRun.directoryName(corpus, s.model().name(), s.model().hidden()) + "-spark";
    }

    /** One line per epoch, and a line per round at most every 10 seconds in between. */
    private static final class Progress implements TrainingListener {
        private final PrintWriter out;
        private long lastLine = System.nanoTime();

        Progress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void batchEnded(BatchMetrics m) {
            if (System.nanoTime() - lastLine < 10e9 || m.batch() == m.batches()) return;
            lastLine = System.nanoTime();
            out.printf(Locale.ROOT, "  epoch %d, round %d/%d: loss %.4f, %.1f s%n", m.epoch(), m.batch(), m.batches(), m.loss(), m.epochSeconds());
            out.flush();
        }

        @Override
        public void epochEnded(EpochMetrics m, Trainer t) {
            lastLine = System.nanoTime();
            out.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f (perplexity %.3f)%s, %,.0f tokens/s%n", m.epoch(), m.epochs(), m.trainLoss(),
                    m.trainPerplexity(), m.hasValidation() ? String.format(Locale.ROOT, ", validation %.4f (perplexity %.3f)",
                            m.validationLoss(), m.validationPerplexity()) : "", m.tokensPerSecond());
            out.flush();
        }
    }
}
