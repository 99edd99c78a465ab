package dev.tollgate.router;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the JVM give back heap the router no longer needs, unless the operator chose otherwise.
 *
 * <p>Why: a burst of logins (each ticket check is 5,000 SHA-512 rounds) grows the heap, and after it the JVM's
 * defaults keep up to 70 % of the heap free and committed for good ({@code MaxHeapFreeRatio}). Measured with 19,000
 * idle sessions: 135 MB live, 449 MB committed, so the process's memory was three times what its sessions held. A
 * router runs for months and its memory is what operators watch; its load comes in bursts. So, at {@code serve}:
 * <ul>
 *   <li>{@code MaxHeapFreeRatio=20}, {@code MinHeapFreeRatio=10}: after a full collection the heap shrinks to its
 *       live data plus 25 % (a fifth of it free). Idle sessions are what a router holds most of, and they hold still:
 *       with 19,000 of them the process grew by 7.1 KiB per session with 20 against 8.4 KiB with 30, for 5 KiB of
 *       live heap each. A new burst grows the heap again as G1 sees fit;
 *   <li>{@code G1PeriodicGCInterval=300000} (G1 only): a router idle for five minutes collects and gives back what
 *       it no longer uses, without waiting for a full collection that an idle router never has.
 * </ul>
 * These flags are manageable: the JVM takes them while running, so no launcher needs to pass them. A flag given on
 * the command line ({@code -XX:...}, {@code JAVA_OPTS}) is left as it is.
 */
final class HeapReturn {
  private static final Logger LOG = LoggerFactory.getLogger(HeapReturn.class);

  private HeapReturn() {}

  /** Sets the flags the operator left at their defaults, and logs those it set. */
  static void apply() {
    HotSpotDiagnosticMXBean vm;
    try {
      vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    } catch (RuntimeException notHotSpot) {
      return;
    }
    if (vm == null) {
      return;
    }
    List<String> set = new ArrayList<>();
    // Min first: the JVM refuses a MaxHeapFreeRatio below the MinHeapFreeRatio in force (40 by default).
    setIfDefault(vm, "MinHeapFreeRatio", "10", set);
    setIfDefault(vm, "MaxHeapFreeRatio", "20", set);
    if (usesG1()) {
      setIfDefault(vm, "G1PeriodicGCInterval", "300000", set);
    }
    if (!set.isEmpty()) {
      LOG.info("JVM flags set to give back unused heap: {} (a -XX flag given on the command line wins)",
          String.join(", ", set));
    }
  }

  private static void setIfDefault(HotSpotDiagnosticMXBean vm, String name, String value, List<String> set) {
    try {
      VMOption option = vm.getVMOption(name);
      if (option.getOrigin() != VMOption.Origin.DEFAULT || !option.isWriteable()) {
        return;
      }
      vm.setVMOption(name, value);
      set.add(name + "=" + value);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // not this JVM's flag, or a value it refuses (another ratio set by the operator): leave the JVM as it is
      LOG.debug("left {} as it is: {}", name, e.getMessage());
    }
  }

  private static boolean usesG1() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(gc -> gc.getName().startsWith("G1"));
  }
}
