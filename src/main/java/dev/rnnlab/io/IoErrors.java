package dev.rnnlab.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Says in plain words what an I/O error was, for one-line messages (never a Java class name or a bare path). */
public final class IoErrors {
    private IoErrors() {}

    /** "permission denied on 'x'", "the disk is full", ...: what went wrong, with the file it happened to. */
    public static String describe(IOException e) {
        String file = e instanceof FileSystemException f && f.getFile() != null ? " ('" + f.getFile() + "')" : "";
        String reason = e instanceof FileSystemException f ? f.getReason() : null;
        if (reason != null && reason.toLowerCase(java.util.Locale.ROOT).contains("no space left")) return "the disk is full" + file;
        if (e instanceof AccessDeniedException) return "permission denied" + file;
        if (e instanceof NoSuchFileException) return "no such file or directory" + file;
        if (e instanceof NotDirectoryException) return "not a directory" + file;
        if (e instanceof FileAlreadyExistsException) return "already exists" + file;
        if (e instanceof DirectoryNotEmptyException) return "directory not empty" + file;
        if (reason != null) return reason + file;
        String m = e.getMessage();
        if (m == null || m.isBlank()) return "an I/O error";
        return m.toLowerCase(java.util.Locale.ROOT).contains("no space left") ? "the disk is full" : m;
    }
}
