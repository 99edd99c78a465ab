package dev.tollgate.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's own view of TCP sockets, read from {@code /proc/net/tcp} and {@code tcp6} (Linux): what a socket still
 * holds to send once Java has let go of it, which no Java API shows.
 */
final class KernelSockets {
  private KernelSockets() {}

  /**
   * One socket: its ports, its TCP state, the bytes written to it but not yet acknowledged by the peer, and the kind
   * of timer the kernel runs for it ({@code 00} none, {@code 01} retransmit, {@code 02} keep-alive, …).
   */
  record Entry(int localPort, int remotePort, String state, long sendQueue, String timer) {}

  static boolean available() {
    return Files.isReadable(Path.of("/proc/net/tcp"));
  }

  /** Every socket whose local port is {@code localPort} and whose peer's port is {@code remotePort}. */
  static List<Entry> between(int localPort, int remotePort) {
    return all().stream().filter(e -> e.localPort() == localPort && e.remotePort() == remotePort).toList();
  }

  /** Every TCP socket of the machine, IPv4 and IPv6 (the JDK's dual-stack sockets show 127.0.0.1 in tcp6). */
  static List<Entry> all() {
    List<Entry> found = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.isReadable(path)) {
        continue;
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(path);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when ...", addresses and ports in hex.
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        found.add(new Entry(port(f[1]), port(f[2]), state(f[3]), Long.parseLong(f[4].split(":")[0], 16),
            f[5].split(":")[0]));
      }
    }
    return found;
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
  }

  /** The names of include/net/tcp_states.h. */
  private static String state(String hex) {
    String[] names = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
        "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};
    int i = Integer.parseInt(hex, 16);
    return i < names.length ? names[i] : hex;
  }
}
