package dev.rnnlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rnnlab.data.SyntheticCorpus;
import dev.rnnlab.io.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, generate and eval end to end on a small text, and their answers to bad input. */
class TrainCommandTest {
    @TempDir
    Path dir;
    Path text;

    @BeforeEach
    void writeCorpus() throws Exception {
        text = dir.resolve("markov.txt");
        Files.writeString(text, SyntheticCorpus.markov(1, 6, 0.3, 6000, 3).text());
    }

    String[] train(Path ck, String... more) {
        return trainArgs(text, ck, more);
    }

    /** A small LSTM on {@code text} into {@code ck}, quick enough for a test, with {@code more} options after. */
    static String[] trainArgs(Path text, Path ck, String... more) {
        String[] base = {"train", text.toString(), "--normalize", "raw", "--model", "lstm", "--hidden", "16", "--batch", "4",
            "--steps", "10", "--lr", "0.5", "--checkpoint", ck.toString(), "--sample-length", "5", "--backend", "java"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void trainsSavesGeneratesAndEvaluates() throws Exception {
        Path ck = dir.resolve("ck");
        CliRun t = CliRun.of(train(ck, "--epochs", "2", "--split", "0.9,0.1"));
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).contains("epoch 1/2").contains("epoch 2/2").contains("val ppl").contains("sample: ");
        assertThat(ck.resolve("model.safetensors")).exists();
        assertThat(ck.resolve("curve.png")).exists();
        assertThat(Files.readAllLines(ck.resolve("metrics.jsonl"))).hasSize(2).allMatch(l -> l.contains("\"validation_perplexity\""));

        CliRun g = CliRun.of("generate", "--checkpoint", ck.toString(), "--prefix", " e", "-n", "30", "--temperature", "0.8");
        assertThat(g.exitCode()).as(g.err()).isZero();
        assertThat(g.out().strip().length()).isGreaterThanOrEqualTo(30);

        CliRun e = CliRun.of("eval", "--checkpoint", ck.toString(), text.toString());
        assertThat(e.exitCode()).as(e.err()).isZero();
        assertThat(e.out()).containsPattern("perplexity \\d+\\.\\d+");
    }

    @Test
    void theAwdLstmRegularisersTrainAreSavedAndResumedAndRefusedWhereTheyCannotAct() throws Exception {
        Path ck = dir.resolve("awd");
        String[] regs = {"--layers", "2", "--embed", "8", "--embedding-dropout", "0.1", "--input-dropout", "0.2", "--hidden-dropout", "0.2",
            "--output-dropout", "0.3", "--weight-drop", "0.5", "--ar", "2", "--tar", "1", "--split", "0.9,0.1"};
        CliRun t = CliRun.of(train(ck, concat(regs, "--epochs", "2")));
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).contains("embedding dropout 0.1, locked dropout 0.2 in, 0.2 between layers, 0.3 out, weight drop 0.5 on W_hh, AR 2.0, TAR 1.0");
        assertThat(Files.readString(ck.resolve("config.json"))).contains("\"outputDropout\" : 0.3");
        CliRun resumed = CliRun.of("train", "--resume", ck.toString(), "--epochs", "3", "--backend", "java", "--sample-length", "0");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Files.readAllLines(ck.resolve("metrics.jsonl"))).hasSize(3);
        CliRun changed = CliRun.of("train", "--resume", ck.toString(), "--epochs", "4", "--ar", "3", "--backend", "java");
        assertThat(changed.exitCode()).isEqualTo(2);
        assertThat(changed.err()).contains("--ar 3.0 (the checkpoint's: 2.0)");

