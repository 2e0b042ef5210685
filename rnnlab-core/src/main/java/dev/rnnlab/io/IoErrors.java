package dev.rnnlab.io;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Plain words for why a file operation failed ("permission denied", "the disk is full"), to end a one-line
 * error such as {@code cannot read corpus 'x.txt': permission denied}.
 *
 * <p>The JDK's own messages are a bare path for most {@link FileSystemException}s and a class name is what a
 * careless {@code toString()} adds; neither tells a person what to do.
 */
public final class IoErrors {
    private IoErrors() {}

    /** Why {@code e} happened, in words; the caller's message names the file. */
    public static String describe(IOException e) {
        // the operating system's own words for a full disk, whichever exception type carries them
        String text = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        if (text != null) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.contains("no space left on device")) return "the disk is full";
            if (lower.contains("disk quota exceeded")) return "the disk quota is exceeded";
            if (lower.contains("read-only file system")) return "the file system is read-only";
        }
        return switch (e) {
            case NoSuchFileException _ -> "no such file or directory";
            case AccessDeniedException _ -> "permission denied";
            case FileAlreadyExistsException _ -> "a file of that name already exists";
            case NotDirectoryException _ -> "not a directory";
            case DirectoryNotEmptyException _ -> "the directory is not empty";
            case FileSystemException x -> x.getReason() != null ? firstLetterLower(x.getReason()) : "an I/O error";
            case CharacterCodingException _ -> "not valid UTF-8 text";
            case UnknownHostException x -> "unknown host" + (x.getMessage() == null ? "" : " '" + x.getMessage() + "'");
            case ConnectException _ -> "cannot connect";
            case HttpTimeoutException _ -> "timed out";
            default -> text == null || text.isBlank() ? "an I/O error" : firstLine(text);
        };
    }

    /**
     * Why writing {@code file} failed: names a missing or non-directory parent ("directory 'out' does not
     * exist", "'notes.txt' is not a directory") and a directory in the file's place, else {@link #describe}.
     */
    public static String describeWrite(Path file, IOException e) {
        if (Files.isDirectory(file)) return "it is a directory";
        Path missing = null;
        for (Path p = file.getParent(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) break;
            if (Files.exists(p)) return "'" + p + "' is not a directory";
            if (missing == null) missing = p;
        }
        if (missing != null) return "directory '" + missing + "' does not exist";
        return describe(e);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).strip();
    }

    private static String firstLetterLower(String reason) {
        String line = firstLine(reason);
        // "Is a directory" -> "is a directory", but "NFS ..." stays as it is
        if (line.length() > 1 && Character.isUpperCase(line.charAt(0)) && Character.isLowerCase(line.charAt(1))) {
            return Character.toLowerCase(line.charAt(0)) + line.substring(1);
        }
        return line;
    }
}
