package dev.tollgate.router;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Another process holding Tollgate's H2 file the way an H2 console or shell does: opened without AUTO_SERVER, so
 * that nobody else may open it. Prints {@code holding} once it does, and lets go when its stdin closes.
 */
final class HoldDatabase {
  private HoldDatabase() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
      System.out.println("holding");
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the test closes our stdin
      }
    }
  }
}
