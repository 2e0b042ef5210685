package example;

import dev.rnnlab.nn.CellType;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.run.TrainedModel;
import dev.rnnlab.run.TrainingRun;
import dev.rnnlab.train.EpochMetrics;
import java.nio.file.Path;

/** Trains a small character-level GRU on a text file, then continues a prefix: rnnlab used as a library. */
public final class TrainAndGenerate {
    private TrainAndGenerate() {}

    /** Arguments: the text file, a checkpoint directory, a prefix. */
    public static void main(String[] args) {
        String sample = run(Path.of(args[0]), Path.of(args[1]), args.length > 2 ? args[2] : "the ");
        System.out.println(sample);
    }

    /** Trains 2 epochs on the file's first 10,000 characters and returns 40 greedy characters after {@code prefix}. */
    public static String run(Path text, Path checkpoint, String prefix) {
        RunSpec spec = RunSpec.builder().corpus(text).maxTokens(10_000).cell(CellType.GRU).hidden(64)
                .optimizer("adam").lr(0.01).epochs(2).build();
        try (TrainingRun run = TrainingRun.builder(spec).checkpointDirectory(checkpoint).build()) {
            for (EpochMetrics m : run.run()) {
                System.out.printf("epoch %d: perplexity %.2f%n", m.epoch(), m.trainPerplexity());
            }
        }
        return TrainedModel.load(checkpoint).generate(prefix, 40);
    }
}
