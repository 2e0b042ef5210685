package dev.rnnlab.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One run on the dashboard: the files of its directory followed, each new line turned into an event for
 * the page. A PyTorch peer's result (one JSON object, {@code bench/peer_torch.py --json}) is a run too,
 * with a summary and no curves.
 */
final class RunWatch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int index;
    private final Path path;
    private final String name;
    private final boolean peer;
    private JsonLinesTail metrics, steps, diagnostics, samples;
    private String statusText = "", statusShown = "";

    RunWatch(int index, Path path, String name) {
        this.index = index;
        this.path = path;
        this.name = name;
        this.peer = Files.isRegularFile(path);
        openTails();
    }

    private void openTails() {
        metrics = new JsonLinesTail(path.resolve("metrics.jsonl"));
        steps = new JsonLinesTail(path.resolve("steps.jsonl"));
        diagnostics = new JsonLinesTail(path.resolve("diagnostics").resolve("diagnostics.jsonl"));
        samples = new JsonLinesTail(path.resolve("samples.jsonl"));
    }

    /** Appends to {@code log} what changed in the run's files since the last poll. */
    void poll(EventLog log) throws IOException {
        if (peer) {
            pollPeer(log);
            return;
        }
        pollStatus(log);
        JsonLinesTail.Poll m = metrics.poll(), s = steps.poll(), d = diagnostics.poll(), x = samples.poll();
        if (m.rewritten() || s.rewritten() || d.rewritten() || x.rewritten()) {
            // a resumed run rewrote its logs without the epochs it replays: the page starts this run over
            openTails();
            log.append("reset", payload().toString());
            statusShown = "";
            pollStatus(log);
            m = metrics.poll();
            s = steps.poll();
            d = diagnostics.poll();
            x = samples.poll();
        }
        for (JsonNode line : m.lines()) log.append("epoch", payload().set("line", line).toString());
        if (!s.lines().isEmpty()) {
            ObjectNode o = payload();
            ArrayNode lines = o.putArray("lines");
            s.lines().forEach(lines::add);
            log.append("steps", o.toString());
        }
        for (JsonNode line : d.lines()) log.append("diagnostics", payload().set("line", line).toString());
        for (JsonNode line : x.lines()) log.append("samples", payload().set("line", line).toString());
    }

    /** The run's description and state, from {@code run.json} (or a bare checkpoint's {@code config.json}). */
    private void pollStatus(EventLog log) throws IOException {
        String text = read(path.resolve("run.json"));
        boolean legacy = text == null;
        if (legacy) text = read(path.resolve("config.json"));
        if (text != null) statusText = text;
        ObjectNode o = payload();
        o.put("name", name).put("kind", "rnnlab");
        JsonNode status = parse(statusText);
        if (status == null) {
            o.put("status", "waiting").put("outcome", "no run.json yet");
        } else if (legacy) {
            o.put("status", "saved").put("outcome", "a checkpoint without run.json");
            o.set("info", status.path("info"));
        } else {
            String state = status.path("status").asText("unknown");
            long pid = status.path("pid").asLong(-1);
            if (state.equals("running") && pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                state = "interrupted";  // its process is gone: killed, or the machine went down
                o.put("outcome", "the training process " + pid + " is gone; continue it with --resume");
            } else {
                o.put("outcome", status.path("outcome").asText(""));
            }
            o.put("status", state).put("started", status.path("started").asDouble()).put("epochs", status.path("epochs").asInt());
            o.set("info", status.path("info"));
        }
        String shown = o.toString();
        if (!shown.equals(statusShown)) {
            statusShown = shown;
            log.append("run", shown);
        }
    }

    private void pollPeer(EventLog log) throws IOException {
        if (!statusShown.isEmpty()) return;
        String text = read(path);
        if (text == null) return;
        JsonNode summary = null;
        for (String line : text.split("\n")) {
            JsonNode n = parse(line.strip());
            if (n != null && n.isObject()) summary = n;  // the peer's last line is its result
        }
        ObjectNode o = payload().put("name", name).put("kind", "peer").put("status", summary == null ? "unreadable" : "finished")
                .put("outcome", summary == null ? "no JSON object in " + path.getFileName() : "");
        if (summary != null) o.set("summary", summary);
        statusShown = o.toString();
        log.append("run", statusShown);
    }

    private ObjectNode payload() {
        return JSON.createObjectNode().put("run", index);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isEmpty()) return null;
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static String read(Path file) throws IOException {
        try {
            if (Files.size(file) > (4 << 20)) return null;  // not a status file
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (java.nio.charset.MalformedInputException e) {
            return null;
        }
    }
}
