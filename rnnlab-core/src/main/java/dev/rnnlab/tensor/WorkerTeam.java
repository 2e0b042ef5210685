package dev.rnnlab.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that run one task together, each on its own part, and meet at a spinning
 * barrier inside it: the calling thread is part 0 and {@code size - 1} daemon threads are the others.
 *
 * <p>Why not a pool: a recurrent layer's time loop needs every part's h_t before any part can start step
 * t + 1, so the parts meet 35 times per batch per layer. Handing each step to a pool would wake a parked
 * thread every time (tens of microseconds here, docs/BENCHMARKS.md), which is as long as a step of an
 * LSTM-256. Here the workers stay in the task for the whole time loop and wait for each other by spinning
 * on a counter, which costs well under a microsecond; between tasks they spin a little longer
 * ({@link #IDLE_SPIN_NANOS}) and then park, so an idle team uses no CPU.
 *
 * <p>One task at a time: {@link #tryRun} refuses (returns false) while another thread's task is running,
 * and the caller then does the work on its own, so the team can be shared without locks or deadlock.
 * A part that throws breaks the barrier for the others, and {@link #tryRun} rethrows its exception.
 */
public final class WorkerTeam {

    /** One part's share of a task; {@code part} is 0 .. size-1. */
    @FunctionalInterface
    public interface Task {
        void run(int part);
    }

    /** How long a worker keeps spinning for the next task before it parks: longer than the serial gaps of a batch. */
    static final long IDLE_SPIN_NANOS = 2_000_000L;

    /** Spins at a barrier before a waiting part starts yielding its core: a few hundred microseconds (a PAUSE is 20-50 ns). */
    static final int YIELD_AFTER_SPINS = 1 << 14;

    private final int size;
    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Task task;
    private volatile long generation;             // bumped once per task; workers wait for it to change
    private final AtomicInteger unfinished = new AtomicInteger();
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int barrierRound;
    private volatile boolean broken;
    private volatile Throwable failure;
    private volatile Timeline timeline;
    // 1 while a worker is parked or about to park; volatile both ways, so either the caller sees it or the
    // worker sees the new generation before it parks
    private final AtomicIntegerArray parked;

    /** A team of {@code size} threads: this caller and {@code size - 1} daemon workers named rnnlab-worker-N. */
    public WorkerTeam(int size) {
        if (size < 2) throw new IllegalArgumentException("a team needs >= 2 threads, got " + size);
        this.size = size;
        this.workers = new Thread[size - 1];
        this.parked = new AtomicIntegerArray(size);
        for (int p = 1; p < size; p++) {
            int part = p;
            Thread t = new Thread(() -> work(part), "rnnlab-worker-" + p);
            t.setDaemon(true);
            workers[p - 1] = t;
            t.start();
        }
    }

    /** How many threads run each task, the caller included. */
    public int size() {
        return size;
    }

    /**
     * Runs {@code task} on every part at once, this thread as part 0, and returns when all parts have
     * finished: true. Returns false at once, running nothing, when the team is already running a task
     * (another thread's, or this one's: a part must not start a task of its own).
     */
    public boolean tryRun(Task task) {
        if (!busy.compareAndSet(false, true)) return false;
        try {
            this.task = task;
            broken = false;
            failure = null;
            unfinished.set(size - 1);
            arrived.set(0);
            generation = generation + 1;  // publishes task and the reset counters to the workers
            for (int p = 1; p < size; p++) if (parked.get(p) == 1) LockSupport.unpark(workers[p - 1]);
            runPart(task, 0);
            while (unfinished.get() > 0) Thread.onSpinWait();
            this.task = null;
            Throwable f = failure;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error e) throw e;
            if (f != null) throw new IllegalStateException(f);
            return true;
        } finally {
            busy.set(false);
        }
    }

    /**
     * As {@link #tryRun}, but only when no worker is parked: when one is, it is woken (to spin for the next
     * task) and this returns false at once, running nothing. For work shorter than a wake-up, such as one
     * step of batch-1 generation (tens of microseconds, where waking a parked thread on a virtual machine
     * can take milliseconds): the first step after a pause runs on the caller alone, the next ones split.
     */
    public boolean tryRunIfAwake(Task task) {
        boolean asleep = false;
        for (int p = 1; p < size; p++) {
            if (parked.get(p) == 1) {
                asleep = true;
                LockSupport.unpark(workers[p - 1]);
            }
        }
        return !asleep && tryRun(task);
    }

    /**
     * Waits until every part of the running task has called it, spinning. Call it from inside a task as
     * part {@code part}, the same number of times on every part; throws when another part has failed.
     */
    public void await(int part) {
        Timeline log = timeline;
        long since = log == null ? 0 : System.nanoTime();
        int round = barrierRound;
        if (arrived.incrementAndGet() == size) {
            arrived.set(0);
            barrierRound = round + 1;  // releases the others; the counter is already reset for the next round
        } else {
            for (int spins = 0; barrierRound == round; spins++) {
                if (broken) throw new BrokenTeamException();
                // a part that has waited long is likely waiting for one the OS has taken off its core (by a JIT
                // or GC thread, or onto this core): from then on give the core away between checks
                if (spins < YIELD_AFTER_SPINS) Thread.onSpinWait();
                else Thread.yield();
            }
        }
        if (log != null) log.waited(part, System.nanoTime() - since);
    }

    /**
     * Starts recording, for every part, how long it works in each task and how long it waits at each
     * barrier (the first {@code maxWaits} waits per part are kept one by one); {@link #stopTimeline} ends it.
     * Off by default: a recording barrier reads the clock twice.
     */
    public void startTimeline(int maxWaits) {
        timeline = new Timeline(size, maxWaits);
    }

    /** Stops recording and returns what was recorded (null when nothing was being recorded). */
    public Timeline stopTimeline() {
        Timeline t = timeline;
        timeline = null;
        return t;
    }

    /**
     * What a team's parts did while a timeline was on: per part, the nanoseconds spent inside tasks, the
     * nanoseconds spent waiting at barriers, the number of waits, and the first waits one by one.
     */
    public static final class Timeline {
        private final long[] inTasks, waiting;
        private final int[] waits;
        private final long[][] firstWaits;

        Timeline(int parts, int maxWaits) {
            inTasks = new long[parts];
            waiting = new long[parts];
            waits = new int[parts];
            firstWaits = new long[parts][maxWaits];
        }

        void waited(int part, long nanos) {  // each part writes only its own slots
            waiting[part] += nanos;
            if (waits[part] < firstWaits[part].length) firstWaits[part][waits[part]] = nanos;
            waits[part]++;
        }

        void worked(int part, long nanos) {
            inTasks[part] += nanos;
        }

        public int parts() {
            return inTasks.length;
        }

        /** Nanoseconds part {@code part} spent inside tasks, its barrier waits included. */
        public long inTasksNanos(int part) {
            return inTasks[part];
        }

        /** Nanoseconds part {@code part} spent waiting at barriers. */
        public long waitingNanos(int part) {
            return waiting[part];
        }

        /** How many times part {@code part} waited at a barrier. */
        public int waits(int part) {
            return waits[part];
        }

        /** The first waits of part {@code part}, in nanoseconds, in order. */
        public long[] firstWaits(int part) {
            return java.util.Arrays.copyOf(firstWaits[part], Math.min(waits[part], firstWaits[part].length));
        }
    }

    /** Whether every worker is parked (idle long enough to stop spinning): for tests. */
    boolean workersParked() {
        for (Thread t : workers) if (t.getState() != Thread.State.WAITING) return false;
        return true;
    }

    /** The first index of {@code part}'s share when {@code n} items are cut into {@code parts} nearly equal ranges. */
    public static int start(int part, int parts, int n) {
        return (int) ((long) part * n / parts);
    }

    private void runPart(Task t, int part) {
        Timeline log = timeline;
        long since = log == null ? 0 : System.nanoTime();
        try {
            t.run(part);
            if (log != null) log.worked(part, System.nanoTime() - since);
        } catch (BrokenTeamException e) {
            // another part failed first; its exception is the one reported
        } catch (Throwable e) {
            if (failure == null) failure = e;
            broken = true;
        }
    }

    private void work(int part) {
        long seen = 0;
        while (true) {
            long idleSince = System.nanoTime();
            while (generation == seen) {
                if (System.nanoTime() - idleSince < IDLE_SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked.set(part, 1);
                if (generation == seen) LockSupport.park(this);
                parked.set(part, 0);
                idleSince = System.nanoTime();  // woken, by a task or to spin for one (tryRunIfAwake)
            }
            seen = generation;
            runPart(task, part);
            unfinished.decrementAndGet();
        }
    }

    /** Thrown inside a part whose barrier was broken by another part's failure. */
    private static final class BrokenTeamException extends RuntimeException {
        BrokenTeamException() {
            super("another part of the task failed", null, false, false);
        }
    }
}
