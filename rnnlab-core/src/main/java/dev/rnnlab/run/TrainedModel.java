package dev.rnnlab.run;

import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.generate.BeamSearch;
import dev.rnnlab.generate.GenerationSession;
import dev.rnnlab.generate.Generator;
import dev.rnnlab.generate.StopStrings;
import dev.rnnlab.generate.Prompt;
import dev.rnnlab.generate.TokenSampler;
import dev.rnnlab.io.Checkpoint;
import dev.rnnlab.nn.LanguageModel;
import dev.rnnlab.nn.Models;
import dev.rnnlab.nn.RecurrentState;
import dev.rnnlab.tensor.Activations;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.TokenFile;
import dev.rnnlab.text.TokenSequence;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.text.Vocabulary;
import dev.rnnlab.train.Evaluator;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A language model with the text pipeline it was trained with (normalization, tokenization, vocabulary):
 * the short path for what one does with a trained model. Load one from a checkpoint or take it from a
 * finished {@link TrainingRun}; generate text from a prefix, score a text, export the weights for PyTorch.
 * Text in and text out; the token ids stay inside.
 */
public final class TrainedModel {
    /** Streams and chunk length for scoring, as {@code rnnlab eval}'s defaults. */
    private static final int SCORE_STREAMS = 32, SCORE_STEPS = 256;

    private final LanguageModel model;
    private final Vocabulary vocabulary;
    private final Normalizer normalizer;
    private final Tokenizer tokenizer;
    private final String version;

    private TrainedModel(LanguageModel model, Vocabulary vocabulary, Normalizer normalizer, Tokenizer tokenizer, String version) {
        this.model = model;
        this.vocabulary = vocabulary;
        this.normalizer = normalizer;
        this.tokenizer = tokenizer;
        this.version = version;
    }

    /**
     * The model saved in a checkpoint directory, on the default backend ({@link Gemm#allCores()}: oneDNN when
     * it loads, else OpenBLAS, else pure Java, on every core).
     */
    public static TrainedModel load(Path checkpoint) {
        return load(checkpoint, Gemm.allCores());
    }

    /** The model saved in a checkpoint directory, on the given backend. */
    public static TrainedModel load(Path checkpoint, Gemm gemm) {
        Checkpoint.Loaded c = Checkpoint.read(checkpoint, gemm);
        Checkpoint.Provenance p = c.info().provenance();
        return new TrainedModel(c.model(), c.vocabulary(), Normalizer.parse(p.normalizer()), Tokenizer.parse(p.tokenizer()),
                c.info().rnnlabVersion());
    }

    /** The model a run trained, as it is now (call after {@link TrainingRun#run()}, before closing the run). */
    public static TrainedModel of(TrainingRun run) {
        Corpus c = run.corpus();
        return new TrainedModel(run.model(), c.vocabulary(), c.normalizer(), c.tokenizer(), dev.rnnlab.RnnlabVersion.get());
    }

    /** D2L's {@code predict_ch8}: warm up on {@code prefix}, then {@code tokens} greedy tokens; returns prefix and continuation. */
    public String generate(String prefix, int tokens) {
        return generate(prefix, tokens, TokenSampler.greedy(), 0);
    }

    /**
     * Warms up on {@code prefix}, then draws {@code tokens} tokens with {@code sampler} (e.g.
     * {@code TokenSampler.sampling(0.8, 0, 0.95)}) from a generator seeded with {@code seed}; the same seed
     * gives the same text. Prefix tokens outside the vocabulary are read as {@code <unk>}.
     */
    public String generate(String prefix, int tokens, TokenSampler sampler, long seed) {
        return generate(prefix, tokens, sampler, seed, w -> { });
    }

    /** As {@link #generate(String, int, TokenSampler, long)}, telling {@code warnings} about unknown prefix tokens. */
    public String generate(String prefix, int tokens, TokenSampler sampler, long seed, Consumer<String> warnings) {
        if (tokens < 0) throw new RnnlabException("tokens to generate must be >= 0, got " + tokens);
        if (model.config().bidirectional()) {
            throw new RnnlabException("a bidirectional model reads each token's future, so it cannot generate (score text with it)");
        }
        int[] ids = Prompt.encode(prefix, normalizer, tokenizer, vocabulary, warnings);
        StringBuilder out = new StringBuilder(prefix);
        new Generator(model).generate(ids, tokens, sampler, new Rng(seed), t -> out.append(Prompt.render(t, tokenizer, vocabulary)));
        return out.toString();
    }

