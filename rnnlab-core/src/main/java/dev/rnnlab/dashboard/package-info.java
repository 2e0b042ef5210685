/**
 * A live dashboard for training runs: a read-only web page on loopback that draws a run as it trains, and
 * several finished runs overlaid.
 *
 * <p>Design. The dashboard reads run directories, never the trainer: a run writes everything it measures
 * as JSON lines in its directory ({@code metrics.jsonl} per epoch, {@code steps.jsonl} per bucket of
 * batches, {@code diagnostics/diagnostics.jsonl}, {@code samples.jsonl}) and its state in
 * {@code run.json}, and {@link Dashboard} follows those files. So one code path serves a run training in
 * this process ({@code rnnlab train --dashboard}), one training in another process, and runs finished long
 * ago ({@code rnnlab dashboard RUN_DIR...}); and what the page shows is exactly what the files hold.
 *
 * <p>A poller thread tails each file a few times a second ({@code JsonLinesTail}): it reads only whole
 * lines past its offset, and notices a file that was replaced by a shorter one (a resumed run drops the
 * epochs it replays) by the checksum of what it had read, and then reads the run again from the start.
 * Each new line becomes an event in one append-only {@code EventLog}, numbered; the page holds one
 * server-sent-events stream ({@code GET /api/events}) for all runs, so browsers' limit of six connections
 * per host never bites. A browser that reconnects sends the number of the last event it saw
 * ({@code Last-Event-ID}) and gets only what followed; after a restart of the server (a new instance) it
 * is told to start over.
 *
 * <p>Security. The server binds to 127.0.0.1 unless told otherwise, answers only GET and HEAD, and serves a
 * fixed set of routes: the page and its assets from the classpath (the chart library is uPlot from its
 * WebJar, so nothing is fetched from a CDN and the page works offline) and the two API routes. No URL names
 * a file, so nothing outside the run directories (nor any file in them) can be reached by a path; the
 * page's Content-Security-Policy allows only its own origin.
 */
package dev.rnnlab.dashboard;
