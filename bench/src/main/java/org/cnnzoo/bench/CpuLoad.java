package org.cnnzoo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the rest of the machine was while something was timed: all CPUs' busy time from /proc/stat minus this
 * process's own (/proc/self/stat), in cores. Results taken while others used more than {@link #FLAG} are flagged.
 */
public final class CpuLoad {
    /** Other processes' load, in cores, above which a timing is flagged and not compared. */
    public static final double FLAG = 0.1;
    private static final double TICKS_PER_SECOND = 100;   // USER_HZ, 100 on Linux x86_64

    private final long busy;
    private final long own;
    private final long nanos;

    private CpuLoad(long busy, long own, long nanos) {
        this.busy = busy;
        this.own = own;
        this.nanos = nanos;
    }

    public static CpuLoad now() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long busy = total - Long.parseLong(cpu[4]) - Long.parseLong(cpu[5]);      // minus idle and iowait
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] f = self.substring(self.lastIndexOf(')') + 2).split("\\s+");
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);                 // utime + stime
            return new CpuLoad(busy, own, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            return new CpuLoad(0, 0, System.nanoTime());
        }
    }

    /** Cores used by other processes since {@code start}. */
    public static double othersSince(CpuLoad start) {
        CpuLoad end = now();
        double seconds = (end.nanos - start.nanos) / 1e9;
        double ticks = (end.busy - start.busy) - (end.own - start.own);
        return seconds <= 0 ? 0 : Math.max(0, ticks / TICKS_PER_SECOND / seconds);
    }
}
