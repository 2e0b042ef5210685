package dev.rnnlab.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnlab.Rng;
import dev.rnnlab.RnnlabException;
import dev.rnnlab.io.JsonLines;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Trainer;
import dev.rnnlab.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Samples while a model trains, as D2L 8.5 prints {@code predict('time traveller')} every 10 epochs: every
 * {@code every} epochs (and after the last) each prefix is continued greedily by {@code length} tokens and
 * the texts are appended as one JSON line to {@code samples.jsonl}, with the settings that made them.
 * Greedy decoding draws no random numbers, so sampling leaves training bit-identical; the model is put in
 * evaluation mode for it and the next epoch puts it back.
 */
public final class TrainingSamples implements TrainingListener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Corpus corpus;
    private final List<String> prefixes;
    private final List<int[]> prompts = new ArrayList<>();
    private final int length, every;

    /**
     * Samples {@code length} tokens from each of {@code prefixes} (encoded as {@code corpus} encodes text, so
     * a bad prefix fails here, before training) every {@code every} epochs into {@code file}.
     */
    public TrainingSamples(Path file, Corpus corpus, List<String> prefixes, int length, int every) {
        this.file = Objects.requireNonNull(file);
        this.corpus = corpus;
        this.prefixes = List.copyOf(prefixes);
        if (length < 1) throw new RnnlabException("sample length must be >= 1, got " + length);
        if (every < 1) throw new RnnlabException("samples every N epochs needs N >= 1, got " + every);
        if (prefixes.isEmpty()) throw new RnnlabException("samples need at least one prefix");
        this.length = length;
        this.every = every;
        for (String p : prefixes) prompts.add(Prompt.encode(p, corpus.normalizer(), corpus.tokenizer(), corpus.vocabulary(), w -> { }));
    }

    @Override
    public void trainingStarted(Trainer trainer) {
        JsonLines.dropEpochsFrom(file, trainer.epochsDone() + 1);  // a resumed run replays the epochs after its checkpoint
    }

    @Override
    public void epochEnded(EpochMetrics m, Trainer trainer) {
        boolean last = m.epoch() == m.epochs() || trainer.stoppedByTimeBudget() || trainer.stoppedEarly();
        if (m.epoch() % every != 0 && !last) return;
        Generator generator = new Generator(trainer.model());
        ObjectNode line = JSON.createObjectNode().put("epoch", m.epoch()).put("length", length).put("decoding", "greedy");
        ArrayNode texts = line.putArray("samples");
        for (int i = 0; i < prompts.size(); i++) {
            StringBuilder text = new StringBuilder();
            generator.generate(prompts.get(i), length, TokenSampler.greedy(), new Rng(0),
                    t -> text.append(Prompt.render(t, corpus.tokenizer(), corpus.vocabulary())));
            texts.addObject().put("prefix", prefixes.get(i)).put("text", text.toString());
        }
        JsonLines.append(file, line);
    }
}
