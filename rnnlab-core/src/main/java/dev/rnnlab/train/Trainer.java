package dev.rnnlab.train;

import dev.rnnlab.text.TokenSequence;
import dev.rnnlab.Rng;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.data.Batch;
import dev.rnnlab.data.Epoch;
import dev.rnnlab.data.SequenceSampler;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.Parameters;
import dev.rnnlab.nn.RecurrentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training loop of D2L 8.5 (train_epoch_ch8 / train_ch8), with its state kept so a run can be
 * checkpointed and resumed bit for bit. Per batch: (re)initialise or carry the state, let the
 * {@link BpttStrategy} compute the gradient, clip it to the global norm theta, step the optimizer.
 * Per epoch: metrics, validation, early stopping, listeners.
 */
public final class Trainer {
    private final LanguageModel model;
    private final SequenceSampler sampler;
    private final TokenSequence validation;  // null: no validation split
    private final TrainingConfig config;
    private final Optimizer optimizer;
    private final BpttStrategy strategy;
    private final GlobalNormClipper clipper;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private DivergencePolicy divergence = DivergencePolicy.DEFAULT;
    private Rng rng;
    private ParallelRounds rounds;  // null: this thread computes every update

    // progress, all of it saved in checkpoints
    private int epochsDone;
    private double bestValidation = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private final List<EpochMetrics> history = new ArrayList<>();
    private boolean stoppedEarly;
    private boolean outOfTime;  // not saved: it follows from history's seconds and the budget

    /**
     * Trains {@code model} on {@code sampler}'s batches, validating on {@code validation} (in memory or a
     * mapped token file; null or under 2 tokens: none).
     */
    public Trainer(LanguageModel model, SequenceSampler sampler, TokenSequence validation, TrainingConfig config,
                   Optimizer optimizer, BpttStrategy strategy) {
        this.model = model;
        this.sampler = sampler;
        this.validation = validation != null && validation.length() >= 2 ? validation : null;
        this.config = config;
        this.optimizer = optimizer;
        this.strategy = strategy;
        this.clipper = new GlobalNormClipper(config.clip());
        this.rng = new Rng(config.seed());
    }

    /** When the run counts as diverged and stops ({@link DivergencePolicy#DEFAULT} unless set). */
    public Trainer divergencePolicy(DivergencePolicy policy) {
        this.divergence = java.util.Objects.requireNonNull(policy);
        return this;
    }

    /**
     * Let {@code workers} make each epoch's updates in rounds (data-parallel training) instead of this
     * thread, batch by batch; the sampler then only sets the validation's batch shape.
     */
    public Trainer parallelRounds(ParallelRounds workers) {
        this.rounds = java.util.Objects.requireNonNull(workers);
        return this;
    }

    /** The divergence policy in force. */
    public DivergencePolicy divergencePolicy() {
        return divergence;
    }

