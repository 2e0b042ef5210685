package dev.rnnlab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.bptt.BpttStrategy;
import dev.rnnlab.data.SequentialPartitioner;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.text.TokenSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightAveragingTest {
    private static final int[] DATA = Arrays.copyOf(TrainerTest.CORPUS.indices(), 4000);
    private static final TokenSequence HELD_OUT = TokenSequence.of(Arrays.copyOfRange(TrainerTest.CORPUS.indices(), 4000, 5000));

    @Test
    void theTriggersStartWhereTheyShould() {
        WeightAveraging nt = WeightAveraging.parse("nt:2");
        // t = 3 > n = 2 and v_3 = 1.5 > min(v_1) = 1.4: start
        assertThat(nt.startsAfterEpoch(List.of(1.4, 1.3, 1.5))).isTrue();
        // still better than every epoch before the last two
        assertThat(nt.startsAfterEpoch(List.of(1.4, 1.3, 1.35))).isFalse();
        // not enough epochs yet
        assertThat(nt.startsAfterEpoch(List.of(1.4, 1.5))).isFalse();
        assertThat(WeightAveraging.parse("nt")).isEqualTo(new WeightAveraging.NonMonotone(5));
        assertThat(WeightAveraging.parse("from:3").startsAt(1.99, 10)).isFalse();
        assertThat(WeightAveraging.parse("from:3").startsAt(2.0, 10)).isTrue();
        assertThat(WeightAveraging.parse("last:0.25").startsAt(7.4, 10)).isFalse();
        assertThat(WeightAveraging.parse("last:0.25").startsAt(7.5, 10)).isTrue();
        assertThat(WeightAveraging.parse("off")).isSameAs(WeightAveraging.OFF);
        assertThatThrownBy(() -> WeightAveraging.parse("last:1.5")).isInstanceOf(RnnlabException.class).hasMessageContaining("FRACTION");
        assertThatThrownBy(() -> WeightAveraging.parse("from")).isInstanceOf(RnnlabException.class).hasMessageContaining("from:EPOCH");
        assertThatThrownBy(() -> WeightAveraging.parse("swa")).isInstanceOf(RnnlabException.class).hasMessageContaining("unknown");
    }

    @Test
    void theResultIsTheMeanOfTheWeightsAfterEachAveragedUpdateAndValidationScoresIt() {
        RecurrentLanguageModel model = TrainerTest.model(0f);
        TrainingConfig cfg = new TrainingConfig(3, 0.01, null, 1, 0, 5, 0, WeightAveraging.parse("from:2"));
        Trainer t = new Trainer(model, new SequentialPartitioner(DATA, 8, 10), HELD_OUT, cfg,
                new Adam(model.parameters().size(), 0.9, 0.999, 1e-8, 0, false), BpttStrategy.perBatch());
        // the training weights after every update of epochs 2 and 3, summed in double
        double[] sum = new double[model.parameters().size()];
        int[] updates = {0};
        List<float[]> last = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void batchEnded(BatchMetrics b) {
                if (b.epoch() < 2) return;
                float[] w = model.parameters().values();
                for (int i = 0; i < w.length; i++) sum[i] += w[i];
                updates[0]++;
                if (last.isEmpty()) last.add(w.clone()); else last.set(0, w.clone());
            }
        });
        List<EpochMetrics> h = t.run();
        assertThat(t.averagingFrom()).isEqualTo(2);
        assertThat(t.averagedUpdates()).isEqualTo(updates[0]).isGreaterThan(80);
        float[] result = model.parameters().values();
        double worst = 0, moved = 0;
        for (int i = 0; i < result.length; i++) {
            worst = Math.max(worst, Math.abs(result[i] - sum[i] / updates[0]));
            moved = Math.max(moved, Math.abs(result[i] - last.getFirst()[i]));
        }
        // float running mean against a double sum over ~100 updates of weights near 1: rounding of order 1e-6
        assertThat(worst).isLessThan(2e-5);
        assertThat(moved).as("the average is not the last weights").isGreaterThan(1e-3);
        // the last epoch was validated on the average, which is what the trainer leaves in the model
        assertThat(h.getLast().validationLoss())
                .isEqualTo(Evaluator.evaluate(model, HELD_OUT, 8, 10).meanLoss());
        // and the training weights come back for a further run
        float[] kept = t.checkpointState().get(Trainer.TRAINING_WEIGHTS);
        assertThat(kept).containsExactly(last.getFirst());
    }

    @Test
    void theNonMonotoneTriggerStartsWhenValidationStalls() {
        RecurrentLanguageModel model = TrainerTest.model(0f);
        // a learning rate this high makes validation wander early, so the trigger must fire within 8 epochs
        TrainingConfig cfg = new TrainingConfig(8, 0.05, null, 1, 0, 5, 0, WeightAveraging.parse("nt:1"));
        Trainer t = new Trainer(model, new SequentialPartitioner(DATA, 8, 10), HELD_OUT, cfg,
                new Adam(model.parameters().size(), 0.9, 0.999, 1e-8, 0, false), BpttStrategy.perBatch());
        List<EpochMetrics> h = t.run();
        List<Double> v = h.stream().map(EpochMetrics::validationLoss).toList();
        int from = t.averagingFrom();
        assertThat(from).as("validation losses %s", v).isGreaterThan(2);
        // it started after the first epoch t (from - 1) with t > 1 and v_t > min(v_1 .. v_(t-1))
        int trigger = from - 1;
        assertThat(v.get(trigger - 1)).isGreaterThan(v.subList(0, trigger - 1).stream().mapToDouble(d -> d).min().orElseThrow());
        for (int e = 2; e < trigger; e++) {
            assertThat(v.get(e - 1)).isLessThanOrEqualTo(v.subList(0, e - 1).stream().mapToDouble(d -> d).min().orElseThrow());
        }
    }

    @Test
    void aProgressThatAveragesCannotBeRestoredWithoutTheTrainingWeights() {
        RecurrentLanguageModel model = TrainerTest.model(0f);
        Trainer t = new Trainer(model, new SequentialPartitioner(DATA, 8, 10), null, new TrainingConfig(2, 0.01, null, 1, 0, 5),
                new Adam(model.parameters().size(), 0.9, 0.999, 1e-8, 0, false), BpttStrategy.perBatch());
        Trainer.Progress p = new Trainer.Progress(1, new dev.rnnlab.Rng(1).state(), 1.0, 1, false, List.of(), 1, 10);
        assertThatThrownBy(() -> t.restore(p)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.restore(p, java.util.Map.of())).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("training_weights");
    }
}
