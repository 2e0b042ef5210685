package dev.rnnlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesTailTest {
    @TempDir
    Path dir;

    @Test
    void readsWholeLinesOnly_skipsGarbage_andWaitsForAFileThatIsNotThereYet() throws IOException {
        Path f = dir.resolve("metrics.jsonl");
        JsonLinesTail tail = new JsonLinesTail(f);
        assertThat(tail.poll().lines()).isEmpty();
        Files.writeString(f, "{\"epoch\":1}\n{\"epo");
        assertThat(tail.poll().lines()).extracting(n -> n.get("epoch").asInt()).containsExactly(1);
        assertThat(tail.poll().lines()).isEmpty();
        Files.writeString(f, "ch\":2}\nnot json\n[1,2]\n{\"epoch\":3}\n", StandardOpenOption.APPEND);
        JsonLinesTail.Poll p = tail.poll();
        assertThat(p.rewritten()).isFalse();
        assertThat(p.lines()).extracting(n -> n.get("epoch").asInt()).containsExactly(2, 3);
    }

    @Test
    void aFileRewrittenShorterIsReadAgainFromTheTop_aCopyOfTheSameLinesIsNot() throws IOException {
        Path f = dir.resolve("steps.jsonl");
        Files.writeString(f, "{\"epoch\":1}\n{\"epoch\":2}\n{\"epoch\":3}\n");
        JsonLinesTail tail = new JsonLinesTail(f);
        assertThat(tail.poll().lines()).hasSize(3);
        // a checkpoint's swap can copy the file where it cannot hard-link it: same lines, another file
        Path copy = dir.resolve("copy");
        Files.copy(f, copy);
        Files.writeString(copy, "{\"epoch\":4}\n", StandardOpenOption.APPEND);
        Files.move(copy, f, StandardCopyOption.REPLACE_EXISTING);
        JsonLinesTail.Poll same = tail.poll();
        assertThat(same.rewritten()).isFalse();
        assertThat(same.lines()).extracting(n -> n.get("epoch").asInt()).containsExactly(4);
        // a resumed run drops the epochs it replays: fewer lines, then new ones
        Path shorter = dir.resolve("shorter");
        Files.writeString(shorter, "{\"epoch\":1}\n{\"epoch\":2}\n{\"epoch\":3,\"again\":true}\n");
        Files.move(shorter, f, StandardCopyOption.REPLACE_EXISTING);
        JsonLinesTail.Poll again = tail.poll();
        assertThat(again.rewritten()).isTrue();
        assertThat(again.lines()).extracting(n -> n.get("epoch").asInt()).containsExactly(1, 2, 3);
    }
}
