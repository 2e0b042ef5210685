package dev.rnnlab.data;

import dev.rnnlab.RnnlabException;

/**
 * A named corpus is neither cached nor downloadable (typically: no network). A caller that has a fallback
 * catches this one; every other problem (a wrong checksum, an unwritable cache) stays an error.
 */
public final class CorpusUnavailableException extends RnnlabException {
    /** The one-line {@code message} and the download failure {@code cause} (may be null). */
    public CorpusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
