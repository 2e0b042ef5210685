package dev.rnnlab.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

class WorkerTeamTest {
    @Test
    void everyPartRunsOnceOnItsOwnThreadAndTheCallerIsPartZero() {
        WorkerTeam team = new WorkerTeam(3);
        AtomicReferenceArray<Thread> ran = new AtomicReferenceArray<>(3);
        for (int round = 0; round < 50; round++) {  // spinning and parked workers alike
            for (int p = 0; p < 3; p++) ran.set(p, null);
            assertThat(team.tryRun(part -> assertThat(ran.getAndSet(part, Thread.currentThread())).isNull())).isTrue();
            assertThat(ran.get(0)).isSameAs(Thread.currentThread());
            assertThat(ran.get(1)).isNotNull().isNotSameAs(ran.get(2)).isNotSameAs(ran.get(0));
            assertThat(ran.get(2)).isNotNull().isNotSameAs(ran.get(0));
            if (round == 25) sleepPastIdleSpin();
        }
    }

    /** After each barrier every part sees every other part's writes of the round before: a missed wait shows. */
    @Test
    void theBarrierOrdersEveryRoundsWrites() {
        WorkerTeam team = new WorkerTeam(2);
        int rounds = 20_000;
        int[][] written = new int[2][rounds];
        AtomicBoolean stale = new AtomicBoolean();
        team.tryRun(part -> {
            int other = 1 - part;
            for (int r = 0; r < rounds; r++) {
                written[part][r] = r + 1;
                team.await(part);
                if (written[other][r] != r + 1) stale.set(true);
            }
        });
        assertThat(stale).isFalse();
    }

    @Test
    void aFailingPartBreaksTheBarrierAndTheCallerGetsItsException() {
        WorkerTeam team = new WorkerTeam(2);
        assertThatThrownBy(() -> team.tryRun(part -> {
            if (part == 1) throw new IllegalArgumentException("part 1 failed");
            team.await(part);  // would wait for ever without the break
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("part 1 failed");
        assertThatThrownBy(() -> team.tryRun(part -> {
            team.await(part);
            if (part == 0) throw new IllegalStateException("the caller's part failed");
            team.await(part);
        })).isInstanceOf(IllegalStateException.class).hasMessage("the caller's part failed");
        int[] sum = new int[2];
        assertThat(team.tryRun(part -> sum[part] = part + 1)).as("usable after a failure").isTrue();
        assertThat(sum).containsExactly(1, 2);
    }

    @Test
    void aBusyTeamRefusesInsteadOfWaiting() throws Exception {
        WorkerTeam team = new WorkerTeam(2);
        boolean[] nested = new boolean[1];
        team.tryRun(part -> {
            if (part == 0) nested[0] = team.tryRun(p -> { });
        });
        assertThat(nested[0]).as("a task inside a task").isFalse();

        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread holder = new Thread(() -> team.tryRun(part -> {
            if (part == 0) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        holder.start();
        inside.await();
        assertThat(team.tryRun(p -> { })).as("another thread's task is running").isFalse();
        release.countDown();
        holder.join();
        assertThat(team.tryRun(p -> { })).isTrue();
    }

    @Test
    void idleWorkersParkInsteadOfSpinning() {
        WorkerTeam team = new WorkerTeam(3);
        team.tryRun(p -> { });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!team.workersParked() && System.nanoTime() < deadline) sleepPastIdleSpin();
        assertThat(team.workersParked()).isTrue();
        int[] seen = new int[3];
        assertThat(team.tryRun(part -> seen[part]++)).as("parked workers wake for the next task").isTrue();
        assertThat(seen).containsExactly(1, 1, 1);
    }

    @Test
    void tryRunIfAwakeRefusesWhileAWorkerIsParkedAndWakesIt() {
        WorkerTeam team = new WorkerTeam(2);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!team.workersParked() && System.nanoTime() < deadline) sleepPastIdleSpin();
        int[] ran = new int[2];
        assertThat(team.tryRunIfAwake(part -> ran[part]++)).as("a parked worker").isFalse();
        assertThat(ran).containsExactly(0, 0);
        boolean split = false;
        // waking takes from microseconds to milliseconds on a virtual machine; once awake the worker spins
        long wakeDeadline = System.nanoTime() + 5_000_000_000L;
        while (!split && System.nanoTime() < wakeDeadline) split = team.tryRunIfAwake(part -> ran[part]++);
        assertThat(split).isTrue();
        assertThat(ran[0]).isEqualTo(ran[1]).isPositive();
    }

    @Test
    void startCutsIntoNearlyEqualRangesThatCoverEverything() {
        assertThat(WorkerTeam.start(0, 2, 37)).isZero();
        assertThat(WorkerTeam.start(1, 2, 37)).isEqualTo(18);
        assertThat(WorkerTeam.start(2, 2, 37)).isEqualTo(37);
        assertThat(WorkerTeam.start(3, 3, 10)).isEqualTo(10);
        assertThatThrownBy(() -> new WorkerTeam(1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void sleepPastIdleSpin() {
        try {
            Thread.sleep(WorkerTeam.IDLE_SPIN_NANOS / 1_000_000 + 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
