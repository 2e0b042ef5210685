package dev.rnnlab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** rnnlab's version, as Maven wrote it into the library at build time; recorded in every checkpoint. */
public final class RnnlabVersion {
    private static final String VERSION = read();

    private RnnlabVersion() {}

    /** The version string, e.g. {@code 0.1.0-SNAPSHOT}, or {@code dev} when the resource was not filtered. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = RnnlabVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            // An unfiltered copy (an IDE building from sources) still holds the placeholder.
            return v.isBlank() || v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
