package dev.rnnlab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rnnlab.RealCorpora;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.Rng;
import dev.rnnlab.generate.GenerationSession;
import dev.rnnlab.generate.Prompt;
import dev.rnnlab.generate.TokenSampler;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.Evaluator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests with seeds, stop strings, beams and time limits; conversations; per-token scores; replicas. */
class GenerationRequestTest {
    @TempDir
    static Path dir;

    static TrainedModel model;
    static final Gemm GEMM = Gemm.create(Gemm.Backend.JAVA, 1, false);

    @BeforeAll
    static void train() {
        RunSpec spec = RunSpec.builder().corpus(RealCorpora.timemachine()).maxTokens(5000).cell(CellType.LSTM).hidden(32)
                .batch(8).steps(20).epochs(3).build();
        try (TrainingRun run = TrainingRun.builder(spec).gemm(GEMM).checkpointDirectory(dir.resolve("lstm")).build()) {
            run.run();
        }
        model = TrainedModel.load(dir.resolve("lstm"), GEMM);
    }

    @Test
    void aRequestGeneratesWhatTheShortFormsGenerate() {
        GenerationResult greedy = model.generate(GenerationRequest.builder("the time ").length(30).build(), s -> { });
        assertThat("the time " + greedy.text()).isEqualTo(model.generate("the time ", 30));
        assertThat(greedy.tokens()).isEqualTo(30);
        assertThat(greedy.finish()).isEqualTo(GenerationResult.Finish.LENGTH);
        GenerationRequest warm = GenerationRequest.builder("the ").length(40).temperature(0.8).topP(0.9).seed(7).build();
        List<String> pieces = new ArrayList<>();
        GenerationResult sampled = model.generate(warm, pieces::add);
        assertThat("the " + sampled.text()).isEqualTo(model.generate("the ", 40, TokenSampler.sampling(0.8, 0, 0.9), 7));
        assertThat(String.join("", pieces)).isEqualTo(sampled.text());
        assertThat(model.replica(Gemm.create(Gemm.Backend.JAVA, 1, false)).generate(warm, s -> { }).text()).isEqualTo(sampled.text());
    }

    @Test
    void generationEndsBeforeTheFirstStopStringAndNeverShowsPartOfIt() {
        GenerationRequest.Builder b = GenerationRequest.builder("the time ").length(200).temperature(1).seed(3);
        String free = model.generate(b.build(), s -> { }).text();
        int at = free.indexOf("e ");
        assertThat(at).isPositive();
        List<String> pieces = new ArrayList<>();
        GenerationResult stopped = model.generate(b.stop(List.of("e ", "zzz")).build(), pieces::add);
        assertThat(stopped.text()).isEqualTo(free.substring(0, at));
        assertThat(stopped.finish()).isEqualTo(GenerationResult.Finish.STOP);
        assertThat(stopped.tokens()).isEqualTo(at + 2);  // the stop string's tokens were generated, not shown
        assertThat(String.join("", pieces)).isEqualTo(stopped.text());
    }

    @Test
    void beamSearchOfWidthOneIsGreedyAndAWiderBeamIsDeterministic() {
        // (that beam search finds the most probable text is checked exhaustively in generate.BeamSearchTest)
        GenerationRequest greedy = GenerationRequest.builder("the time ").length(12).build();
        GenerationRequest one = GenerationRequest.builder("the time ").length(12).beam(1, 0).build();
        GenerationRequest four = GenerationRequest.builder("the time ").length(12).beam(4, 0.75).stop(List.of("zz")).build();
        assertThat(model.generate(one, s -> { }).text()).isEqualTo(model.generate(greedy, s -> { }).text());
        GenerationResult b = model.generate(four, s -> { });
        assertThat(b.tokens()).isEqualTo(12);
        assertThat(b.finish()).isEqualTo(GenerationResult.Finish.LENGTH);
        assertThat(model.generate(four, s -> { }).text()).isEqualTo(b.text());
    }

    @Test
    void perTokenScoresAgreeWithTheEvaluatorOnOneStream() {
        String text = "the time traveller for so it will be convenient to speak of him was expounding";
        TokenScores s = model.scoreTokens(text);
        assertThat(s.tokens()).hasSize(text.length());
        assertThat(s.logProbs()).hasSize(text.length() - 1);
        for (double lp : s.logProbs()) assertThat(lp).isNegative();
        int[] ids = model.vocabulary().encode(s.tokens());
        Evaluator.Result e = Evaluator.evaluate(model.model(), ids, 1, 256);
        assertThat(s.meanLoss()).isCloseTo(e.meanLoss(), within(1e-5));
        assertThat(s.perplexity()).isCloseTo(Math.exp(e.meanLoss()), within(1e-4));
    }

    @Test
    void aConversationKeepsItsStateAcrossTurns() {
        GenerationRequest settings = GenerationRequest.builder("unused").length(20).build();
        TrainedModel.Conversation c = model.conversation();
        String first = c.reply("the time ", settings, s -> { }, w -> { }).text();
        String second = c.reply("the ", settings, s -> { }, w -> { }).text();
        // the second turn continues the first: the state holds "the time ", the first reply, then "the "
        GenerationSession session = new GenerationSession(model.model());
        session.feed(Prompt.encode("the time ", model.normalizer(), model.tokenizer(), model.vocabulary(), w -> { }));
        for (int i = 0; i < 20; i++) session.next(TokenSampler.greedy(), new Rng(0));
        session.feed(Prompt.encode("the ", model.normalizer(), model.tokenizer(), model.vocabulary(), w -> { }));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20; i++) expected.append(model.vocabulary().tokenOf(session.next(TokenSampler.greedy(), new Rng(0))));
        assertThat(second).isEqualTo(expected.toString());
        assertThat(second).isNotEqualTo(model.generate(GenerationRequest.builder("the ").length(20).build(), s -> { }).text());
        c.reset();
        assertThat(c.reply("the time ", settings, s -> { }, w -> { }).text()).isEqualTo(first);
    }

    @Test
    void aTimeLimitEndsGenerationAndBadSettingsNameTheirField() {
        GenerationResult r = model.generate(GenerationRequest.builder("the ").length(1_000_000).timeLimitSeconds(0.05).build(), s -> { });
        assertThat(r.finish()).isEqualTo(GenerationResult.Finish.TIME);
        assertThat(r.tokens()).isLessThan(1_000_000);
        assertThatThrownBy(() -> GenerationRequest.builder("a").topP(0).build()).isInstanceOf(RnnlabException.class)
                .hasMessage("top_p must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> GenerationRequest.builder("a").temperature(1).beam(3, 0.75).build())
                .hasMessage("beam search chooses the most probable text; give it no temperature");
        assertThatThrownBy(() -> GenerationRequest.builder("a").stop(List.of("")).build()).hasMessage("stop strings must not be empty");
        assertThatThrownBy(() -> GenerationRequest.builder("").build()).hasMessage("prefix must not be empty");
    }
}
