package dev.rnnlab.train;

import dev.rnnlab.text.TokenSequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.Rng;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.data.Batch;
import dev.rnnlab.data.RandomSampler;
import dev.rnnlab.data.SequenceSampler;
import dev.rnnlab.data.SequentialPartitioner;
import dev.rnnlab.data.SyntheticCorpus;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {
    static final Gemm GEMM = Gemm.create(Gemm.Backend.AUTO, 1, false);
    static final SyntheticCorpus MARKOV = SyntheticCorpus.markov(1, 6, 0.3, 20_000, 7);
    static final Corpus CORPUS = Corpus.fromText("markov", MARKOV.text(), Normalizer.RAW, Tokenizer.CHAR, 0, List.of());

    static RecurrentLanguageModel model(float dropout) {
        RecurrentLanguageModel m = new RecurrentLanguageModel(
                new ModelConfig(CellType.LSTM, CORPUS.vocabulary().size(), 0, 16, 2, false, dropout), GEMM);
        m.initPyTorchDefault(new Rng(3));
        return m;
    }

    /** Records the state each batch starts from, then does the normal per-batch step. */
    static final class RecordingStrategy implements BpttStrategy {
        final List<float[]> startStates = new ArrayList<>(), endStates = new ArrayList<>();

        @Override
        public double computeGradients(LanguageModel model, Batch batch, RecurrentState state, Rng rng) {
            startStates.add(state.h(0).clone());
            double loss = BpttStrategy.perBatch().computeGradients(model, batch, state, rng);
            endStates.add(state.h(0).clone());
            return loss;
        }

        @Override
        public String describe() {
            return "recording";
        }
    }

    @Test
    void randomSamplingStartsEveryBatchFromZeroAndSequentialCarriesTheState() {
        int[] data = Arrays.copyOf(CORPUS.indices(), 3000);
        for (boolean sequential : new boolean[] {false, true}) {
            SequenceSampler sampler = sequential ? new SequentialPartitioner(data, 4, 10) : new RandomSampler(data, 4, 10);
            RecordingStrategy rec = new RecordingStrategy();
            new Trainer(model(0f), sampler, null, TrainingConfig.d2l(2, 1), new Sgd(model(0f).parameters().size(), 0, 0), rec).run();
            int perEpoch = rec.startStates.size() / 2;
            for (int i = 0; i < rec.startStates.size(); i++) {
                boolean epochStart = i % perEpoch == 0;
                if (!sequential || epochStart) {
                    assertThat(rec.startStates.get(i)).as("batch %d starts from zeros", i).containsOnly(0f);
                } else {
                    assertThat(rec.startStates.get(i)).as("batch %d carries batch %d's final state", i, i - 1)
                            .containsExactly(rec.endStates.get(i - 1));
                }
            }
        }
    }

    @Test
    void aTimeBudgetEndsTheRunMidEpochAndCountsThatEpochAsDone() {
        int[] data = Arrays.copyOf(CORPUS.indices(), 3000);
        SequenceSampler sampler = new SequentialPartitioner(data, 4, 10);  // 74 batches an epoch
        BpttStrategy slow = new BpttStrategy() {  // at least 5 ms a batch, so a 50 ms budget allows at most 10
            @Override
            public double computeGradients(LanguageModel model, Batch batch, RecurrentState state, Rng rng) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return BpttStrategy.perBatch().computeGradients(model, batch, state, rng);
            }

            @Override
            public String describe() {
                return "slow";
            }
        };
        RecurrentLanguageModel m = model(0f);
        TrainingConfig budget = new TrainingConfig(100, 1.0, LearningRateSchedule.constant(), 1.0, 0, 1, 0.05);
        Trainer t = new Trainer(m, sampler, TokenSequence.of(Arrays.copyOf(CORPUS.indices(), 200)), budget, new Sgd(m.parameters().size(), 0, 0), slow);
        List<EpochMetrics> history = t.run();
        assertThat(t.stoppedByTimeBudget()).isTrue();
        assertThat(history).singleElement().satisfies(e -> {
            assertThat(e.tokens()).isBetween(40L, 400L);  // 1..10 batches of 4 x 10 tokens
            assertThat(e.seconds()).isGreaterThanOrEqualTo(0.05);
            assertThat(e.hasValidation()).isTrue();
        });
        assertThat(t.epochsDone()).isEqualTo(1);
    }

    @Test
    void trainingApproachesTheEntropyRateOfAMarkovChain() {
        int[] data = CORPUS.indices();
        RecurrentLanguageModel m = model(0f);
        List<EpochMetrics> h = new Trainer(m, new SequentialPartitioner(data, 16, 20), null,
                new TrainingConfig(6, 0.01, LearningRateSchedule.constant(), 1, 0, 5),
                new Adam(m.parameters().size(), 0.9, 0.999, 1e-8, 0, false), BpttStrategy.perBatch()).run();
        double entropy = MARKOV.source().entropyRateNats();
        // the chain's true cross-entropy is the floor; a trained model must get within 0.1 nats of it from ln 6 = 1.79 at the start
        assertThat(h.getFirst().trainLoss()).isGreaterThan(h.getLast().trainLoss());
        assertThat(h.getLast().trainLoss()).isBetween(entropy - 0.05, entropy + 0.1);
    }

    @Test
    void resumingFromSavedProgressIsBitIdenticalToAnUninterruptedRun() {
        int[] data = Arrays.copyOf(CORPUS.indices(), 5000);
        // random sampling, dropout and Adam: every kind of state a resume must restore
        TrainingConfig cfg = new TrainingConfig(4, 0.01, LearningRateSchedule.cosine(0.1), 1, 0, 11);
        RecurrentLanguageModel straight = model(0.2f);
        List<EpochMetrics> all = new Trainer(straight, new RandomSampler(data, 8, 12), null, cfg,
                new Adam(straight.parameters().size(), 0.9, 0.999, 1e-8, 0, false), BpttStrategy.perBatch()).run();

        RecurrentLanguageModel first = model(0.2f);
        Adam opt1 = new Adam(first.parameters().size(), 0.9, 0.999, 1e-8, 0, false);
        // killed after 2 of 4 epochs (the cosine schedule depends on the total, as in a real resumed run)
        Trainer t1 = new Trainer(first, new RandomSampler(data, 8, 12), null, cfg, opt1, BpttStrategy.perBatch());
        Trainer.Progress halfway = runEpochs(t1, 2);
        float[] params = first.parameters().values().clone();
        float[] m = opt1.state().get("m").clone(), v = opt1.state().get("v").clone();

        RecurrentLanguageModel second = model(0.2f);
        System.arraycopy(params, 0, second.parameters().values(), 0, params.length);
        Adam opt2 = new Adam(second.parameters().size(), 0.9, 0.999, 1e-8, 0, false);
        opt2.restore(java.util.Map.of("m", m, "v", v), opt1.steps());
        Trainer t2 = new Trainer(second, new RandomSampler(data, 8, 12), null, cfg, opt2, BpttStrategy.perBatch());
        t2.restore(halfway);
        List<EpochMetrics> resumed = t2.run();

        assertThat(second.parameters().values()).containsExactly(straight.parameters().values());
        assertThat(resumed).hasSize(4);
        for (int i = 0; i < 4; i++) assertThat(resumed.get(i).trainLoss()).isEqualTo(all.get(i).trainLoss());
    }

    /** Runs the first {@code epochs} epochs of a trainer whose config says more, as a run killed after them. */
    static Trainer.Progress runEpochs(Trainer t, int epochs) {
        TrainingListener stopper = new TrainingListener() {
            @Override
            public void epochEnded(EpochMetrics metrics, Trainer trainer) {
                if (metrics.epoch() == epochs) throw new Stop();
            }
        };
        t.addListener(stopper);
        try {
            t.run();
        } catch (Stop expected) {
            // the "kill"
        }
        return t.progress();
    }

    static final class Stop extends RuntimeException {}

    @Test
    void aDivergingRunStopsWithOneLineNamingTheEpochAndBatch() {
        int[] data = Arrays.copyOf(CORPUS.indices(), 3000);
        RecurrentLanguageModel m = model(0f);
        m.parameters().values()[m.parameters().tensor("linear.bias").offset()] = Float.NaN;  // a weight gone bad
        Trainer t = new Trainer(m, new SequentialPartitioner(data, 4, 10), null,
                new TrainingConfig(3, 1, LearningRateSchedule.constant(), 1, 0, 1), new Sgd(m.parameters().size(), 0, 0),
                BpttStrategy.perBatch());
        assertThatThrownBy(t::run).isInstanceOf(TrainingDivergedException.class)
                .hasMessageMatching("training diverged at epoch \\d+, batch \\d+: the (loss|gradient norm) became (NaN|Infinity|infinite);"
                        + " lower the learning rate.*");
    }

    @Test
    void globalNormClippingScalesOnlyAboveTheta() {
        GlobalNormClipper c = new GlobalNormClipper(1.0);
        float[] g = {3, 4};
        assertThat(c.clip(g)).isEqualTo(5.0);
        assertThat(g[0]).isEqualTo(0.6f);
        assertThat(g[1]).isEqualTo(0.8f);
        float[] small = {0.3f, 0.4f};
        c.clip(small);
        assertThat(small).containsExactly(0.3f, 0.4f);
    }

    @Test
    void earlyStoppingEndsTheRunWhenValidationStopsImproving() {
        int[] data = Arrays.copyOf(CORPUS.indices(), 4000);
        int[] val = Arrays.copyOfRange(CORPUS.indices(), 4000, 6000);
        RecurrentLanguageModel m = model(0f);
        // a learning rate so large that validation gets worse after the first epochs
        Trainer t = new Trainer(m, new SequentialPartitioner(data, 4, 10), TokenSequence.of(val),
                new TrainingConfig(50, 3.0, LearningRateSchedule.constant(), 1, 2, 1), new Sgd(m.parameters().size(), 0, 0),
                BpttStrategy.perBatch());
        List<EpochMetrics> h = t.run();
        assertThat(t.stoppedEarly()).isTrue();
        assertThat(h.size()).isLessThan(50);
        assertThat(h.getLast().epoch() - h.getLast().bestEpoch()).isEqualTo(2);
    }
}
