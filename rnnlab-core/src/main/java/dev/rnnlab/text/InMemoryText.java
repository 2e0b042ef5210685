package dev.rnnlab.text;

/** Feeds an in-memory string to a sink in the same chunked form the file reader uses. */
final class InMemoryText {
    private InMemoryText() {}

    static void feed(String text, TextSink sink) {
        char[] chars = text.toCharArray();
        sink.append(chars, 0, chars.length);
        sink.end();
    }
}