        CliRun oneHot = CliRun.of(train(dir.resolve("x"), "--input-dropout", "0.2"));
        assertThat(oneHot.exitCode()).isEqualTo(2);
        assertThat(oneHot.err().strip()).isEqualTo("rnnlab: --input-dropout acts on an embedding; give one (--embed N)");
        CliRun oneLayer = CliRun.of(train(dir.resolve("y"), "--hidden-dropout", "0.2"));
        assertThat(oneLayer.exitCode()).isEqualTo(2);
        assertThat(oneLayer.err().strip()).isEqualTo("rnnlab: --hidden-dropout acts between stacked layers; it needs --layers 2 or more");
        CliRun narrow = CliRun.of(train(dir.resolve("w"), "--embed", "8", "--tie-weights"));
        assertThat(narrow.exitCode()).isEqualTo(2);
        assertThat(narrow.err().strip()).isEqualTo("rnnlab: --tie-weights makes the output layer's weight the embedding, so it needs"
                + " --embed equal to the top layer's width, 16 (not 8)");
        CliRun tied = CliRun.of(train(dir.resolve("t"), "--embed", "16", "--tie-weights", "--epochs", "1"));
        assertThat(tied.exitCode()).as(tied.err()).isZero();
        assertThat(tied.out()).contains("embedding and output weights tied");
        CliRun tooMuch = CliRun.of(train(dir.resolve("z"), "--output-dropout", "1"));
        assertThat(tooMuch.exitCode()).isEqualTo(2);
        assertThat(tooMuch.err().strip()).isEqualTo("rnnlab: output dropout (--output-dropout) must be in [0, 1), got 1.0");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void maxTokensTrainsOnTheCorpusStartAndATimeBudgetStopsTheRun() throws Exception {
        CliRun t = CliRun.of(train(dir.resolve("ck"), "--epochs", "1", "--max-tokens", "1000"));
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).contains("markov.txt: 1,000 char tokens (the first of 6,000: --max-tokens 1000; 0 for all)").contains("24 batches/epoch");
        CliRun b = CliRun.of(train(dir.resolve("b"), "--epochs", "1000", "--time-budget", "0.01s"));
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(b.out()).contains("stopped: the time budget of 0.01s ran out during epoch 1").doesNotContain("epoch 2/1000");
        expectError(CliRun.of(train(dir.resolve("x"), "--time-budget", "soon")), "is not a positive duration");
        assertThat(TrainCommand.parseDuration("1.5h")).isEqualTo(5400);
        assertThat(TrainCommand.parseDuration("10m")).isEqualTo(600);
        assertThat(TrainCommand.parseDuration("90")).isEqualTo(90);
    }

    @Test
    void onTheTimeMachineTheDefaultsAreD2lsOwnRun() {
        CliRun t = CliRun.of("train", "--corpus", dev.rnnlab.RealCorpora.timemachine().toString(), "--hidden", "8", "--time-budget", "0.01s",
                "--checkpoint", dir.resolve("d2l").toString(), "--sample-length", "0", "--backend", "java");
        assertThat(t.exitCode()).as(t.err()).isZero();
        assertThat(t.out()).contains("timemachine.txt: 10,000 char tokens (the first of 170,580: --max-tokens 10000; 0 for all), vocabulary 28")
                .contains("(8 batches/epoch)").contains("epoch 1/500");
    }

    @Test
    void aResumedRunEndsBitIdenticalToAnUninterruptedOne() throws Exception {
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        assertThat(CliRun.of(train(straight, "--epochs", "3", "--sampling", "random")).exitCode()).isZero();
        assertThat(CliRun.of(train(split, "--epochs", "2", "--sampling", "random")).exitCode()).isZero();
        CliRun r = CliRun.of("train", "--resume", split.toString(), "--epochs", "3", "--backend", "java", "--sample-length", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("resuming").contains("epoch 3/3").doesNotContain("epoch 2/3");
        assertThat(Files.readAllBytes(split.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(straight.resolve("model.safetensors")));
        assertThat(Files.readAllBytes(split.resolve("optimizer.safetensors"))).isEqualTo(Files.readAllBytes(straight.resolve("optimizer.safetensors")));
    }

    @Test
    void aShardedRunResumesBitIdenticallyToo() throws Exception {
        Path straight = dir.resolve("s1"), split = dir.resolve("s2");
        assertThat(CliRun.of(train(straight, "--epochs", "2", "--shards", "2")).exitCode()).isZero();
        assertThat(CliRun.of(train(split, "--epochs", "1", "--shards", "2")).exitCode()).isZero();
        CliRun r = CliRun.of("train", "--resume", split.toString(), "--epochs", "2", "--shards", "2", "--backend", "java", "--sample-length", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(split.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(straight.resolve("model.safetensors")));
    }

    @Test
    void theLayerNormalisedLstmTrainsShardedResumesGeneratesAndEvaluates() throws Exception {
        Path straight = dir.resolve("ln1"), split = dir.resolve("ln2");
        CliRun t = CliRun.of(train(straight, "--model", "lstm_ln", "--epochs", "2", "--split", "0.9,0.1", "--threads", "2"));
        assertThat(t.exitCode()).as(t.err()).isZero();
        // its normalisations need whole rows, so two threads shard the batch
        assertThat(t.out()).contains("model lstm_ln, 1 layer x 16 hidden").contains("cores: 2 shards").contains("epoch 2/2");
        assertThat(Files.readString(straight.resolve("config.json"))).contains("\"cell\" : \"LSTM_LN\"");
        assertThat(CliRun.of(train(split, "--model", "lstm_ln", "--epochs", "1", "--split", "0.9,0.1", "--threads", "2")).exitCode()).isZero();
        CliRun r = CliRun.of("train", "--resume", split.toString(), "--epochs", "2", "--threads", "2", "--backend", "java", "--sample-length", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(split.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(straight.resolve("model.safetensors")));

        CliRun g = CliRun.of("generate", "--checkpoint", straight.toString(), "--prefix", " e", "-n", "30");
        assertThat(g.exitCode()).as(g.err()).isZero();
        assertThat(g.out().strip().length()).isGreaterThanOrEqualTo(30);
        CliRun e = CliRun.of("eval", "--checkpoint", straight.toString(), text.toString());
        assertThat(e.exitCode()).as(e.err()).isZero();
        assertThat(e.out()).containsPattern("perplexity \\d+\\.\\d+");
    }

    @Test
    void aCheckpointOfNaNWeightsIsRefusedByEveryReader() throws Exception {
        Path ck = dir.resolve("ck");
        assertThat(CliRun.of(train(ck, "--epochs", "1")).exitCode()).isZero();
        // a weight gone bad: the next epoch's loss is NaN
        Path model = ck.resolve("model.safetensors");
        SafeTensors.Contents c = SafeTensors.read(model);
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>(c.tensors());
        t.get("linear.bias").data()[0] = Float.NaN;
        SafeTensors.write(model, t, c.metadata());
        byte[] before = Files.readAllBytes(model);
        expectError(CliRun.of("train", "--resume", ck.toString(), "--epochs", "2", "--backend", "java"),
                "holds weights that are not finite (NaN in linear.bias)");
        expectError(CliRun.of("generate", "--checkpoint", ck.toString()), "holds weights that are not finite");
        expectError(CliRun.of("eval", "--checkpoint", ck.toString(), text.toString()), "holds weights that are not finite");
        assertThat(Files.readAllBytes(model)).isEqualTo(before);
    }

    @Test
    void badInputsGetOneLineAndExitCode2() throws Exception {
        Path ck = dir.resolve("ck");
        assertThat(CliRun.of(train(ck, "--epochs", "1")).exitCode()).isZero();
        expectError(CliRun.of("generate", "--checkpoint", dir.resolve("missing").toString()), "no checkpoint at");
        expectError(CliRun.of("generate", "--checkpoint", ck.toString(), "--prefix", "@@@"), "no token in the model's vocabulary");
        expectError(CliRun.of(train(dir.resolve("x"), "--epochs", "0")), "epochs must be >= 1");
        expectError(CliRun.of(train(dir.resolve("x"), "--epochs", "1", "--batch", "100000")), "too short");
        expectError(CliRun.of(train(dir.resolve("x"), "--epochs", "1", "--model", "transformer")), "unknown --model");
        expectError(CliRun.of("eval", "--checkpoint", ck.toString(), dir.resolve("nothing.txt").toString()), "nothing.txt");
        expectError(CliRun.of("train", "--resume", ck.toString(), "--epochs", "1", "--backend", "java"), "already trained 1 of 1 epochs");
    }

    static void expectError(CliRun r, String fragment) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(fragment);
        assertThat(r.err().lines().filter(l -> l.startsWith("rnnlab: ") && !l.startsWith("rnnlab: GEMM")).count()).isEqualTo(1);
    }
}
