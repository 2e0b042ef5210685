package dev.rnnlab.cli;

import dev.rnnlab.run.GenerationRequest;
import dev.rnnlab.run.TrainedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rnnlab generate}: text from a trained checkpoint, streamed token by token (D2L 8.5.4's predict). */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Warms the model up on a prefix, then generates tokens: greedily (D2L), by sampling, or by beam search;"
                + " with --interactive, turn after turn from the terminal.")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "DIR", required = true, description = "A checkpoint written by rnnlab train.")
    Path checkpoint;

    @Option(names = "--prefix", paramLabel = "TEXT", defaultValue = "time traveller", description = "Prefix (default: '${DEFAULT-VALUE}').")
    String prefix;

    @Option(names = {"-n", "--tokens"}, paramLabel = "N", defaultValue = "200", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--temperature", paramLabel = "T", description = "Sample from softmax(logits/T) instead of taking the argmax.")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "With sampling: only the K most likely tokens (default: ${DEFAULT-VALUE} = all).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1", description = "With sampling: the smallest set of tokens with probability >= P (default: ${DEFAULT-VALUE} = all).")
    double topP;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for sampling: the same seed gives the same text (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "End the output before this text (repeatable).")
    java.util.List<String> stop = new java.util.ArrayList<>();

    @Option(names = "--beam", paramLabel = "WIDTH", defaultValue = "1",
            description = "Beam search with WIDTH hypotheses (D2L 9.8.3) instead of greedy or sampled tokens (default: ${DEFAULT-VALUE} = off).")
    int beam;

    @Option(names = "--length-penalty", paramLabel = "ALPHA", defaultValue = "0.75",
            description = "Beam search ranks by log P / L^ALPHA (D2L 9.8.4; default: ${DEFAULT-VALUE}).")
    double lengthPenalty;

    @Option(names = "--interactive", description = "Read lines from the terminal; after each, the model continues it, keeping"
            + " its state across turns (/reset forgets, Ctrl-D ends).")
    boolean interactive;

    @Mixin
    EngineOptions engine;

    @Mixin
    VerboseOption verbose;

    /** Where --interactive reads its lines (the terminal; tests give their own). */
    java.io.InputStream input = System.in;

    @Override
    public Integer call() throws java.io.IOException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (n < 0) throw new dev.rnnlab.RnnlabException("-n must be >= 0, got " + n);
        boolean sampling = temperature != null || topK > 0 || topP < 1;
        GenerationRequest.Builder settings = GenerationRequest.builder(prefix).length(n).topK(topK).topP(topP).seed(seed).stop(stop)
                .temperature(sampling ? (temperature == null ? 1.0 : temperature) : 0);
        if (beam != 1 || lengthPenalty != 0.75) {
            if (sampling) throw new dev.rnnlab.RnnlabException("--beam finds the most probable text; it takes no --temperature, --top-k or --top-p");
            settings.beam(beam, lengthPenalty);
        }
        GenerationRequest request = settings.build();
        TrainedModel c = TrainedModel.load(checkpoint, engine.gemm());
        if (c.model().config().bidirectional()) {
            throw new dev.rnnlab.RnnlabException("checkpoint '" + checkpoint + "' is a bidirectional model: it reads each token's"
                    + " future, so it cannot generate (eval can score text with it)");
        }
        java.util.function.Consumer<String> warn = w -> {
            err.println("rnnlab: " + w);
            err.flush();
        };
        if (!interactive) {
            // a prefix the model cannot read is an error before anything is printed
            dev.rnnlab.generate.Prompt.encode(prefix, c.normalizer(), c.tokenizer(), c.vocabulary(), warn);
        }
        if (sampling && temperature == null) {
            err.println("rnnlab: --top-k/--top-p sample from the model at temperature 1 (no --temperature given); without them"
                    + " generation is greedy");
        }
        java.util.function.Consumer<String> show = piece -> {
            out.print(piece);
            out.flush();
        };
        TrainedModel.Conversation conversation = c.conversation();
        if (!interactive) {
            out.print(prefix);
            out.flush();
            conversation.reply(prefix, request, show, w -> { });  // warned above
            out.println();
            out.flush();
            return 0;
        }
        err.println("rnnlab: interactive: type text and press Enter; the model continues it with up to " + n + " tokens and keeps"
                + " its state for the next line (/reset forgets it, Ctrl-D ends)");
        err.flush();
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(input, java.nio.charset.StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.strip().equals("/reset")) {
                conversation.reset();
                err.println("rnnlab: context forgotten");
                err.flush();
                continue;
            }
            try {
                conversation.reply(line + "\n", request, show, warn);
                out.println();
                out.flush();
            } catch (dev.rnnlab.RnnlabException e) {
                err.println("rnnlab: " + e.getMessage());
                err.flush();
            }
        }
        return 0;
    }
}
