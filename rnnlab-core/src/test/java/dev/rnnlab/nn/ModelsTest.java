package dev.rnnlab.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.tensor.Gemm;
import org.junit.jupiter.api.Test;

class ModelsTest {
    private final Gemm gemm = Gemm.create(Gemm.Backend.JAVA, 1, false);
    private final ModelConfig lstm = new ModelConfig(CellType.LSTM, 20, 0, 8, 2, false, 0f);

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        float[] a = Models.initialized(ModelKind.ENGINE, lstm, Initialization.AUTO, 1, gemm).parameters().values();
        float[] b = Models.initialized(ModelKind.ENGINE, lstm, Initialization.PYTORCH, 1, gemm).parameters().values();
        float[] c = Models.initialized(ModelKind.ENGINE, lstm, Initialization.AUTO, 2, gemm).parameters().values();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        float[] d2l = Models.initialized(ModelKind.ENGINE, lstm, Initialization.D2L, 1, gemm).parameters().values();
        assertThat(d2l).isNotEqualTo(a);
        assertThat(Models.empty(ModelKind.ENGINE, lstm, gemm).parameters().values()).containsOnly(0f);
    }

    @Test
    void theScratchModelIsOnlyD2lsShape() {
        ModelConfig one = ModelConfig.simple(CellType.RNN_TANH, 20, 8);
        LanguageModel scratch = Models.initialized(ModelKind.SCRATCH, one, Initialization.AUTO, 1, gemm);
        assertThat(scratch).isInstanceOf(ScratchRnn.class);
        assertThat(Models.kindOf(scratch)).isEqualTo(ModelKind.SCRATCH);
        assertThatThrownBy(() -> Models.empty(ModelKind.SCRATCH, lstm, gemm)).isInstanceOf(RnnlabException.class)
                .hasMessageContaining("the scratch model is D2L 8.5's");
        assertThatThrownBy(() -> Models.initialized(ModelKind.SCRATCH, one, Initialization.PYTORCH, 1, gemm))
                .isInstanceOf(RnnlabException.class).hasMessageContaining("scratch model uses d2l");
        assertThatThrownBy(() -> Models.sharded(scratch, 2, gemm)).isInstanceOf(RnnlabException.class);
    }

    @Test
    void shardingKeepsTheWeights() {
        LanguageModel m = Models.initialized(ModelKind.ENGINE, lstm, Initialization.AUTO, 3, gemm);
        assertThat(Models.sharded(m, 1, gemm)).isSameAs(m);
        LanguageModel two = Models.sharded(m, 2, gemm);
        assertThat(two).isInstanceOf(ShardedModel.class);
        assertThat(two.parameters().values()).isEqualTo(m.parameters().values());
        assertThat(Models.kindOf(two)).isEqualTo(ModelKind.ENGINE);
        assertThat(ModelKind.fromId("rnn")).isEqualTo(ModelKind.ENGINE);
        assertThatThrownBy(() -> ModelKind.fromId("transformer")).isInstanceOf(RnnlabException.class);
    }
}
