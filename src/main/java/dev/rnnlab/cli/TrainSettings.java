package dev.rnnlab.cli;

/**
 * Everything {@code rnnlab train} was told, stored in the checkpoint so {@code --resume} rebuilds the same
 * run and a reader knows how the model was made.
 */
record TrainSettings(String corpus, String tokens, String normalize, int minFreq, String model, int hidden, int layers,
                     int embed, boolean bidirectional, float dropout, int batch, int steps, String sampling, int epochs,
                     double lr, double clip, String optimizer, double weightDecay, String schedule, double warmup,
                     String split, int patience, long seed, String init, String bptt, int maxTokens) {

    /** The same settings with another total epoch count (what --resume --epochs N changes). */
    TrainSettings withEpochs(int total) {
        return new TrainSettings(corpus, tokens, normalize, minFreq, model, hidden, layers, embed, bidirectional, dropout, batch,
                steps, sampling, total, lr, clip, optimizer, weightDecay, schedule, warmup, split, patience, seed, init, bptt, maxTokens);
    }
}
