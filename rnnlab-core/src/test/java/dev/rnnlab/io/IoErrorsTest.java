package dev.rnnlab.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoErrorsTest {
    @TempDir
    Path dir;

    @Test
    void theJdksExceptionsBecomePlainWordsWithoutClassNamesOrBarePaths() {
        Object[][] cases = {
            {new NoSuchFileException("/data/x.txt"), "no such file or directory"},
            {new AccessDeniedException("/data/x.txt"), "permission denied"},
            {new FileAlreadyExistsException("/data/x"), "a file of that name already exists"},
            {new NotDirectoryException("/data/x"), "not a directory"},
            {new DirectoryNotEmptyException("/data/x"), "the directory is not empty"},
            {new FileSystemException("/data/x.txt", null, "No space left on device"), "the disk is full"},
            {new IOException("No space left on device"), "the disk is full"},
            {new FileSystemException("/data/x.txt", null, "Read-only file system"), "the file system is read-only"},
            {new FileSystemException("/data/x.txt", null, "Is a directory"), "is a directory"},
            {new FileSystemException("/data/x.txt"), "an I/O error"},
            {new MalformedInputException(1), "not valid UTF-8 text"},
            {new ConnectException(), "cannot connect"},
            {new IOException("Stream closed\n  at line 2"), "Stream closed"},
            {new IOException(), "an I/O error"},
        };
        for (Object[] c : cases) {
            IOException e = (IOException) c[0];
            assertThat(IoErrors.describe(e)).as(e.toString()).isEqualTo(c[1])
                    .doesNotContain("Exception").doesNotContain("/data/");
        }
    }

    @Test
    void aFailedWriteNamesTheMissingDirectoryOrTheFileInTheWayOfOne() throws Exception {
        Path missing = dir.resolve("missing_dir").resolve("x.txt");
        assertThat(IoErrors.describeWrite(missing, writeFails(missing)))
                .isEqualTo("directory '" + dir.resolve("missing_dir") + "' does not exist");
        Path deeper = dir.resolve("a").resolve("b").resolve("x.txt");
        assertThat(IoErrors.describeWrite(deeper, writeFails(deeper)))
                .isEqualTo("directory '" + dir.resolve("a").resolve("b") + "' does not exist");
        Path aFile = Files.writeString(dir.resolve("notes.txt"), "hi");
        Path underAFile = aFile.resolve("sub").resolve("x.txt");
        assertThat(IoErrors.describeWrite(underAFile, writeFails(underAFile))).isEqualTo("'" + aFile + "' is not a directory");
        assertThat(IoErrors.describeWrite(dir, writeFails(dir))).isEqualTo("it is a directory");
        Path fine = dir.resolve("fine.txt");
        assertThat(IoErrors.describeWrite(fine, new AccessDeniedException(fine.toString()))).isEqualTo("permission denied");
        Path relative = Path.of("x.txt");
        assertThat(IoErrors.describeWrite(relative, new IOException("No space left on device"))).isEqualTo("the disk is full");
    }

    private static IOException writeFails(Path file) {
        try {
            Files.writeString(file, "text");
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("writing " + file + " should have failed");
    }
}
