package org.cnnzoo.spark;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The watch over gradient-sharing rounds: a round that stops for good is cancelled, run again, and never hangs its caller. */
class StalledRoundTest {
    private static final long LIMIT = TimeUnit.MILLISECONDS.toNanos(300);

    @Test
    void aRoundThatStallsOnceIsCancelledAndRunAgain() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        String result = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () ->
                SparkEngine.retryStalled(() -> {
                    if (started.incrementAndGet() == 1) {
                        try {
                            never.await();
                        } catch (InterruptedException e) {
                            interrupted.set(true);
                            throw e;
                        }
                    }
                    return "trained";
                }, cancelled::incrementAndGet, LIMIT, 3, "a round", "advice"));
        assertEquals("trained", result);
        assertEquals(2, started.get(), "run again once");
        assertEquals(1, cancelled.get(), "the stalled round's jobs were cancelled");
        assertTrue(waitFor(interrupted::get), "and its thread interrupted");
    }

    @Test
    void aRoundThatAlwaysStallsFailsAfterTheLastAttemptSayingWhatToDo() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicBoolean release = new AtomicBoolean();
        IllegalStateException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () ->
                assertThrows(IllegalStateException.class, () -> SparkEngine.retryStalled(() -> {
                    started.incrementAndGet();
                    // a stall that ignores interrupts, as a wait inside a native transport may
                    while (!release.get()) {
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                        Thread.interrupted();
                    }
                    return "never";
                }, cancelled::incrementAndGet, LIMIT, 3, "a gradient-sharing round", "use parameter averaging")));
        release.set(true);
        assertEquals(3, started.get());
        assertEquals(3, cancelled.get());
        assertTrue(e.getMessage().startsWith("a gradient-sharing round made no progress in 0 s, 3 times; use parameter averaging"),
                e.getMessage());
    }

    @Test
    void aRoundsOwnFailureReachesTheCallerAtOnce() {
        AtomicInteger started = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkEngine.retryStalled(() -> {
            started.incrementAndGet();
            throw new IllegalArgumentException("no such vertex");
        }, () -> { }, LIMIT, 3, "a round", "advice"));
        assertEquals("no such vertex", e.getMessage());
        assertEquals(1, started.get(), "a failure is not a stall: not run again");
    }

    /** {@code --spark-stall-limit}: seconds, only with gradient sharing, refused before Spark starts. */
    @Test
    void theLimitIsWholeSecondsForGradientSharingCheckedBeforeSparkStarts() {
        SparkEngineFactory factory = new SparkEngineFactory();
        for (String bad : List.of("0", "-5", "1.5", "ten")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.start("local[1]",
                    Map.of("training", "sharing", "stallLimit", bad)));
            assertEquals("--spark-stall-limit is a whole number of seconds from 1, not '" + bad + "'", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> factory.start("local[1]",
                Map.of("training", "averaging", "stallLimit", "60")));
        assertEquals("--spark-stall-limit goes with --spark-training sharing", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkEngine.on(null).withStallLimit(java.time.Duration.ZERO));
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return condition.getAsBoolean();
    }
}