    /**
     * A model sharing these weights but with its own working memory, computing on {@code gemm}: one per
     * thread when several requests are served at once (the weights are held once, whatever the count).
     */
    public TrainedModel replica(Gemm gemm) {
        return new TrainedModel(Models.replica(model, gemm), vocabulary, normalizer, tokenizer, version);
    }

    /**
     * Generates as {@code request} says, passing each piece of text to {@code onText} as soon as it is final
     * (text that might begin a stop string is held back until it cannot). The same request gives the same text.
     */
    public GenerationResult generate(GenerationRequest request, Consumer<String> onText) {
        Conversation c = conversation();
        return c.reply(request.prefix(), request, onText, w -> { });
    }

    /**
     * A hidden state kept across turns: each {@link Conversation#reply} feeds its input after everything
     * said so far, then generates; {@code rnnlab generate --interactive} is one.
     */
    public Conversation conversation() {
        requireForward();
        return new Conversation();
    }

    /** One batch-1 state that turns of input and output extend (see {@link #conversation()}). */
    public final class Conversation {
        private final GenerationSession session = new GenerationSession(model);

        private Conversation() {}

        /**
         * Feeds {@code input} (read the model's way), then generates as {@code settings} says (its prefix is
         * ignored); the output stays in the context for the next turn, cut at a stop string if one appeared.
         */
        public GenerationResult reply(String input, GenerationRequest settings, Consumer<String> onText, Consumer<String> warnings) {
            long start = System.nanoTime();
            int[] ids = Prompt.encode(input, normalizer, tokenizer, vocabulary, warnings);
            session.feed(ids);
            if (settings.length() == 0) return new GenerationResult("", 0, GenerationResult.Finish.LENGTH, (System.nanoTime() - start) / 1e9);
            StopStrings stops = new StopStrings(settings.stop());
            double limit = settings.timeLimitSeconds();
            if (settings.beamWidth() > 1) return beam(settings, onText, start);
            TokenSampler sampler = settings.sampler();
            Rng rng = new Rng(settings.seed());
            StringBuilder text = new StringBuilder();
            GenerationResult.Finish finish = GenerationResult.Finish.LENGTH;
            int n = 0;
            while (n < settings.length()) {
                if (limit > 0 && (System.nanoTime() - start) / 1e9 > limit) {
                    finish = GenerationResult.Finish.TIME;
                    break;
                }
                int t = session.next(sampler, rng);
                n++;
                String shown = stops.accept(Prompt.render(t, tokenizer, vocabulary));
                text.append(shown);
                if (!shown.isEmpty()) onText.accept(shown);
                if (stops.stopped()) {
                    finish = GenerationResult.Finish.STOP;
                    break;
                }
            }
            if (!stops.stopped()) {
                String rest = stops.flush();
                text.append(rest);
                if (!rest.isEmpty()) onText.accept(rest);
            }
            return new GenerationResult(text.toString(), n, finish, (System.nanoTime() - start) / 1e9);
        }

        private GenerationResult beam(GenerationRequest settings, Consumer<String> onText, long start) {
            // beam search scores whole hypotheses, so it runs on its own states and shows the winner at the end
            List<String> stops = settings.stop();
            BeamSearch.Result r = new BeamSearch(model).search(session, Math.max(1, settings.length()), settings.beamWidth(),
                    settings.lengthPenalty(), stops.isEmpty() ? null : (tokens, n) -> {
                        String text = render(tokens, n);
                        for (String s : stops) if (text.contains(s)) return true;
                        return false;
                    });
            String text = render(r.tokens(), r.tokens().length);
            if (r.finished()) {
                int cut = text.length();
                for (String s : stops) {
                    int at = text.indexOf(s);
                    if (at >= 0) cut = Math.min(cut, at);
                }
                text = text.substring(0, cut);
            }
            session.feed(r.tokens());
            if (!text.isEmpty()) onText.accept(text);
            return new GenerationResult(text, r.tokens().length, r.finished() ? GenerationResult.Finish.STOP
                    : GenerationResult.Finish.LENGTH, (System.nanoTime() - start) / 1e9);
        }

        /** Forgets everything said so far. */
        public void reset() {
            session.reset();
        }
    }

    private String render(int[] tokens, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(Prompt.render(tokens[i], tokenizer, vocabulary));
        return b.toString();
    }

