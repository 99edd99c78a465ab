package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The heap flags {@code serve} sets, in JVMs of their own: the defaults replaced, an operator's flag kept. */
class HeapReturnTest {

  @Test
  void aJvmWithDefaultsGivesBackHeapDownToAFifthFree() throws Exception {
    assertEquals("10 20 300000", probe(List.of("-XX:+UseG1GC")));
  }

  @Test
  void aFlagGivenOnTheCommandLineIsLeftAsGiven() throws Exception {
    assertEquals("10 70 300000", probe(List.of("-XX:+UseG1GC", "-XX:MaxHeapFreeRatio=70")));
    assertEquals("10 20 0", probe(List.of("-XX:+UseSerialGC")), "G1's interval is not touched under another collector");
  }

  /** Runs {@link Probe} in a JVM with {@code flags}: its MinHeapFreeRatio, MaxHeapFreeRatio and G1PeriodicGCInterval. */
  private static String probe(List<String> flags) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM ends");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    String[] lines = out.split("\n");
    return lines[lines.length - 1];
  }

  /** A JVM that applies the flags as {@code serve} does and prints what is in force. */
  static final class Probe {
    public static void main(String[] args) {
      HeapReturn.apply();
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      System.out.println(vm.getVMOption("MinHeapFreeRatio").getValue() + " "
          + vm.getVMOption("MaxHeapFreeRatio").getValue() + " " + vm.getVMOption("G1PeriodicGCInterval").getValue());
    }
  }
}
