package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainAndGenerateTest {
    @TempDir
    Path dir;

    @Test
    void trainsSavesAndGeneratesFromTheSavedModel() {
        Path text = Path.of("..", "..", "shared", "data", "timemachine.txt");
        String data = System.getenv("RNNLAB_DATA");
        if (data != null && Files.exists(Path.of(data, "timemachine.txt"))) text = Path.of(data, "timemachine.txt");
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!ci) Assumptions.assumeTrue(Files.exists(text), "The Time Machine is not at " + text);
        String sample = TrainAndGenerate.run(text, dir.resolve("ck"), "the time ");
        assertTrue(sample.startsWith("the time "), sample);
        assertEquals(9 + 40, sample.length());
        assertTrue(Files.isRegularFile(dir.resolve("ck/model.safetensors")));
    }
}
