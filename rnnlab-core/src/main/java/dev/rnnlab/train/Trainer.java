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
    // weight averaging (WeightAveraging): the running mean of the weights since epoch averagingFrom (1-based;
    // 0: not averaging), over averagedUpdates updates; while the mean is in the model (for validation, a save,
    // or after the run), the training weights wait in trainingWeights
    private float[] average;
    private long averagedUpdates;
    private int averagingFrom;
    private float[] trainingWeights;
    private boolean averageInModel;

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
        takeTrainingWeightsBack();
        for (TrainingListener l : listeners) l.trainingStarted(this);
        outOfTime = overBudget(trainedSeconds());
        while (epochsDone < config.epochs() && !stoppedEarly && !outOfTime) {
            EpochMetrics m = rounds != null ? runRounds(epochsDone) : runEpoch(epochsDone);
            epochsDone++;
            history.add(m);
            for (TrainingListener l : listeners) l.epochEnded(m, this);
        }
        for (TrainingListener l : listeners) l.trainingEnded(this);
        putAverageInModel();  // the run's result is the averaged model; the training weights wait for a further run()
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
            double at = epochIndex + (double) batches / epoch.batches();
            double length = runLength(at, secondsBefore + (System.nanoTime() - start) / 1e9);
            startAveragingIfDue(epochIndex, at, length);
            lr = config.schedule().rate(config.learningRate(), at, length);
            params.zeroGrads();
            double loss = strategy.computeGradients(model, batch, state, rng);
            String problem = divergence.problemWith(loss, model.config().vocab());
            if (problem != null) throw diverged(problem, epochIndex, batches);
            double norm = clipper.clip(params.grads());
            if (!Double.isFinite(norm)) throw diverged("the gradient norm became " + norm, epochIndex, batches);
            if (clipper.clips(norm)) clipped++;
            optimizer.step(params, lr);
            if (average != null) addToAverage();
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
            double at = epochIndex + (double) r / count;
            startAveragingIfDue(epochIndex, at, runLength(at, secondsBefore + (System.nanoTime() - start) / 1e9 - validating));
            ParallelRounds.Round round = rounds.run(r, model, optimizer);
            if (average != null) addToAverage();  // a round is one update of the weights here
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
            valLoss = withAveragedWeights(() -> Evaluator.evaluate(model, validation, sampler.batchSize(), sampler.steps()).meanLoss());
            String valProblem = divergence.problemWith(valLoss, model.config().vocab());
            if (valProblem != null) throw diverged("on the validation text " + valProblem, epochIndex, batches - 1);
            if (valLoss < bestValidation) {
                bestValidation = valLoss;
                bestEpoch = epochIndex + 1;
            } else if (config.patience() > 0 && epochIndex + 1 - bestEpoch >= config.patience()) {
                stoppedEarly = true;
            }
            if (average == null) {
                List<Double> losses = new ArrayList<>();
                for (EpochMetrics m : history) losses.add(m.validationLoss());
                losses.add(valLoss);
                if (config.averaging().startsAfterEpoch(losses)) startAveraging(epochIndex + 1);
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

    /**
     * The run's length in epochs for the schedule: the epochs asked for, or, with a time budget, the epochs
     * reached when it runs out if they are fewer, extrapolated from the pace so far ({@code at} epochs in
     * {@code seconds}). The estimate follows the pace, so a schedule over a budget ends with the budget.
     */
    private double runLength(double at, double seconds) {
        if (config.timeBudgetSeconds() <= 0 || at <= 0 || seconds <= 0) return config.epochs();
        return Math.min(config.epochs(), at * config.timeBudgetSeconds() / seconds);
    }

    /** Starts averaging before the update at {@code at} epochs of a run {@code length} long, if the policy says so now. */
    private void startAveragingIfDue(int epochIndex, double at, double length) {
        if (average == null && config.averaging().startsAt(at, length)) startAveraging(epochIndex);
    }

    private void startAveraging(int epochIndex) {
        average = new float[model.parameters().size()];
        averagedUpdates = 0;
        averagingFrom = epochIndex + 1;
    }

    /** w_bar &lt;- w_bar + (w - w_bar) / k after the k-th averaged update (the first copies w). */
    private void addToAverage() {
        float[] w = model.parameters().values();
        averagedUpdates++;
        float rate = (float) (1.0 / averagedUpdates);
        for (int i = 0; i < w.length; i++) average[i] += (w[i] - average[i]) * rate;
    }

    /**
     * Runs {@code action} with the weights the run stands for in the model: the average while averaging
     * (validation scores it, a checkpoint saves it), else the training weights as they are. The training
     * weights are back in place afterwards.
     */
    public <T> T withAveragedWeights(java.util.function.Supplier<T> action) {
        if (average == null || averageInModel) return action.get();
        putAverageInModel();
        try {
            return action.get();
        } finally {
            takeTrainingWeightsBack();
        }
    }

    private void putAverageInModel() {
        if (average == null || averageInModel || averagedUpdates == 0) return;
        float[] w = model.parameters().values();
        if (trainingWeights == null) trainingWeights = new float[w.length];
        System.arraycopy(w, 0, trainingWeights, 0, w.length);
        System.arraycopy(average, 0, w, 0, w.length);
        averageInModel = true;
    }

    private void takeTrainingWeightsBack() {
        if (!averageInModel) return;
        System.arraycopy(trainingWeights, 0, model.parameters().values(), 0, trainingWeights.length);
        averageInModel = false;
    }

    /** The epoch (1-based) from which the weights are averaged, or 0 while they are not ({@link WeightAveraging}). */
    public int averagingFrom() {
        return averagingFrom;
    }

    /** The updates averaged so far (0 while not averaging). */
    public long averagedUpdates() {
        return averagedUpdates;
    }

    /** What a checkpoint's optimizer file keeps: the optimizer's state and, while averaging, the training weights. */
    public static final String TRAINING_WEIGHTS = "training_weights";

    /**
     * The optimizer's state for a checkpoint, and while averaging also the training weights under
     * {@link #TRAINING_WEIGHTS}; the model file then holds the average, so save inside {@link #withAveragedWeights}.
     */
    public java.util.Map<String, float[]> checkpointState() {
        if (average == null || averagedUpdates == 0) return optimizer.state();
        java.util.Map<String, float[]> state = new java.util.LinkedHashMap<>(optimizer.state());
        state.put(TRAINING_WEIGHTS, averageInModel ? trainingWeights : model.parameters().values());
        return state;
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
                           List<EpochMetrics> history, int averagingFrom, long averagedUpdates) {
        /** The progress of a run that does not average its weights. */
        public Progress(int epochsDone, long[] rngState, double bestValidation, int bestEpoch, boolean stoppedEarly,
                        List<EpochMetrics> history) {
            this(epochsDone, rngState, bestValidation, bestEpoch, stoppedEarly, history, 0, 0);
        }
    }

    /** The progress so far, for a checkpoint. */
    public Progress progress() {
        return new Progress(epochsDone, rng.state(), bestValidation, bestEpoch, stoppedEarly, List.copyOf(history),
                averagingFrom, averagedUpdates);
    }

    /**
     * Continues from a checkpoint of a run that may have been averaging its weights: {@code state} is what
     * {@link #checkpointState} saved, and the model holds the checkpoint's weights (while averaging, the
     * average, so they become the average and the training weights come from {@code state}). The optimizer
     * is restored by the caller.
     */
    public void restore(Progress p, java.util.Map<String, float[]> state) {
        restoreProgress(p);
        average = null;
        averageInModel = false;
        averagingFrom = p.averagingFrom();
        averagedUpdates = p.averagedUpdates();
        if (averagingFrom == 0) return;
        float[] w = model.parameters().values();
        average = w.clone();
        if (averagedUpdates == 0) return;  // averaging began at the save: nothing averaged yet, the model is the training weights
        float[] training = state.get(TRAINING_WEIGHTS);
        if (training == null || training.length != w.length) {
            throw new dev.rnnlab.RnnlabException("the checkpoint averages its weights but keeps no training weights ("
                    + TRAINING_WEIGHTS + " in its optimizer file): it is damaged; resume from another one or start over");
        }
        System.arraycopy(training, 0, w, 0, w.length);
    }

    /**
     * Continues from a checkpoint's progress (parameters and optimizer state are restored by the caller), of
     * a run that was not averaging its weights; {@link #restore(Progress, java.util.Map)} takes any.
     */
    public void restore(Progress p) {
        if (p.averagingFrom() > 0) {
            throw new IllegalArgumentException("this progress averages weights: restore it with restore(progress, checkpointState)");
        }
        restoreProgress(p);
    }

    private void restoreProgress(Progress p) {
        epochsDone = p.epochsDone();
        rng = Rng.fromState(p.rngState());
        bestValidation = p.bestValidation();
        bestEpoch = p.bestEpoch();
        stoppedEarly = p.stoppedEarly();
        history.clear();
        history.addAll(p.history());
    }
}
