package dev.rnnlab.cli;

import dev.rnnlab.RnnlabException;
import dev.rnnlab.run.TrainedModel;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.TokenSequence;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import dev.rnnlab.train.Evaluator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnlab eval}: perplexity of a trained model on any text. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Perplexity and bits per token of a checkpoint's model on a text file, read with the checkpoint's"
                + " normalization, tokenization and vocabulary (unknown tokens count as <unk>).",
            "The text is cut into --batch contiguous streams read --steps tokens at a time with the hidden state carried."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR", required = true, description = "A checkpoint written by rnnlab train.")
    Path checkpoint;

    @Parameters(paramLabel = "FILE", description = "A UTF-8 text file, or a corpus directory made by rnnlab prepare.")
    Path file;

    @Option(names = "--batch", defaultValue = "32", description = "Parallel streams (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", defaultValue = "256", description = "Tokens per forward (default: ${DEFAULT-VALUE}).")
    int steps;

    @Mixin
    EngineOptions engine;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (batch < 1 || steps < 1) throw new RnnlabException("--batch and --steps must be >= 1");
        TrainedModel c = TrainedModel.load(checkpoint, engine.gemm());
        Normalizer normalizer = c.normalizer();
        Tokenizer tokenizer = c.tokenizer();
        Corpus text = c.read(file);
        TokenSequence tokens = text.tokens();
        long unknown = 0;
        int[] chunkOfTokens = new int[1 << 16];
        for (long at = 0; at < tokens.length(); at += chunkOfTokens.length) {
            int n = (int) Math.min(chunkOfTokens.length, tokens.length() - at);
            tokens.copyTo(at, chunkOfTokens, 0, n);
            for (int i = 0; i < n; i++) if (chunkOfTokens[i] == 0) unknown++;
        }
        if (text.length() < 2) throw new RnnlabException("'" + file + "' has " + text.length() + " token(s); eval needs at least 2");
        int streams = (int) Math.max(1, Math.min(batch, (text.length() - 1) / 2));
        if (streams < batch) {
            spec.commandLine().getErr().printf(Locale.ROOT, "rnnlab: %,d tokens make at most %d streams: evaluating with --batch %d"
                    + " instead of %d (the perplexity depends on the streams: each starts from a zero state)%n", text.length(), streams,
                    streams, batch);
        }
        // no chunk is longer than a stream, so a huge --steps allocates no more than the text needs
        int chunk = (int) Math.min(steps, Math.max(1, (text.length() - 1) / streams));
        Evaluator.Result r = Evaluator.evaluate(c.model(), tokens, streams, chunk);
        String unit = tokenizer == Tokenizer.CHAR ? "char" : "word";
        out.printf(Locale.ROOT, "%s: %,d %s tokens (%,d unknown), %,d predicted%n", file, text.length(), unit, unknown, r.tokens());
        out.printf(Locale.ROOT, "perplexity %.4f  cross-entropy %.4f nats/%s  %.4f bits/%s%n", r.perplexity(), r.meanLoss(), unit,
                r.bitsPerToken(), unit);
        out.flush();
        return 0;
    }
}
