package dev.rnnlab.bptt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.nn.CellType;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.ModelConfig;
import dev.rnnlab.nn.RecurrentLanguageModel;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.tensor.Gemm;
import org.junit.jupiter.api.Test;

class StateHistoryTest {
    private final LanguageModel model = new RecurrentLanguageModel(ModelConfig.simple(CellType.LSTM, 10, 4),
            Gemm.create(Gemm.Backend.JAVA, 1, false));

    @Test
    void keepsTheLastCapacityStepsAndTheStateBeforeEach() {
        RecurrentState now = model.zeroState(2);
        now.fill(-1);
        StateHistory h = new StateHistory(model, 3, now);
        assertThat(h.length()).isZero();
        assertThat(h.state(0).h(0)[0]).isEqualTo(-1f);
        for (int step = 0; step < 5; step++) {
            h.append(new int[] {step, 10 + step}, 0);
            h.state(h.length()).fill(step);  // the state after the step
        }
        assertThat(h.length()).isEqualTo(3);
        int[] tokens = new int[6];
        h.copyTokens(0, tokens);
        assertThat(tokens).containsExactly(2, 12, 3, 13, 4, 14);
        // the state before step 2 is the one after step 1
        assertThat(h.state(0).h(0)[0]).isEqualTo(1f);
        assertThat(h.state(3).h(0)[0]).isEqualTo(4f);
        int[] last = new int[2];
        h.copyTokens(2, last);
        assertThat(last).containsExactly(4, 14);
    }

    @Test
    void withNoCapacityOnlyThePresentIsKept() {
        StateHistory h = new StateHistory(model, 0, model.zeroState(1));
        h.append(new int[] {3}, 0);
        assertThat(h.length()).isZero();
        h.state(0).fill(5);
        assertThat(h.state(h.length()).h(0)[0]).isEqualTo(5f);
    }
}