    private void requireForward() {
        if (model.config().bidirectional()) {
            throw new RnnlabException("a bidirectional model reads each token's future, so it cannot generate (score text with it)");
        }
    }

    /**
     * The log probability of every token of {@code text} given the ones before it (read the model's way;
     * unknown tokens are {@code <unk>}), run as one stream in chunks of {@value #SCORE_STEPS} tokens.
     */
    public TokenScores scoreTokens(String text) {
        List<String> tokens = tokenizer.tokenize(text, normalizer);
        if (tokens.size() < 2) throw new RnnlabException("the text has " + tokens.size() + " token(s); scoring needs at least 2");
        int[] ids = vocabulary.encode(tokens);
        int vocab = model.config().vocab();
        model.setTraining(false, null);
        RecurrentState state = model.zeroState(1);
        double[] logProbs = new double[ids.length - 1];
        for (int from = 0; from < ids.length - 1; from += SCORE_STEPS) {
            int steps = Math.min(SCORE_STEPS, ids.length - 1 - from);
            model.forward(java.util.Arrays.copyOfRange(ids, from, from + steps), null, steps, 1, state);
            model.finalState(state);
            float[] logits = model.logits();
            for (int t = 0; t < steps; t++) {
                logProbs[from + t] = logits[t * vocab + ids[from + t + 1]] - Activations.logSumExp(logits, t * vocab, vocab);
            }
        }
        return new TokenScores(vocabulary.decode(ids), logProbs);
    }

    /** Perplexity and bits per token of the model on {@code text}, read with the model's own pipeline. */
    public Evaluator.Result score(String text) {
        List<String> tokens = tokenizer.tokenize(text, normalizer);
        return score(vocabulary.encode(tokens), "the text");
    }

    /**
     * Perplexity and bits per token of the model on a UTF-8 file or a prepared corpus directory (streamed;
     * tokens outside the vocabulary are {@code <unk>}).
     */
    public Evaluator.Result score(Path file) {
        return score(read(file).tokens(), "'" + file + "'");
    }

    /**
     * A UTF-8 file read with the model's own normalization and tokenization, or a corpus directory made by
     * {@code rnnlab prepare} (memory-mapped, so any size; it must have been prepared the model's way), in
     * the model's vocabulary: tokens it lacks are {@code <unk>}.
     */
    public Corpus read(Path fileOrPrepared) {
        if (!TokenFile.isPrepared(fileOrPrepared)) return Corpus.encode(fileOrPrepared, normalizer, tokenizer, vocabulary);
        Corpus prepared = TokenFile.open(fileOrPrepared);
        if (prepared.normalizer() != normalizer || prepared.tokenizer() != tokenizer) {
            throw new RnnlabException("'" + fileOrPrepared + "' was prepared with --normalize " + prepared.normalizer().id() + " --tokens "
                    + prepared.tokenizer().id() + ", but the model reads " + normalizer.id() + " " + tokenizer.id()
                    + " tokens; prepare the text again that way");
        }
        return prepared.inVocabulary(vocabulary);
    }

    private Evaluator.Result score(int[] ids, String what) {
        return score(TokenSequence.of(ids), what);
    }

    private Evaluator.Result score(TokenSequence ids, String what) {
        long n = ids.length();
        if (n < 2) throw new RnnlabException(what + " has " + n + " token(s); scoring needs at least 2");
        int streams = (int) Math.max(1, Math.min(SCORE_STREAMS, (n - 1) / 2));
        int chunk = (int) Math.min(SCORE_STEPS, Math.max(1, (n - 1) / streams));
        return Evaluator.evaluate(model, ids, streams, chunk);
    }

    /**
     * Writes the weights as one safetensors file under PyTorch's names ({@code rnn.weight_ih_l0},
     * {@code linear.weight}, ...: D2L's RNNModel), so {@code safetensors.torch.load_file} and {@code load_state_dict} read it.
     * The file appears whole or not at all.
     */
    public void exportSafetensors(Path file) {
        Checkpoint.exportWeights(file, model, version);
    }

    /** The network itself, for what the short path does not cover. */
    public LanguageModel model() {
        return model;
    }

    /** The vocabulary, index 0 being {@code <unk>}. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The normalization text goes through before tokenizing. */
    public Normalizer normalizer() {
        return normalizer;
    }

    /** Characters or words. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }
}
