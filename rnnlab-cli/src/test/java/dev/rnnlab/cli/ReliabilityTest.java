package dev.rnnlab.cli;

import static dev.rnnlab.cli.TrainCommandTest.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.data.SyntheticCorpus;
import dev.rnnlab.io.CheckpointLock;
import dev.rnnlab.text.Corpus;
import dev.rnnlab.text.Normalizer;
import dev.rnnlab.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects a careful user found, each as the run that showed it: divergence, the resume contract,
 * the vocabulary's identity, one writer per directory, resources, option values, and the logs.
 */
class ReliabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path text;

    @BeforeEach
    void writeCorpus() throws Exception {
        text = dir.resolve("markov.txt");
        Files.writeString(text, SyntheticCorpus.markov(1, 6, 0.3, 6000, 3).text());
    }

    String[] train(Path ck, String... more) {
        return TrainCommandTest.trainArgs(text, ck, more);
    }

    static void ok(CliRun r) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    }

    @Test
    void anExplodingButFiniteLossStopsTheRunAndSavesNothingDiverged() throws Exception {
        Path ck = dir.resolve("ck");
        CliRun r = CliRun.of(train(ck, "--hidden", "32", "--epochs", "50", "--save-every", "1", "--lr", "1e4", "--clip", "0"));
        expectError(r, "training diverged at epoch");
        assertThat(r.err()).contains("a uniform guess");
        assertThat(r.out()).doesNotContain("Infinity").doesNotContain("epoch 3/50");
        if (Files.exists(ck.resolve("model.safetensors"))) {  // what was saved is healthy: it loads and scores
            CliRun e = CliRun.of("eval", "--checkpoint", ck.toString(), text.toString());
            ok(e);
            double ppl = Double.parseDouble(e.out().replaceAll("(?s).*perplexity (\\S+).*", "$1"));
            assertThat(ppl).isLessThan(Math.pow(7, 4));
        }
    }

    @Test
    void anUpdateThatBlowsTheWeightsUpNeverReachesTheCheckpoint() throws Exception {
        Path ck = dir.resolve("ck");
        ok(CliRun.of(train(ck, "--epochs", "2")));
        byte[] model = Files.readAllBytes(ck.resolve("model.safetensors"));
        byte[] state = Files.readAllBytes(ck.resolve("state.json"));
        CliRun r = CliRun.of("train", "--resume", ck.toString(), "--epochs", "10", "--save-every", "1", "--lr", "1e30", "--backend", "java");
        expectError(r, "training diverged");
        assertThat(r.err()).contains("holds epoch 2, from before it diverged");
        assertThat(Files.readAllBytes(ck.resolve("model.safetensors"))).isEqualTo(model);
        assertThat(Files.readAllBytes(ck.resolve("state.json"))).isEqualTo(state);
    }

    @Test
    void theBestCheckpointByValidationLossIsKeptBesideTheLatestAndServesGenerateAndEval() throws Exception {
        Path ck = dir.resolve("ck");
        CliRun t = CliRun.of(train(ck, "--epochs", "3", "--split", "0.9,0.1"));
        ok(t);
        assertThat(t.out()).contains("best validation perplexity").contains(ck.resolve("best").toString());
        Path best = ck.resolve("best");
        assertThat(best.resolve("model.safetensors")).exists();
        assertThat(best.resolve("state.json")).doesNotExist();  // model only
        ok(CliRun.of("generate", "--checkpoint", best.toString(), "--prefix", " e", "-n", "10"));
        ok(CliRun.of("eval", "--checkpoint", best.toString(), text.toString()));
    }

    @Test
    void resumeRefusesOptionsThatWouldChangeTheRunAndAppliesTheOnesThatMay() throws Exception {
        Path ck = dir.resolve("ck");
        ok(CliRun.of(train(ck, "--epochs", "1")));
        CliRun bad = CliRun.of("train", "--resume", ck.toString(), "--epochs", "2", "--model", "gru", "--hidden", "64",
                "--corpus", "tinyshakespeare", "--backend", "java");
        expectError(bad, "these options differ from the checkpoint's");
        assertThat(bad.err()).contains("--model gru (the checkpoint's: lstm)").contains("--hidden 64 (the checkpoint's: 16)")
                .contains("--corpus tinyshakespeare");
        // the same value as the checkpoint's is no difference
        ok(CliRun.of("train", "--resume", ck.toString(), "--epochs", "2", "--hidden", "16", "--model", "LSTM", "--backend", "java",
                "--sample-length", "0"));
        CliRun changed = CliRun.of("train", "--resume", ck.toString(), "--epochs", "3", "--lr", "0.1", "--backend", "java",
                "--sample-length", "0");
        ok(changed);
        assertThat(changed.out()).contains("resume with --epochs 3 (was 2), --lr 0.1 (was 0.5)").contains("lr 0.1");
        assertThat(JSON.readTree(ck.resolve("config.json").toFile()).at("/info/training/optimization/lr").asDouble()).isEqualTo(0.1);
    }

    @Test
    void aVocabularyFromAnotherCorpusIsRefusedByEveryReader() throws Exception {
        Path ck = dir.resolve("ck"), other = dir.resolve("other");
        ok(CliRun.of(train(ck, "--epochs", "1")));
        // the same size, other tokens: a different alphabet of the same Markov source
        Path otherText = dir.resolve("other.txt");
        Files.writeString(otherText, SyntheticCorpus.markov(1, 6, 0.3, 6000, 3).text().replace('a', 'z'));
        ok(CliRun.of("train", otherText.toString(), "--normalize", "raw", "--model", "lstm", "--hidden", "16", "--batch", "4",
                "--steps", "10", "--epochs", "1", "--checkpoint", other.toString(), "--sample-length", "0", "--backend", "java"));
        assertThat(Files.readString(other.resolve("vocab.json"))).isNotEqualTo(Files.readString(ck.resolve("vocab.json")));
        Files.copy(other.resolve("vocab.json"), ck.resolve("vocab.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        expectError(CliRun.of("generate", "--checkpoint", ck.toString()), "vocab.json is not the vocabulary the model was trained with");
        expectError(CliRun.of("eval", "--checkpoint", ck.toString(), text.toString()), "vocab.json is not the vocabulary");
        expectError(CliRun.of("train", "--resume", ck.toString(), "--epochs", "2", "--backend", "java"), "vocab.json is not the vocabulary");
    }

    @Test
    void aSecondRunOnTheSameDirectoryIsRefusedWithTheHoldersPid() throws Exception {
        Path ck = dir.resolve("ck");
        ok(CliRun.of(train(ck, "--epochs", "1")));
        byte[] model = Files.readAllBytes(ck.resolve("model.safetensors"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LockHolder.class.getName(), ck.toString())
                .redirectErrorStream(true).start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(7))).isEqualTo("locked\n");
            CliRun second = CliRun.of("train", "--resume", ck.toString(), "--epochs", "2", "--backend", "java");
            expectError(second, "is in use by another rnnlab run (pid " + holder.pid() + ")");
            expectError(CliRun.of(train(ck, "--epochs", "1", "--overwrite")), "(pid " + holder.pid() + ")");
            assertThat(Files.readAllBytes(ck.resolve("model.safetensors"))).isEqualTo(model);
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);  // kill -9: the stale lock goes with it
        }
        ok(CliRun.of("train", "--resume", ck.toString(), "--epochs", "2", "--backend", "java", "--sample-length", "0"));
        // and within one process, a directory in use is refused the same way
        try (CheckpointLock held = CheckpointLock.acquire(ck)) {
            expectError(CliRun.of("train", "--resume", ck.toString(), "--epochs", "3", "--backend", "java"), "is in use by another rnnlab run");
        }
    }

    /** Holds a checkpoint directory's lock until killed, as a training run in another process would. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            CheckpointLock lock = CheckpointLock.acquire(Path.of(args[0]));
            System.out.print("locked\n");
            System.out.flush();
            Thread.sleep(60_000);
            lock.close();
        }
    }

    @Test
    void aNewRunDoesNotOverwriteAnExistingCheckpointUnlessTold() throws Exception {
        Path ck = dir.resolve("ck");
        ok(CliRun.of(train(ck, "--epochs", "1")));
        byte[] model = Files.readAllBytes(ck.resolve("model.safetensors"));
        expectError(CliRun.of(train(ck, "--epochs", "1", "--seed", "7")), "holds a checkpoint already: continue it with --resume");
        assertThat(Files.readAllBytes(ck.resolve("model.safetensors"))).isEqualTo(model);
        ok(CliRun.of(train(ck, "--epochs", "1", "--seed", "7", "--overwrite")));
        assertThat(Files.readAllBytes(ck.resolve("model.safetensors"))).isNotEqualTo(model);
        assertThat(Files.readAllLines(ck.resolve("metrics.jsonl"))).hasSize(1);
    }

    @Test
    void aModelTooBigForMemoryIsRefusedWithTheFiguresBeforeAnythingIsAllocated() {
        CliRun big = CliRun.of(train(dir.resolve("a"), "--model", "rnn", "--hidden", "30000", "--epochs", "1"));
        expectError(big, "more than");
        assertThat(big.err()).containsPattern("needs about [\\d.]+ GiB|more than one Java array holds");
        CliRun huge = CliRun.of(train(dir.resolve("b"), "--hidden", "46341", "--epochs", "1"));
        expectError(huge, "more than one Java array holds");
        assertThat(huge.err()).doesNotContain("ArithmeticException").doesNotContain("internal error");
        expectError(CliRun.of(train(dir.resolve("c"), "--hidden", "2000000000", "--layers", "2000000", "--epochs", "1")), "parameters");
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void noValueAUserCanTypeMeansUnset() {
        String[][] bad = {
            {"--epochs", "-1"}, {"--epochs", "0"}, {"--max-tokens", "-1"}, {"--save-every", "-1"}, {"--save-minutes", "-1"},
            {"--save-minutes", "NaN"}, {"--sample-length", "-1"}, {"--shards", "0"}, {"--clip", "-1"}, {"--clip", "NaN"},
            {"--clip", "Infinity"}, {"--lr", "NaN"}, {"--lr", "-1"}, {"--weight-decay", "-0.1"}, {"--warmup", "NaN"},
            {"--dropout", "1"}, {"--hidden", "0"}, {"--batch", "0"}, {"--steps", "-5"}, {"--patience", "-1"}, {"--min-freq", "-2"},
            {"--probe-steps", "0"}, {"--layers", "0"}, {"--embed", "-1"}, {"--shards", "5"}};
        for (String[] option : bad) {
            CliRun r = CliRun.of(train(dir.resolve("x"), option));
            assertThat(r.exitCode()).as(String.join(" ", option) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", option)).contains("rnnlab: " + option[0]);
        }
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void aMinFreqThatLeavesNoTokenIsRefusedBeforeTraining() {
        expectError(CliRun.of(train(dir.resolve("x"), "--min-freq", "1000000", "--epochs", "1")), "the vocabulary is only <unk>");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void aCheckpointPathThatIsAFileIsNamedAsSuch() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        expectError(CliRun.of(train(file, "--epochs", "1")), "is a file, not a directory");
        expectError(CliRun.of("generate", "--checkpoint", file.toString()), "is a file, not a checkpoint directory");
    }

    @Test
    void afterAKillAndResumeEachEpochIsLoggedOnce() throws Exception {
        Path ck = dir.resolve("ck");
        ok(CliRun.of(train(ck, "--epochs", "2")));
        Path log = ck.resolve("metrics.jsonl");
        // the killed run had logged epoch 3 (and half of a line of epoch 4) before its save
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.add(lines.getLast().replace("\"epoch\":2", "\"epoch\":3"));
        lines.add("{\"epoch\":4,\"epo");
        Files.write(log, lines);
        ok(CliRun.of("train", "--resume", ck.toString(), "--epochs", "4", "--backend", "java", "--sample-length", "0"));
        List<Integer> epochs = new ArrayList<>();
        for (String l : Files.readAllLines(log)) epochs.add(JSON.readTree(l).get("epoch").asInt());
        assertThat(epochs).containsExactly(1, 2, 3, 4);
    }

    @Test
    void theSameRunWritesTheSameModelFileAndStateDoesNotGrowWithTheHistory() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        ok(CliRun.of(train(a, "--epochs", "2", "--max-tokens", "1000")));
        ok(CliRun.of(train(b, "--epochs", "2", "--max-tokens", "1000")));
        assertThat(Files.readAllBytes(a.resolve("model.safetensors"))).isEqualTo(Files.readAllBytes(b.resolve("model.safetensors")));
        Path many = dir.resolve("many");
        ok(CliRun.of(train(many, "--epochs", "60", "--max-tokens", "200", "--save-every", "1", "--sample-length", "0")));
        long stateBytes = Files.size(many.resolve("state.json"));
        assertThat(stateBytes).isLessThan(1000);
        assertThat(Files.readAllLines(many.resolve("history.jsonl"))).hasSize(60);
        assertThat(Files.size(many.resolve("state.json"))).isEqualTo(stateBytes);
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp") || n.endsWith(".new") || n.endsWith(".prev"));
        }
    }

    @Test
    void quieterOnesSaySoInsteadOfChangingTheAnswerSilently() throws Exception {
        Path ck = dir.resolve("ck");
        ok(CliRun.of(train(ck, "--epochs", "1")));
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "abcabcabcabc");
        CliRun e = CliRun.of("eval", "--checkpoint", ck.toString(), tiny.toString(), "--batch", "1000");
        ok(e);
        assertThat(e.err()).contains("evaluating with --batch 5 instead of 1000");
        CliRun g = CliRun.of("generate", "--checkpoint", ck.toString(), "--prefix", "a", "--top-k", "3", "-n", "5");
        ok(g);
        assertThat(g.err()).contains("--top-k/--top-p sample from the model at temperature 1");
        assertThat(Corpus.encode(tiny, Normalizer.RAW, Tokenizer.CHAR, dev.rnnlab.text.Vocabulary.ofTokens(List.of("<unk>", "a"))).length())
                .isEqualTo(12);
    }

    @Test
    void aCheckpointWrittenByTheReleaseBeforeTheseChecksStillLoads() throws Exception {
        // written by rnnlab at abc23fb: no vocabulary checksum, the history inside state.json
        Path old = Path.of("src/test/resources/checkpoints/abc23fb-lstm-h8"), corpus = Path.of("src/test/resources/checkpoints/tm3k.txt");
        dev.rnnlab.io.Checkpoint.Loaded c = dev.rnnlab.io.Checkpoint.read(old, dev.rnnlab.tensor.Gemm.create(
                dev.rnnlab.tensor.Gemm.Backend.JAVA, 1, false));
        assertThat(c.info().provenance().vocabularySha256()).isNull();
        assertThat(c.progress().history()).hasSize(2);
        assertThat(c.resumable()).isTrue();
        CliRun e = CliRun.of("eval", "--checkpoint", old.toString(), corpus.toString(), "--backend", "java");
        ok(e);
        assertThat(e.out()).contains("perplexity 1");  // ~15.9 on its validation text in that release's own run
        ok(CliRun.of("generate", "--checkpoint", old.toString(), "--prefix", "the", "-n", "5", "--backend", "java"));
        // resuming it into a new directory (its corpus path was a temporary file, so the text is given again)
        Path copy = dir.resolve("old");
        CliRun r = CliRun.of("train", "--resume", old.toString(), "--checkpoint", copy.toString(), "--epochs", "3",
                "--corpus", corpus.toString(), "--backend", "java", "--sample-length", "0");
        ok(r);
        assertThat(r.out()).contains("resuming " + old + " after epoch 2 of 3").contains("epoch 3/3");
        assertThat(Files.readString(old.resolve("state.json"))).contains("\"history\"");  // the original is untouched
        expectError(CliRun.of("train", "--resume", old.toString(), "--checkpoint", dir.resolve("x").toString(), "--epochs", "3",
                "--corpus", text.toString(), "--backend", "java"), "the corpus has changed since the checkpoint");
    }

    static List<String> filesOf(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.map(x -> p.relativize(x).toString()).sorted().toList();
        }
    }
}
