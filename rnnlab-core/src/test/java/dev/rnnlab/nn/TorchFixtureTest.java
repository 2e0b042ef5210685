package dev.rnnlab.nn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.tensor.Gemm;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine against PyTorch: fixtures made by tools/reference/make_fixtures.py (PyTorch 1.13, float64)
 * hold weights, inputs, initial states, and PyTorch's outputs, final states, loss and every gradient for
 * nn.RNN/GRU/LSTM (1 and 2 layers, bidirectional, one-hot and embedding) + Linear + cross-entropy.
 *
 * <p>Tolerance: 1e-4 relative, where "relative" is to max(|reference|, rms of the reference tensor), so
 * that entries near zero are judged at the scale of their tensor rather than demanding 1e-4 of a value
 * that is itself rounding noise. The engine computes in float32 (unit round-off 6e-8) over sums of at most
 * a few hundred terms here, so agreement to 1e-4 leaves a wide margin for correct code and none for a
 * wrong term.
 */
class TorchFixtureTest {
    static final double REL = 1e-4;
    static final String[] CASES = {"rnn_tanh_l1", "rnn_relu_l1", "rnn_tanh_l2", "rnn_tanh_bi", "rnn_tanh_l2_bi",
            "gru_l1", "gru_l2", "gru_bi", "gru_l2_bi", "lstm_l1", "lstm_l2", "lstm_bi", "lstm_l2_bi",
            "lstm_embed_l1", "gru_embed_l2", "lstm_l1_noinit", "lstm_v28_h16", "lstm_embed_tied", "gru_l2_bi_tied",
            "lstm_ln_l2", "lstm_ln_bi", "lstm_ln_embed_l1"};  // the last three: tools/reference/make_layernorm_fixtures.py

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Gemm.Backend b : new Gemm.Backend[] {Gemm.Backend.ONEDNN, Gemm.Backend.OPENBLAS, Gemm.Backend.JAVA})
            for (String c : CASES) out.add(Arguments.of(c, b));
        return out.stream();
    }

    static JsonNode load(String name) throws IOException {
        try (InputStream in = TorchFixtureTest.class.getResourceAsStream("/fixtures/torch/" + name + ".json")) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    static float[] floats(JsonNode tensor) {
        JsonNode data = tensor.get("data");
        float[] a = new float[data.size()];
        for (int i = 0; i < a.length; i++) a[i] = (float) data.get(i).asDouble();
        return a;
    }

    static int[] shape(JsonNode tensor) {
        JsonNode s = tensor.get("shape");
        int[] a = new int[s.size()];
        for (int i = 0; i < a.length; i++) a[i] = s.get(i).asInt();
        return a;
    }

    static int[] ints(JsonNode arr) {
        int[] a = new int[arr.size()];
        for (int i = 0; i < a.length; i++) a[i] = arr.get(i).asInt();
        return a;
    }

    static ModelConfig config(JsonNode c) {
        // "tie": PyTorch's linear.weight is its embedding.weight (weight tying)
        return new ModelConfig(CellType.parse(c.get("cell").asText()), c.get("vocab").asInt(), c.get("embed").asInt(),
                c.get("hidden").asInt(), c.get("layers").asInt(), c.get("bidirectional").asBoolean(), 0f,
                Regularization.builder().tieWeights(c.path("tie").asBoolean(false)).build());
    }

    /** Loads the fixture's weights into a new model. */
    static RecurrentLanguageModel model(JsonNode f, Gemm gemm) {
        RecurrentLanguageModel m = new RecurrentLanguageModel(config(f.get("config")), gemm);
        Iterator<Map.Entry<String, JsonNode>> it = f.get("params").fields();
        int seen = 0;
        while (it.hasNext()) {
            var e = it.next();
            m.parameters().set(e.getKey(), shape(e.getValue()), floats(e.getValue()));
            seen++;
        }
        assertThat(seen).as("every tensor of the model has a fixture entry").isEqualTo(m.parameters().tensors().size());
        return m;
    }

    static RecurrentState state(RecurrentLanguageModel m, JsonNode f, int batch) {
        RecurrentState s = m.zeroState(batch);
        float[] h = floats(f.get("h0"));
        float[] c = f.has("c0") ? floats(f.get("c0")) : null;
        int n = batch * m.config().hidden();
        for (int k = 0; k < s.slots(); k++) {
            System.arraycopy(h, k * n, s.h(k), 0, n);
            if (c != null) System.arraycopy(c, k * n, s.c(k), 0, n);
        }
        return s;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesPyTorch(String name, Gemm.Backend backend) throws IOException {
        JsonNode f = load(name);
        RecurrentLanguageModel m = model(f, Gemm.create(backend, 1, false));
        int steps = f.get("config").get("steps").asInt(), batch = f.get("config").get("batch").asInt();
        int[] x = ints(f.get("inputs")), y = ints(f.get("targets"));
        RecurrentState h0 = state(m, f, batch);

        double loss = m.forward(x, y, steps, batch, h0);
        assertThat(Math.abs(loss - f.get("loss").asDouble())).as("%s loss", name).isLessThan(REL * Math.abs(f.get("loss").asDouble()));
        StringBuilder report = new StringBuilder(name + " " + backend + ":");
        report.append(compare(name + " outputs", m.outputs(), f.get("outputs")));
        report.append(compare(name + " logits", m.logits(), f.get("logits")));

        RecurrentState end = m.zeroState(batch);
        m.finalState(end);
        report.append(compare(name + " hn", concat(end, false), f.get("hn")));
        if (f.has("cn")) report.append(compare(name + " cn", concat(end, true), f.get("cn")));

        m.parameters().zeroGrads();
        RecurrentState dh0 = m.zeroState(batch);
        m.backward(dh0, null);
        Iterator<Map.Entry<String, JsonNode>> it = f.get("grads").fields();
        while (it.hasNext()) {
            var e = it.next();
            report.append(compare(name + " d" + e.getKey(), m.parameters().grad(e.getKey()), e.getValue()));
        }
        report.append(compare(name + " dh0", concat(dh0, false), f.get("grad_h0")));
        if (f.has("grad_c0")) report.append(compare(name + " dc0", concat(dh0, true), f.get("grad_c0")));
        System.out.println(report);
    }

    static float[] concat(RecurrentState s, boolean cell) {
        int n = s.batch() * s.hidden();
        float[] out = new float[s.slots() * n];
        for (int k = 0; k < s.slots(); k++) System.arraycopy(cell ? s.c(k) : s.h(k), 0, out, k * n, n);
        return out;
    }

    /** Asserts agreement; returns " what=worst relative error". */
    static String compare(String what, float[] actual, JsonNode expectedTensor) {
        JsonNode data = expectedTensor.get("data");
        int n = data.size();
        double sq = 0;
        for (int i = 0; i < n; i++) sq += data.get(i).asDouble() * data.get(i).asDouble();
        double rms = Math.sqrt(sq / Math.max(n, 1));
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double e = data.get(i).asDouble(), scale = Math.max(Math.abs(e), rms);
            double rel = scale == 0 ? Math.abs(actual[i]) : Math.abs(actual[i] - e) / scale;
            assertThat(rel).as("%s[%d]: rnnlab %.8g vs PyTorch %.8g", what, i, actual[i], e).isLessThanOrEqualTo(REL);
            worst = Math.max(worst, rel);
        }
        return String.format(Locale.ROOT, " %s=%.1e", what.substring(what.indexOf(' ') + 1), worst);
    }
}
