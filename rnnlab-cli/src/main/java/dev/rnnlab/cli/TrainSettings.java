package dev.rnnlab.cli;

/**
 * Everything {@code rnnlab train} was told, stored in the checkpoint so {@code --resume} rebuilds the same
 * run and a reader knows how the model was made.
 */
record TrainSettings(String corpus, String tokens, String normalize, int minFreq, String model, int hidden, int layers,
                     int embed, boolean bidirectional, float dropout, int batch, int steps, String sampling, int epochs,
                     double lr, double clip, String optimizer, double weightDecay, String schedule, double warmup,
                     String split, int patience, long seed, String init, String bptt, int maxTokens) {

    /** What --epochs and --max-tokens are when not given: resolved once the corpus is known. */
    static final int UNSET = -1;

    /**
     * The defaults for what was not given: D2L's own run on its own data (the first 10,000 characters of The
     * Time Machine, 500 epochs), else all the tokens and 20 epochs.
     */
    TrainSettings withDefaultsFor(boolean d2lTimeMachine) {
        int e = epochs != UNSET ? epochs : d2lTimeMachine ? 500 : 20;
        int m = maxTokens != UNSET ? maxTokens : d2lTimeMachine ? 10_000 : 0;
        return new TrainSettings(corpus, tokens, normalize, minFreq, model, hidden, layers, embed, bidirectional, dropout, batch,
                steps, sampling, e, lr, clip, optimizer, weightDecay, schedule, warmup, split, patience, seed, init, bptt, m);
    }

    /** The same settings with another total epoch count (what --resume --epochs N changes). */
    TrainSettings withEpochs(int total) {
        return new TrainSettings(corpus, tokens, normalize, minFreq, model, hidden, layers, embed, bidirectional, dropout, batch,
                steps, sampling, total, lr, clip, optimizer, weightDecay, schedule, warmup, split, patience, seed, init, bptt, maxTokens);
    }
}
