package dev.rnnlab.dashboard;

import static dev.rnnlab.dashboard.HeadlessChromium.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnlab.RealCorpora;
import dev.rnnlab.nn.CellType;
import dev.rnnlab.run.RunSpec;
import dev.rnnlab.run.TrainingRun;
import dev.rnnlab.tensor.Gemm;
import dev.rnnlab.train.EpochMetrics;
import dev.rnnlab.train.Trainer;
import dev.rnnlab.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real browser (headless Chromium) over real training runs on The Time Machine: the
 * charts hold metrics.jsonl's numbers, a live update arrives without a reload, a dropped stream is
 * resumed without losing or repeating a line, nothing is fetched from anywhere but the server, several runs
 * overlay with their differing settings listed, and a run without diagnostics says so.
 */
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Gemm GEMM = Gemm.create(Gemm.Backend.JAVA, 1, false);

    @TempDir
    Path dir;

    ChromeDriver browser;

    @BeforeEach
    void openBrowser() {
        browser = HeadlessChromium.start(dir.resolve("chromium-profile"));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) browser.quit();
    }

    static RunSpec spec(int hidden, int epochs) {
        return RunSpec.builder().corpus(RealCorpora.timemachine()).maxTokens(10_000).split("0.9,0.1").cell(CellType.RNN_TANH)
                .hidden(hidden).batch(8).steps(20).epochs(epochs).build();
    }

    @Test
    void followsALiveRunWithoutReloading_survivesADroppedStream_andDrawsWhatTheFilesHold() throws Exception {
        Path runDir = dir.resolve("live");
        CountDownLatch gate = new CountDownLatch(1);
        try (TrainingRun run = TrainingRun.builder(spec(32, 6)).gemm(GEMM).checkpointDirectory(runDir).diagnostics(20)
                .samples(new TrainingRun.Samples(List.of(), 30, 1)).build();
             Dashboard dashboard = Dashboard.builder().liveRun(runDir).port(0).pollMillis(50).start()) {
            // the run pauses after epoch 2 (its lines written) until the page has shown it
            run.trainer().addListener(new TrainingListener() {
                @Override
                public void epochEnded(EpochMetrics m, Trainer t) {
                    if (m.epoch() != 2) return;
                    try {
                        gate.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            Thread training = new Thread(run::run, "training");
            training.start();

            browser.get(dashboard.url().toString());
            await(30, "epoch 2 on the page", () -> count(0, "epochs") >= 2);
            double loadedAt = number("return rnnlab.state.loadedAt");
            assertThat(text("return rnnlab.state.runs[0].status")).isEqualTo("running");
            assertThat(browser.findElement(By.id("progress-0")).getText()).contains("of 6");

            // the network drops the stream; the browser reconnects and asks for what followed its last event
            dashboard.dropStreams();
            await(20, "the page to reconnect", () -> number("return rnnlab.state.opens") >= 2);
            gate.countDown();
            training.join(120_000);
            await(30, "the finished run on the page", () -> count(0, "epochs") == 6
                    && "finished".equals(text("return rnnlab.state.runs[0].status")));

            assertThat(number("return rnnlab.state.loadedAt")).as("a live update, not a reload").isEqualTo(loadedAt);
            assertThat(number("return performance.getEntriesByType('navigation').length")).isEqualTo(1);

            // every epoch once, and the loss chart's numbers are metrics.jsonl's, exactly
            List<JsonNode> metrics = lines(runDir.resolve("metrics.jsonl"));
            assertThat(metrics).hasSize(6);
            assertThat(count(0, "steps")).isEqualTo(lines(runDir.resolve("steps.jsonl")).size());
            List<List<Object>> loss = chartData("loss");
            assertThat(doubles(loss.get(0))).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
            List<Double> train = new ArrayList<>(), validation = new ArrayList<>();
            for (JsonNode m : metrics) {
                train.add(m.get("train_loss").asDouble());
                validation.add(m.get("validation_loss").asDouble());
            }
            assertThat(doubles(loss.get(1))).isEqualTo(train);
            assertThat(doubles(loss.get(2))).isEqualTo(validation);
            List<List<Object>> speed = chartData("speed");
            assertThat(doubles(speed.get(1))).isEqualTo(metrics.stream().map(m -> m.get("tokens_per_s").asDouble()).toList());

            // the gradients through time, the samples, the configuration
            assertThat(browser.findElements(By.cssSelector("#heatmap-0 canvas.map"))).hasSize(1);
            List<List<Object>> spectral = chartData("spectral");
            assertThat(doubles(spectral.get(0))).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0);
            JsonNode lastDiagnostics = lines(runDir.resolve("diagnostics").resolve("diagnostics.jsonl")).getLast();
            assertThat(doubles(spectral.get(1)).getLast()).isEqualTo(lastDiagnostics.get("spectral_radius").asDouble());
            JsonNode lastSamples = lines(runDir.resolve("samples.jsonl")).getLast();
            String sampleCard = browser.findElement(By.id("samples-0")).getText();
            assertThat(sampleCard).contains("epoch 6").contains("time traveller")
                    .contains(lastSamples.get("samples").get(0).get("text").asText().strip());
            assertThat(browser.findElement(By.id("config-all")).getText()).contains("training.model.hidden 32")
                    .contains("provenance.corpus timemachine.txt");

            // offline: the page fetched nothing but from its own server, and said nothing is wrong
            @SuppressWarnings("unchecked")
            List<String> fetched = (List<String>) browser.executeScript(
                    "return performance.getEntriesByType('resource').map(e => e.name)");
            String origin = dashboard.url().toString();
            assertThat(fetched).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin));
            assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();

            Path shot = Path.of("target", "dashboard-live.png");
            Files.createDirectories(shot.getParent());
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void overlaysRuns_listsTheSettingsThatDiffer_andSaysWhichHasNoDiagnostics() throws Exception {
        Path a = dir.resolve("rnn-h32"), b = dir.resolve("rnn-h48");
        try (TrainingRun run = TrainingRun.builder(spec(32, 3)).gemm(GEMM).checkpointDirectory(a).diagnostics(20).build()) {
            run.run();
        }
        try (TrainingRun run = TrainingRun.builder(spec(48, 3)).gemm(GEMM).checkpointDirectory(b).build()) {
            run.run();
        }
        Path peer = dir.resolve("torch.json");
        Files.writeString(peer, "{\"peer\": \"pytorch\", \"tokens_per_s\": 81234.5, \"perplexity\": 9.5, \"valid_nats\": 2.31,"
                + " \"hidden\": 32, \"seconds\": 12.0}\n");
        try (Dashboard dashboard = Dashboard.builder().run(a).run(b).run(peer).port(0).start()) {
            browser.get(dashboard.url().toString());
            await(30, "both runs on the page", () -> count(0, "epochs") == 3
                    && count(1, "epochs") == 3 && "peer".equals(text("return (rnnlab.state.runs[2] || {}).kind")));
            List<List<Object>> loss = chartData("loss");
            @SuppressWarnings("unchecked")
            List<String> labels = (List<String>) browser.executeScript("return rnnlab.chart('loss').labels");
            assertThat(labels).contains("rnn-h32 · train", "rnn-h32 · validation", "rnn-h48 · train", "rnn-h48 · validation");
            List<Double> second = new ArrayList<>();
            for (JsonNode m : lines(b.resolve("metrics.jsonl"))) second.add(m.get("train_loss").asDouble());
            assertThat(doubles(loss.get(3))).isEqualTo(second);
            String differing = browser.findElement(By.id("config-differing")).getText();
            assertThat(differing).contains("training.model.hidden 32 48").doesNotContain("training.data.batch");
            assertThat(browser.findElements(By.id("heatmap-0"))).hasSize(1);
            assertThat(browser.findElement(By.id("no-diagnostics-1")).getText()).contains("rnn-h48").contains("--diagnostics");
            assertThat(browser.findElement(By.id("latest-2")).getText()).contains("PyTorch peer").contains("81235");
            assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
            Path shot = Path.of("target", "dashboard-overlay.png");
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private double number(String script) {
        Object v = browser.executeScript(script);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    /** How many lines of {@code field} run {@code run} holds on the page (0 before the stream's first event). */
    private double count(int run, String field) {
        return number("const r = rnnlab.state.runs[" + run + "]; return r ? r." + field + ".length : 0");
    }

    private String text(String script) {
        return String.valueOf(browser.executeScript(script));
    }

    @SuppressWarnings("unchecked")
    private List<List<Object>> chartData(String name) {
        Map<String, Object> chart = (Map<String, Object>) browser.executeScript("return rnnlab.chart(arguments[0])", name);
        return (List<List<Object>>) chart.get("data");
    }

    private static List<Double> doubles(List<Object> values) {
        return values.stream().map(v -> v == null ? Double.NaN : ((Number) v).doubleValue()).toList();
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) if (!l.isBlank()) out.add(JSON.readTree(l));
        return out;
    }
}
