// The rnnlab dashboard's page: one server-sent-events stream (/api/events) carries every run's lines as
// the server reads them from the run directories; this script keeps them per run and redraws the charts
// at most once per animation frame, so a fast run's updates never pile up. Nothing is fetched from
// anywhere but the page's own server.
"use strict";

(function () {
  const COLORS = ["#1570ef", "#d92d20", "#079455", "#7a5af8", "#f79009", "#6f4e37", "#dd2590", "#0e9384"];
  const state = { runs: [], names: [], connected: false, opens: 0, events: 0, loadedAt: Date.now() };
  const charts = {};
  let redrawQueued = false;

  function newRun(i, name) {
    return { index: i, name, color: COLORS[i % COLORS.length], info: null, status: "waiting", outcome: "",
      started: 0, epochs: [], steps: [], diagnostics: [], samples: [], summary: null, kind: "rnnlab" };
  }

  // ---- the stream -----------------------------------------------------------------------------------
  let source = null;
  function connect() {
    source = new EventSource("/api/events");
    source.onopen = () => { state.opens++; setConnection(true); };
    source.onerror = () => setConnection(false);  // EventSource reconnects by itself, with Last-Event-ID
    source.addEventListener("hello", (e) => {
      const m = JSON.parse(e.data);
      if (m.restart || state.names.join("\n") !== m.runs.join("\n")) {
        state.names = m.runs;
        state.runs = m.runs.map((name, i) => newRun(i, name));
        buildCharts();
      }
      document.getElementById("footer").textContent = "rnnlab " + m.version + " · read-only · served from this machine only";
      queueRedraw();
    });
    const on = (type, f) => source.addEventListener(type, (e) => {
      state.events++;
      const m = JSON.parse(e.data);
      const run = state.runs[m.run];
      if (run) f(run, m);
      queueRedraw();
    });
    on("run", (r, m) => {
      r.status = m.status; r.outcome = m.outcome || ""; r.kind = m.kind || "rnnlab";
      if (m.info) r.info = m.info;
      if (m.started) r.started = m.started;
      if (m.epochs) r.totalEpochs = m.epochs;
      if (m.summary) r.summary = m.summary;
    });
    on("reset", (r) => { r.epochs = []; r.steps = []; r.diagnostics = []; r.samples = []; });
    on("epoch", (r, m) => r.epochs.push(m.line));
    on("steps", (r, m) => { for (const l of m.lines) r.steps.push(l); });
    on("diagnostics", (r, m) => r.diagnostics.push(m.line));
    on("samples", (r, m) => r.samples.push(m.line));
  }

  function setConnection(up) {
    state.connected = up;
    const el = document.getElementById("connection");
    el.textContent = up ? "live" : "reconnecting…";
    el.className = "connection " + (up ? "live" : "lost");
  }

  function queueRedraw() {
    if (redrawQueued) return;
    redrawQueued = true;
    requestAnimationFrame(() => { redrawQueued = false; redraw(); });
  }

  // ---- axes -----------------------------------------------------------------------------------------
  const xMode = () => document.getElementById("x-axis").value;
  const yMode = () => document.getElementById("y-measure").value;
  const logScale = () => document.getElementById("log-scale").checked;

  function startTime(run) {
    if (run.started) return run.started;
    const first = run.epochs[0] || run.steps[0];
    return first && first.time ? first.time - (first.elapsed_seconds || 0) : 0;
  }

  // The x of a metrics.jsonl or steps.jsonl line; epoch lines sit at their epoch's end.
  function xOf(run, line, isStep) {
    switch (xMode()) {
      case "step": return line.step;
      case "time": return line.time === undefined ? undefined : (line.time - startTime(run)) / 60;
      default: return isStep ? line.epoch - 1 + line.batch / line.batches : line.epoch;
    }
  }

  function measure(loss) {
    if (loss === undefined || loss === null) return null;
    switch (yMode()) {
      case "perplexity": return Math.exp(loss);
      case "bits": return loss / Math.LN2;
      default: return loss;
    }
  }

  // Aligns several (x, y...) tables on one sorted x, as uPlot wants, with null where a table has no point.
  function joinTables(tables) {
    const xs = new Set();
    for (const t of tables) for (const x of t[0]) xs.add(x);
    const sorted = Array.from(xs).sort((a, b) => a - b);
    const at = new Map(sorted.map((x, i) => [x, i]));
    const out = [sorted];
    for (const t of tables) {
      for (let s = 1; s < t.length; s++) {
        const col = new Array(sorted.length).fill(null);
        for (let i = 0; i < t[0].length; i++) col[at.get(t[0][i])] = t[s][i];
        out.push(col);
      }
    }
    return out;
  }

  function table(points, ...getters) {
    const t = [[], ...getters.map(() => [])];
    for (const p of points) {
      if (p.x === undefined || p.x === null || !isFinite(p.x)) continue;
      t[0].push(p.x);
      getters.forEach((g, i) => { const v = g(p.line); t[i + 1].push(v === undefined || !isFinite(v) ? null : v); });
    }
    return t;
  }

  const epochPoints = (r) => r.epochs.map((l) => ({ x: xOf(r, l, false), line: l }));
  const stepPoints = (r) => r.steps.map((l) => ({ x: xOf(r, l, true), line: l }));

  // ---- the charts -----------------------------------------------------------------------------------
  // Each chart: its series per run, and how to build its data for the current axes.
  const CHARTS = {
    loss: {
      y: () => ({ loss: "nats per token", perplexity: "perplexity", bits: "bits per token" })[yMode()],
      series: [{ label: "train", dash: [] }, { label: "validation", dash: [6, 4] }],
      log: true,
      data(r) {
        if (xMode() === "epoch" || r.steps.length === 0) {
          return table(epochPoints(r), (l) => measure(l.train_loss), (l) => measure(l.validation_loss));
        }
        return joinTables([table(stepPoints(r), (l) => measure(l.loss)),
          table(epochPoints(r), (l) => measure(l.validation_loss))]);
      },
    },
    grad: {
      y: () => "global norm",
      series: [{ label: "before clipping", dash: [] }, { label: "after clipping", dash: [6, 4] }, { label: "largest", dash: [2, 3] }],
      alwaysLog: true,  // norms span decades
      data(r) {
        if (xMode() === "epoch" || r.steps.length === 0) {
          const after = clippedMeanByEpoch(r);
          return table(epochPoints(r), (l) => l.grad_norm_mean, (l) => after.get(l.epoch), (l) => l.grad_norm_max);
        }
        return table(stepPoints(r), (l) => l.grad_norm, (l) => l.grad_norm_clipped, (l) => l.grad_norm_max);
      },
    },
    clip: {
      y: () => "fraction of batches clipped",
      series: [{ label: "clipped", dash: [] }],
      range: [0, 1],
      data(r) {
        if (xMode() === "epoch" || r.steps.length === 0) return table(epochPoints(r), (l) => l.clipped_fraction);
        return table(stepPoints(r), (l) => l.clipped / l.count);
      },
    },
    lr: {
      y: () => "learning rate",
      series: [{ label: "learning rate", dash: [] }],
      data(r) {
        if (xMode() === "epoch" || r.steps.length === 0) return table(epochPoints(r), (l) => l.learning_rate);
        return table(stepPoints(r), (l) => l.learning_rate);
      },
    },
    speed: {
      y: () => "tokens per second",
      series: [{ label: "tokens/s", dash: [] }],
      data: (r) => table(epochPoints(r), (l) => l.tokens_per_s),
    },
  };

  function clippedMeanByEpoch(r) {
    const sums = new Map();
    for (const l of r.steps) {
      const s = sums.get(l.epoch) || [0, 0];
      s[0] += l.grad_norm_clipped * l.count; s[1] += l.count;
      sums.set(l.epoch, s);
    }
    const out = new Map();
    for (const [e, s] of sums) out.set(e, s[0] / s[1]);
    return out;
  }

  const EPOCH_TICKS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
  const xLabel = () => ({ epoch: "epoch", step: "optimizer step", time: "wall time (minutes)" })[xMode()];

  function chartWidth(el) {
    return Math.max(300, el.clientWidth || el.parentElement.clientWidth - 20);
  }

  function buildCharts() {
    for (const k of Object.keys(charts)) { charts[k].destroy(); delete charts[k]; }
    const curves = state.runs.filter((r) => r.kind !== "peer");
    for (const [name, def] of Object.entries(CHARTS)) {
      const el = document.getElementById("chart-" + name);
      el.innerHTML = "";
      const series = [{ label: xLabel() }];
      for (const r of curves) {
        for (const s of def.series) {
          series.push({ label: (curves.length > 1 ? r.name + " · " : "") + s.label, stroke: r.color, dash: s.dash,
            width: 1.5, spanGaps: true, points: { show: false } });
        }
      }
      const log = def.alwaysLog || (def.log && logScale());
      charts[name] = new uPlot({
        width: chartWidth(el), height: 260, series,
        scales: { x: { time: false }, y: log ? { distr: 3 } : def.range ? { range: def.range } : {} },
        axes: [xMode() === "epoch" ? { label: xLabel(), incrs: EPOCH_TICKS } : { label: xLabel() }, { label: def.y(), size: 70 }],
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
      }, emptyData(series.length), el);
      charts[name].rnnlabRebuild = { log, x: xMode(), y: yMode(), runs: curves.length };
    }
    buildSpectral();
  }

  function emptyData(n) {
    return Array.from({ length: n }, () => []);
  }

  function chartData(name) {
    const def = CHARTS[name];
    return joinTables(state.runs.filter((r) => r.kind !== "peer").map((r) => def.data(r)));
  }

  // ---- spectra and the heat map --------------------------------------------------------------------
  function spectralLayers() {
    const layers = [];
    for (const r of state.runs) {
      const names = new Set();
      for (const l of r.diagnostics) for (const layer of (l.layers || [{ name: "layer 0" }])) names.add(layer.name);
      for (const n of names) layers.push({ run: r, name: n });
    }
    return layers;
  }

  function buildSpectral() {
    if (charts.spectral) { charts.spectral.destroy(); delete charts.spectral; }
    const el = document.getElementById("chart-spectral");
    el.innerHTML = "";
    const layers = spectralLayers();
    const series = [{ label: "epoch" }];
    for (const { run, name } of layers) {
      const prefix = (state.runs.length > 1 ? run.name + " · " : "") + name;
      series.push({ label: prefix + " ρ", stroke: run.color, width: 1.5, spanGaps: true, points: { show: false } });
      series.push({ label: prefix + " σ", stroke: run.color, dash: [6, 4], width: 1.5, spanGaps: true, points: { show: false } });
    }
    charts.spectral = new uPlot({
      width: chartWidth(el), height: 260, series, scales: { x: { time: false } },
      axes: [{ label: "epoch (0 = before training)", incrs: EPOCH_TICKS }, { label: "value", size: 60 }],
    }, emptyData(series.length), el);
    charts.spectral.rnnlabLayers = layers.map((l) => l.run.index + "/" + l.name).join(",");
  }

  function spectralData() {
    const tables = [];
    for (const { run, name } of spectralLayers()) {
      const t = [[], [], []];
      for (const l of run.diagnostics) {
        const layer = (l.layers || []).find((x) => x.name === name) ||
          (l.layers ? null : { spectral_radius: l.spectral_radius, largest_singular_value: l.largest_singular_value });
        if (!layer) continue;
        t[0].push(l.epoch); t[1].push(layer.spectral_radius); t[2].push(layer.largest_singular_value);
      }
      tables.push(t);
    }
    return joinTables(tables);
  }

  // Viridis-like ramp: dark = little lost, bright = many powers of ten lost.
  const RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  function rampColor(t) {
    t = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
    const i = Math.min(RAMP.length - 2, Math.floor(t)), f = t - i;
    return RAMP[i].map((c, k) => Math.round(c + f * (RAMP[i + 1][k] - c)));
  }

  function drawHeatmaps() {
    const box = document.getElementById("heatmaps");
    const withDiagnostics = state.runs.filter((r) => r.diagnostics.length > 0);
    const without = state.runs.filter((r) => r.kind !== "peer" && r.diagnostics.length === 0);
    document.getElementById("spectral-figure").style.display = withDiagnostics.length ? "" : "none";
    const key = withDiagnostics.map((r) => r.index + ":" + r.diagnostics.length).join(",") + "|" + without.map((r) => r.index).join(",");
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.innerHTML = "";
    for (const r of withDiagnostics) {
      const fig = document.createElement("figure");
      fig.className = "heatmap";
      fig.id = "heatmap-" + r.index;
      const cap = document.createElement("figcaption");
      cap.textContent = (state.runs.length > 1 ? r.name + ": " : "") +
        "powers of ten the gradient lost after k steps, log10(‖dL_T/dh_T‖ / ‖dL_T/dh_{T−k}‖), by epoch";
      fig.appendChild(cap);
      const canvas = document.createElement("canvas");
      canvas.className = "map";
      fig.appendChild(canvas);
      const hover = document.createElement("div");
      hover.className = "hover";
      fig.appendChild(hover);
      box.appendChild(fig);
      const rows = r.diagnostics.map((l) => {
        const g = l.grad_norm_by_distance || [];
        return g.map((v) => Math.log10(g[0] / v));
      });
      const cols = Math.max(...rows.map((row) => row.length));
      let max = 0;
      for (const row of rows) for (const v of row) if (isFinite(v)) max = Math.max(max, v);
      if (!(max > 0)) max = 1;
      canvas.width = cols; canvas.height = rows.length;
      const ctx = canvas.getContext("2d");
      const img = ctx.createImageData(cols, rows.length);
      rows.forEach((row, y) => row.forEach((v, x) => {
        const c = isFinite(v) ? rampColor(v / max) : [255, 255, 255];
        const o = ((rows.length - 1 - y) * cols + x) * 4;  // epoch 0 at the bottom
        img.data[o] = c[0]; img.data[o + 1] = c[1]; img.data[o + 2] = c[2]; img.data[o + 3] = 255;
      }));
      ctx.putImageData(img, 0, 0);
      canvas.onmousemove = (e) => {
        const rect = canvas.getBoundingClientRect();
        const x = Math.floor((e.clientX - rect.left) / rect.width * cols);
        const y = rows.length - 1 - Math.floor((e.clientY - rect.top) / rect.height * rows.length);
        const line = r.diagnostics[y];
        if (!line || rows[y][x] === undefined) return;
        hover.textContent = "epoch " + line.epoch + ", k = " + x + " steps back: " + rows[y][x].toFixed(2) +
          " decades lost (‖dL_T/dh_{T−k}‖ = " + line.grad_norm_by_distance[x].toExponential(2) + ")";
      };
      hover.textContent = "distance k →, epochs ↑ (" + r.diagnostics[0].epoch + " to " + r.diagnostics[r.diagnostics.length - 1].epoch +
        "); hover for values";
      const legend = document.createElement("div");
      legend.className = "legend";
      const bar = document.createElement("canvas");
      bar.width = 100; bar.height = 1;
      const bctx = bar.getContext("2d");
      for (let i = 0; i < 100; i++) { const c = rampColor(i / 99); bctx.fillStyle = "rgb(" + c.join(",") + ")"; bctx.fillRect(i, 0, 1, 1); }
      legend.append("0", bar, max.toFixed(1) + " decades");
      fig.appendChild(legend);
    }
    for (const r of without) {
      const p = document.createElement("p");
      p.className = "note";
      p.id = "no-diagnostics-" + r.index;
      p.textContent = r.name + ": no gradient diagnostics in this run; train with --diagnostics to watch them.";
      box.appendChild(p);
    }
  }

  // ---- text panels ---------------------------------------------------------------------------------
  const fmt = (v, digits = 4) => (v === undefined || v === null || !isFinite(v)) ? "–" : Number(v).toFixed(digits);
  const duration = (s) => {
    if (!isFinite(s) || s < 0) return "–";
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(sec).padStart(2, "0");
  };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    // styles through the CSSOM: the page's Content-Security-Policy refuses style attributes
    for (const [k, v] of Object.entries(attrs || {})) if (k === "style") e.style.cssText = v; else e.setAttribute(k, v);
    for (const c of children) e.append(c);
    return e;
  }

  function drawRuns() {
    const box = document.getElementById("runs");
    box.innerHTML = "";
    for (const r of state.runs) {
      const swatch = el("span", { class: "swatch", style: "background:" + r.color });
      const status = el("span", { class: "status " + r.status, title: r.outcome || r.status }, r.status);
      box.append(el("span", { class: "run-chip", id: "run-" + r.index }, swatch, r.name, status));
    }
  }

  function drawProgress() {
    const box = document.getElementById("progress");
    box.innerHTML = "";
    for (const r of state.runs) {
      if (r.kind === "peer") continue;
      const last = r.steps[r.steps.length - 1];
      const total = r.totalEpochs || (r.epochs[0] && r.epochs[0].epochs) || 0;
      let text, fraction = 0;
      if (r.status === "running" && last) {
        const rate = last.batch / Math.max(last.epoch_seconds, 1e-9);
        const epochEta = (last.batches - last.batch) / rate;
        const epochSeconds = r.epochs.length ? r.epochs.reduce((a, l) => a + l.seconds, 0) / r.epochs.length : last.batches / rate;
        const runEta = epochEta + Math.max(0, total - last.epoch) * epochSeconds;
        fraction = last.batch / last.batches;
        text = "epoch " + last.epoch + " of " + total + " · batch " + last.batch + " of " + last.batches + " · epoch ends in " +
          duration(epochEta) + " · run in about " + duration(runEta);
      } else {
        const done = r.epochs.length ? r.epochs[r.epochs.length - 1].epoch : 0;
        fraction = total ? done / total : 0;
        text = r.status + (r.outcome ? " (" + r.outcome + ")" : "") + " · " + done + " of " + total + " epochs";
      }
      const bar = el("div", { class: "bar" }, el("div", { style: "width:" + (100 * fraction).toFixed(1) + "%" }));
      box.append(el("div", { class: "progress-row", id: "progress-" + r.index }, el("strong", {}, r.name), bar, el("span", {}, text)));
    }
  }

  function drawSamples() {
    const box = document.getElementById("samples");
    const key = state.runs.map((r) => r.samples.length).join(",");
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.innerHTML = "";
    for (const r of state.runs) {
      if (r.kind === "peer") continue;
      const latest = r.samples[r.samples.length - 1];
      if (!latest) {
        box.append(el("p", { class: "note" }, r.name + ": no samples yet (rnnlab train --sample-every N takes one every N epochs)."));
        continue;
      }
      const card = el("div", { class: "sample", id: "samples-" + r.index },
        el("div", { class: "meta" }, r.name + " · epoch " + latest.epoch + " · " + latest.decoding + " decoding, " + latest.length + " tokens"));
      for (const s of latest.samples) card.append(el("pre", {}, el("b", {}, s.prefix), s.text));
      box.append(card);
    }
  }

  const LATEST = [["epoch", (l) => l.epoch + " / " + l.epochs], ["train loss", (l) => fmt(l.train_loss)],
    ["train perplexity", (l) => fmt(l.train_perplexity, 3)], ["validation loss", (l) => fmt(l.validation_loss)],
    ["validation perplexity", (l) => fmt(l.validation_perplexity, 3)], ["tokens/s", (l) => fmt(l.tokens_per_s, 0)],
    ["learning rate", (l) => fmt(l.learning_rate, 6)], ["grad norm (mean)", (l) => fmt(l.grad_norm_mean, 3)],
    ["clipped", (l) => fmt(100 * l.clipped_fraction, 1) + "%"], ["training time", (l) => duration(l.elapsed_seconds)]];

  function drawLatest() {
    const t = document.getElementById("latest");
    t.innerHTML = "";
    t.append(el("tr", {}, el("th", {}, "run"), ...LATEST.map(([h]) => el("th", {}, h))));
    for (const r of state.runs) {
      if (r.kind === "peer") {
        const s = r.summary || {};
        t.append(el("tr", { id: "latest-" + r.index }, el("td", {}, r.name + " (PyTorch peer)"), el("td", {}, "–"),
          el("td", { class: "num" }, fmt(s.perplexity ? Math.log(s.perplexity) : null)), el("td", { class: "num" }, fmt(s.perplexity, 3)),
          el("td", { class: "num" }, fmt(s.valid_nats)), el("td", { class: "num" }, fmt(s.valid_nats ? Math.exp(s.valid_nats) : null, 3)),
          el("td", { class: "num" }, fmt(s.tokens_per_s, 0)), el("td", {}, "–"), el("td", {}, "–"), el("td", {}, "–"),
          el("td", {}, duration(s.seconds))));
        continue;
      }
      const l = r.epochs[r.epochs.length - 1];
      if (!l) continue;
      t.append(el("tr", { id: "latest-" + r.index }, el("td", {}, r.name), ...LATEST.map(([, f]) => el("td", { class: "num" }, f(l)))));
    }
  }

  // Flattens {a: {b: 1}} to [["a.b", "1"]] for the settings tables.
  function flatten(o, prefix, out) {
    if (o === null || typeof o !== "object") { out.set(prefix, String(o)); return out; }
    if (Array.isArray(o)) { out.set(prefix, JSON.stringify(o)); return out; }
    for (const [k, v] of Object.entries(o)) flatten(v, prefix ? prefix + "." + k : k, out);
    return out;
  }

  function drawConfig() {
    const box = document.getElementById("config");
    const key = state.runs.map((r) => JSON.stringify(r.info || r.summary)).join("|");
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.innerHTML = "";
    settingsTables(box, state.runs.filter((r) => r.kind !== "peer"), (r) => r.info, "config");
    settingsTables(box, state.runs.filter((r) => r.kind === "peer"), (r) => r.summary, "peer");
  }

  // One table of every setting (its runs as columns) and, for several runs, one of those that differ.
  function settingsTables(box, runs, of, id) {
    if (!runs.length) return;
    const flat = runs.map((r) => flatten(of(r) || {}, "", new Map()));
    const keys = Array.from(new Set(flat.flatMap((m) => Array.from(m.keys())))).sort();
    const differing = runs.length > 1 ? keys.filter((k) => new Set(flat.map((m) => m.get(k))).size > 1) : [];
    const header = () => el("tr", {}, el("th", {}, "setting"), ...runs.map((r) => el("th", {}, r.name)));
    const row = (k) => el("tr", { class: differing.includes(k) ? "differ" : "" }, el("td", {}, k),
      ...flat.map((m) => el("td", {}, m.has(k) ? m.get(k) : "–")));
    if (runs.length > 1) {
      const t = el("table", { class: "table", id: id + "-differing" }, header());
      for (const k of differing) t.append(row(k));
      box.append(el("h3", {}, differing.length + (id === "peer" ? " fields differ between the peer results" :
        " settings differ between the runs")), t);
    }
    const all = el("table", { class: "table", id: id + "-all" }, header());
    for (const k of keys) all.append(row(k));
    const title = id === "peer" ? "the PyTorch peer's result" : "all settings, corpus and provenance";
    box.append(el("details", runs.length > 1 ? {} : { open: "" }, el("summary", {}, title), all));
  }

  // ---- redraw --------------------------------------------------------------------------------------
  function redraw() {
    if (!state.runs.length) return;
    const first = charts.loss && charts.loss.rnnlabRebuild;
    const curves = state.runs.filter((r) => r.kind !== "peer").length;  // a peer is known as one by its first event
    if (!first || first.log !== logScale() || first.x !== xMode() || first.y !== yMode() || first.runs !== curves) buildCharts();
    if (charts.spectral.rnnlabLayers !== spectralLayers().map((l) => l.run.index + "/" + l.name).join(",")) buildSpectral();
    for (const name of Object.keys(CHARTS)) charts[name].setData(chartData(name));
    charts.spectral.setData(spectralData());
    drawRuns();
    drawProgress();
    drawHeatmaps();
    drawSamples();
    drawLatest();
    drawConfig();
  }

  for (const id of ["x-axis", "y-measure", "log-scale"]) document.getElementById(id).addEventListener("change", () => { buildCharts(); redraw(); });
  window.addEventListener("resize", () => {
    for (const [name, c] of Object.entries(charts)) c.setSize({ width: chartWidth(document.getElementById("chart-" + name)), height: 260 });
  });

  // What a test (or a curious user at the console) can read: the state and each chart's data as drawn.
  window.rnnlab = {
    state,
    chart: (name) => ({ labels: charts[name].series.map((s) => s.label), data: charts[name].data.map((a) => Array.from(a)) }),
    close: () => source && source.close(),
    // one whole redraw on the current axes (all charts rebuilt when {@code rebuild}), in milliseconds: for benchmarks
    timeRedraw: (rebuild) => { const t = performance.now(); if (rebuild) buildCharts(); redraw(); return performance.now() - t; },
  };
  connect();
})();
