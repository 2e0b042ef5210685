package dev.rnnlab.io;

import dev.rnnlab.RnnlabException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per checkpoint directory: an operating-system lock on {@code DIR.lock} beside it, held for the
 * whole run, with the holder's PID written in the file for the message another run gets. The lock is the
 * kernel's, so a run killed with -9 releases it with its process and the next run takes it over: a stale
 * {@code DIR.lock} file means nothing by itself. The file sits beside {@code DIR}, not in it, because a
 * save replaces {@code DIR} by a rename and a lock inside would move with it.
 */
public final class CheckpointLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private CheckpointLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dir}, or says which process holds it. */
    public static CheckpointLock acquire(Path dir) {
        if (Files.isRegularFile(dir)) {
            throw new RnnlabException("checkpoint directory '" + dir + "' is a file; choose another --checkpoint");
        }
        Path file = Checkpoint.sibling(dir, ".lock");
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;  // this process holds it already, for another run
            }
            if (lock == null) {
                String holder = holder(ch);
                ch.close();
                throw new RnnlabException("checkpoint directory '" + dir + "' is in use by another rnnlab run ("
                        + (holder.isEmpty() ? "its process id is unknown" : "pid " + holder)
                        + "); wait for it to finish, or give this run another --checkpoint");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            return new CheckpointLock(ch, lock);
        } catch (IOException e) {
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            throw new RnnlabException("cannot lock checkpoint directory '" + dir + "': " + IoErrors.describe(e));
        }
    }

    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
    }

    /** Releases the lock (the file stays: deleting it could let two later runs lock two different files). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the process's exit releases it in any case
        }
    }
}
