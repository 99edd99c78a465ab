package dev.tollgate.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CPU and memory readings from /proc (Linux): this process, the router's process, the whole machine.
 * A {@link Sample} is taken before and after a measured interval; {@link #cpu} turns two into percentages.
 */
final class ProcStats {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private ProcStats() {
    }

    record Sample(long wallNanos, long selfCpuNanos, long routerTicks, long machineBusy, long machineAll) {
    }

    /** CPU over an interval, each in percent of one core. */
    record Cpu(double loadGenerator, double router, double machineBusy, double cores) {
        String describe() {
            return String.format("load generator %.0f%%, router %s, whole machine %.0f%% of %.0f cores busy",
                    loadGenerator, router < 0 ? "n/a" : String.format("%.0f%%", router), machineBusy, cores);
        }
    }

    /** @param routerPids the router's processes (several for several nodes): their CPU together */
    static Sample sample(long... routerPids) {
        long[] m = machine();
        long ticks = 0;
        for (long pid : routerPids) {
            long t = pid > 0 ? processTicks(pid) : -1;
            if (t < 0) {
                ticks = -1;
                break;
            }
            ticks += t;
        }
        return new Sample(System.nanoTime(), selfCpuNanos(), ticks, m[0], m[1]);
    }

    static Cpu cpu(Sample a, Sample b) {
        double wall = (b.wallNanos() - a.wallNanos()) / 1e9;
        double self = (b.selfCpuNanos() - a.selfCpuNanos()) / 1e9 / wall * 100;
        double router = a.routerTicks() < 0 ? -1 : (b.routerTicks() - a.routerTicks()) / TICKS_PER_SECOND / wall * 100;
        double all = Math.max(1, b.machineAll() - a.machineAll());
        int cores = Runtime.getRuntime().availableProcessors();
        return new Cpu(self, router, 100.0 * (b.machineBusy() - a.machineBusy()) / all * cores, cores);
    }

    static long selfCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long processTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] p = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(p[11]) + Long.parseLong(p[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** busy and total jiffies over all cores (guest time is already in user time). */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0, all = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                all += v;
                if (i != 4 && i != 5) busy += v; // idle, iowait
            }
            return new long[] {busy, all};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Resident set size of a process in bytes, or -1. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | RuntimeException ignored) {
            // not readable
        }
        return -1;
    }

    /**
     * RSS once it has stopped falling (read every 250 ms until two reads in a row are within 0.5 % of the one before
     * them, at most 10 s), in bytes; -1 if not readable. After a full GC a JVM gives its freed heap back to the system
     * concurrently (G1 since JDK 17), so RSS read at once can still hold what is about to go; a later read, lower,
     * made the growth between two readings negative.
     */
    static long settledRssBytes(long pid) throws InterruptedException {
        long previous = rssBytes(pid);
        int steady = 0;
        for (int i = 0; i < 40 && previous > 0 && steady < 2; i++) {
            Thread.sleep(250);
            long now = rssBytes(pid);
            if (now < 0) return now;
            steady = now >= previous - previous / 200 ? steady + 1 : 0;
            previous = now;
        }
        return previous;
    }

    static boolean isJava(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim().equals("java");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Used Java heap of a JVM after a full GC, through {@code jcmd} (beside this JVM's java), in bytes; -1 if the
     * process is no JVM or jcmd fails.
     */
    static long heapAfterGc(long pid) {
        if (!isJava(pid)) return -1;
        try {
            jcmd(pid, "GC.run");
            for (String line : jcmd(pid, "GC.heap_info")) {
                int u = line.indexOf(" used ");
                if (line.contains("total") && u > 0) {
                    String n = line.substring(u + 6).trim();
                    n = n.substring(0, n.indexOf('K'));
                    return Long.parseLong(n) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private static List<String> jcmd(long pid, String command) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String exe = Files.isExecutable(java) ? java.toString() : "jcmd";
        Process p = new ProcessBuilder(exe, Long.toString(pid), command).redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        return out;
    }
}