    /** Adds a listener for this run's events; returns this trainer. */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Runs the remaining epochs (all of them, or those after a {@link #restore}). */
    public List<EpochMetrics> run() {
        for (TrainingListener l : listeners) l.trainingStarted(this);
        outOfTime = overBudget(trainedSeconds());
        while (epochsDone < config.epochs() && !stoppedEarly && !outOfTime) {
            EpochMetrics m = rounds != null ? runRounds(epochsDone) : runEpoch(epochsDone);
            epochsDone++;
            history.add(m);
            for (TrainingListener l : listeners) l.epochEnded(m, this);
        }
        for (TrainingListener l : listeners) l.trainingEnded(this);
        return List.copyOf(history);
    }

    private EpochMetrics runEpoch(int epochIndex) {
        Epoch epoch = sampler.epoch(rng);
        Rng dropout = rng.split();
        strategy.startEpoch();
        for (TrainingListener l : listeners) l.epochStarted(epochIndex + 1, epoch.batches());
        Parameters params = model.parameters();
        double secondsBefore = trainedSeconds();
        RecurrentState state = model.zeroState(sampler.batchSize());
        long start = System.nanoTime(), tokens = 0;
        double lossSum = 0, normSum = 0, normMax = 0, lr = 0;
        int batches = 0, clipped = 0;
        model.setTraining(true, dropout);
        for (Batch batch : epoch) {
            // D2L: random sampling starts every batch from a fresh state; sequential partitioning carries it
            if (!sampler.carriesState() || batches == 0) {
                state.fill(0f);
                strategy.startSequence();
            }
            lr = config.schedule().rate(config.learningRate(), epochIndex + (double) batches / epoch.batches(), config.epochs());
            params.zeroGrads();
            double loss = strategy.computeGradients(model, batch, state, rng);
            String problem = divergence.problemWith(loss, model.config().vocab());
            if (problem != null) throw diverged(problem, epochIndex, batches);
            double norm = clipper.clip(params.grads());
            if (!Double.isFinite(norm)) throw diverged("the gradient norm became " + norm, epochIndex, batches);
            if (clipper.clips(norm)) clipped++;
            optimizer.step(params, lr);
            int n = batch.steps() * batch.batchSize();
            lossSum += loss * n;
            tokens += n;
            normSum += norm;
            normMax = Math.max(normMax, norm);
            batches++;
            double epochSeconds = (System.nanoTime() - start) / 1e9;
            BatchMetrics done = new BatchMetrics(epochIndex + 1, batches, epoch.batches(), optimizer.steps(), loss, norm,
                    clipper.clips(norm), lr, epochSeconds);
            for (TrainingListener l : listeners) l.batchEnded(done);
            if (overBudget(secondsBefore + epochSeconds)) {
                outOfTime = true;  // this epoch ends here, validated and counted as done
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return endEpoch(epochIndex, tokens, seconds, lossSum, normSum, normMax, clipped, batches, lr);
    }

    /**
     * An epoch of {@link ParallelRounds}: each round's workers start from the weights the last one left,
     * and the trainer checks, counts and reports each round as it would a batch.
     */
    private EpochMetrics runRounds(int epochIndex) {
        int count = rounds.startEpoch(epochIndex, rng);
        for (TrainingListener l : listeners) l.epochStarted(epochIndex + 1, count);
        double secondsBefore = trainedSeconds();
        long start = System.nanoTime(), tokens = 0;
        double lossSum = 0, normSum = 0, normMax = 0, lr = 0, validating = 0;
        int batches = 0, clipped = 0;
        for (int r = 0; r < count; r++) {
            ParallelRounds.Round round = rounds.run(r, model, optimizer);
            String problem = divergence.problemWith(round.meanLoss(), model.config().vocab());
            if (problem != null) throw diverged(problem + " in round " + (r + 1), epochIndex, batches + round.batches() - 1);
            if (!Double.isFinite(round.gradNormMax())) {
                throw diverged("the gradient norm became " + round.gradNormMax() + " in round " + (r + 1), epochIndex, batches);
            }
            lossSum += round.lossSum();
            tokens += round.tokens();
            normSum += round.gradNormSum();
            normMax = Math.max(normMax, round.gradNormMax());
            clipped += round.clipped();
            batches += round.batches();
            lr = round.learningRate();
            validating += round.validationSeconds();
            double epochSeconds = (System.nanoTime() - start) / 1e9 - validating;
            BatchMetrics done = new BatchMetrics(epochIndex + 1, r + 1, count, optimizer.steps(), round.meanLoss(),
                    round.gradNormSum() / Math.max(round.batches(), 1), round.clipped() > 0, lr, epochSeconds);
            for (TrainingListener l : listeners) l.batchEnded(done);
            if (overBudget(secondsBefore + epochSeconds)) {
                outOfTime = true;
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9 - validating;
        return endEpoch(epochIndex, tokens, seconds, lossSum, normSum, normMax, clipped, batches, lr);
    }

    /** The end of an epoch, however its updates were made: the weights checked, validation, early stopping, its metrics. */
    private EpochMetrics endEpoch(int epochIndex, long tokens, double seconds, double lossSum, double normSum, double normMax,
                                  int clipped, int batches, double lr) {
        String weights = nonFiniteWeight(model.parameters());
        if (weights != null) throw diverged("the weights became " + weights + " after the last update", epochIndex, batches - 1);
        double valLoss = Double.NaN;
        if (validation != null) {
            valLoss = Evaluator.evaluate(model, validation, sampler.batchSize(), sampler.steps()).meanLoss();
            String valProblem = divergence.problemWith(valLoss, model.config().vocab());
            if (valProblem != null) throw diverged("on the validation text " + valProblem, epochIndex, batches - 1);
            if (valLoss < bestValidation) {
                bestValidation = valLoss;
                bestEpoch = epochIndex + 1;
            } else if (config.patience() > 0 && epochIndex + 1 - bestEpoch >= config.patience()) {
                stoppedEarly = true;
            }
        }
        return new EpochMetrics(epochIndex + 1, config.epochs(), tokens, seconds, lossSum / Math.max(tokens, 1),
                normSum / Math.max(batches, 1), normMax, (double) clipped / Math.max(batches, 1), lr, valLoss, bestEpoch);
    }

    /** Seconds spent in training batches so far, over the finished epochs (validation not counted). */
    private double trainedSeconds() {
        double sum = 0;
        for (EpochMetrics m : history) sum += m.seconds();
        return sum;
    }

    private boolean overBudget(double seconds) {
        return config.timeBudgetSeconds() > 0 && seconds >= config.timeBudgetSeconds();
    }

    private TrainingDivergedException diverged(String what, int epoch, int batch) {
        return new TrainingDivergedException(epoch + 1, String.format(Locale.ROOT,
                "training diverged at epoch %d, batch %d: %s; lower the learning rate (--lr) or clip the gradient (--clip 1)",
                epoch + 1, batch + 1, what));
    }

    /** "NaN in rnn.weight_hh_l0" for the first parameter that is not finite, or null. */
    static String nonFiniteWeight(Parameters params) {
        float[] v = params.values();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                for (Parameters.Tensor t : params.tensors()) {
                    if (i >= t.offset() && i < t.offset() + t.size()) return (Float.isNaN(v[i]) ? "NaN" : "infinite") + " in " + t.name();
                }
            }
        }
        return null;
    }

    /** The model being trained. */
    public LanguageModel model() {
        return model;
    }

    /** The optimizer that updates the model. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The run's training settings. */
    public TrainingConfig config() {
        return config;
    }

    /** The strategy that computes each batch's gradient through time. */
    public BpttStrategy strategy() {
        return strategy;
    }

    /** The sampler that cuts the training tokens into batches. */
    public SequenceSampler sampler() {
        return sampler;
    }

    /** The number of epochs finished, those before a {@link #restore} included. */
    public int epochsDone() {
        return epochsDone;
    }

    /** Whether the run stopped because validation loss had not improved for {@link TrainingConfig#patience()} epochs. */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** Whether the run stopped because its {@link TrainingConfig#timeBudgetSeconds} ran out. */
    public boolean stoppedByTimeBudget() {
        return outOfTime;
    }

    /** The metrics of every finished epoch, in order. */
    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    /** What a checkpoint stores besides parameters and optimizer state. */
    public record Progress(int epochsDone, long[] rngState, double bestValidation, int bestEpoch, boolean stoppedEarly,
                           List<EpochMetrics> history) {}

    /** The progress so far, for a checkpoint. */
    public Progress progress() {
        return new Progress(epochsDone, rng.state(), bestValidation, bestEpoch, stoppedEarly, List.copyOf(history));
    }

    /** Continues from a checkpoint's progress (parameters and optimizer state are restored by the caller). */
    public void restore(Progress p) {
        epochsDone = p.epochsDone();
        rng = Rng.fromState(p.rngState());
        bestValidation = p.bestValidation();
        bestEpoch = p.bestEpoch();
        stoppedEarly = p.stoppedEarly();
        history.clear();
        history.addAll(p.history());
    }
}
