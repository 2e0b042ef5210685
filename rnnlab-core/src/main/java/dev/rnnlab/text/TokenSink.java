package dev.rnnlab.text;

/** Receives tokens in corpus order. */
interface TokenSink {
    void accept(String token);
}
