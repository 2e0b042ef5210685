/**
 * Serving a trained model over HTTP: a small JSON API on the JDK's own HTTP server
 * ({@code com.sun.net.httpserver}), bound to loopback unless told otherwise.
 *
 * <p>Design. {@link ModelServer} holds one set of weights and a fixed pool of replicas that share them
 * ({@link dev.rnnlab.run.TrainedModel#replica}), each with its own working memory, so as many requests
 * compute at once as there are replicas. A request first passes admission: beyond replicas + queue
 * requests in progress it is answered 503 at once, never left hanging; an admitted request waits for a
 * replica at most the time limit, then gets 503 too. Handler threads outnumber the admission bound, so
 * a refusal never waits behind a computation. Every request has bounds: the body's size (413), the
 * generated length (400 beyond the server's maximum) and the time limit (generation ends with finish
 * "time"). Malformed JSON, unknown fields and values out of range are 400 with one line saying which.
 *
 * <p>Endpoints: {@code GET /v1/health}, {@code GET /v1/model} (the model, its pipeline and the server's
 * limits), {@code POST /v1/generate} (whole JSON, or server-sent events with {@code "stream": true}) and
 * {@code POST /v1/score} (perplexity, and per-token log probabilities on request). Answers are exactly the
 * library's: the same request to {@link dev.rnnlab.run.TrainedModel#generate(dev.rnnlab.run.GenerationRequest,
 * java.util.function.Consumer)} gives the same text.
 */
package dev.rnnlab.serve;
