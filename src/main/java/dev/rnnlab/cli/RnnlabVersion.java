package dev.rnnlab.cli;

/** rnnlab's version as packaged in the jar's manifest, or "dev" when run from classes. */
public final class RnnlabVersion {
    private RnnlabVersion() {}

    public static String get() {
        String v = RnnlabVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
