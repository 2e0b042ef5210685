package dev.rnnlab.cli;

import dev.rnnlab.Rng;
import dev.rnnlab.generate.Generator;
import dev.rnnlab.generate.Prompt;
import dev.rnnlab.generate.TokenSampler;
import dev.rnnlab.run.TrainedModel;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
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
        description = "Warms the model up on a prefix, then generates tokens: greedily (D2L) or by sampling.")
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

    @Option(names = "--seed", defaultValue = "42", description = "Seed for sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    EngineOptions engine;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (n < 0) throw new dev.rnnlab.RnnlabException("-n must be >= 0, got " + n);
        boolean sampling = temperature != null || topK > 0 || topP < 1;
        TokenSampler sampler = sampling ? TokenSampler.sampling(temperature == null ? 1.0 : temperature, topK, topP) : TokenSampler.greedy();
        TrainedModel c = TrainedModel.load(checkpoint, engine.gemm());
        if (c.model().config().bidirectional()) {
            throw new dev.rnnlab.RnnlabException("checkpoint '" + checkpoint + "' is a bidirectional model: it reads each token's"
                    + " future, so it cannot generate (eval can score text with it)");
        }
        Normalizer normalizer = c.normalizer();
        Tokenizer tokenizer = c.tokenizer();
        Generator g = new Generator(c.model());
        int[] ids = Prompt.encode(prefix, normalizer, tokenizer, c.vocabulary(), w -> {
            err.println("rnnlab: " + w);
            err.flush();
        });
        if (sampling && temperature == null) {
            err.println("rnnlab: --top-k/--top-p sample from the model at temperature 1 (no --temperature given); without them"
                    + " generation is greedy");
        }
        out.print(prefix);
        out.flush();
        g.generate(ids, n, sampler, new Rng(seed), t -> {
            out.print(Prompt.render(t, tokenizer, c.vocabulary()));
            out.flush();
        });
        out.println();
        out.flush();
        return 0;
    }
}
