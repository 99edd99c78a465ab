package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The routing core names no transport: none of its compiled classes refers to Jetty or to the router's transport,
 * HTTP or security packages, nor to Redis or the cluster bus built on it (the core knows other nodes only as
 * {@link Cluster}) (a class file names every type it uses in its constant pool). The Maven build also runs
 * the core's tests with no Jetty on the class path (execution {@code core-without-jetty}).
 */
class CoreIsolationTest {
  private static final List<String> FORBIDDEN = List.of("org/eclipse/jetty/", "dev/tollgate/router/internal/transport/",
      "dev/tollgate/router/internal/http/", "dev/tollgate/router/internal/security/", "java/net/Socket",
      "io/lettuce/", "io/netty/", "dev/tollgate/router/internal/cluster/");

  @Test
  void noCoreClassRefersToTheTransport() throws Exception {
    Path classes = Path.of(RouterCore.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("dev/tollgate/router/internal/core");
    List<String> offences = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> files = Files.list(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        checked++;
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String forbidden : FORBIDDEN) {
          if (text.contains(forbidden)) {
            offences.add(f.getFileName() + " refers to " + forbidden);
          }
        }
      }
    }
    assertTrue(checked > 10, "found the core's classes (" + checked + ")");
    assertEquals(List.of(), offences);
  }

  @Test
  void theCheckWouldSeeAJettyReference() throws Exception {
    // The transport's classes do name Jetty: the same reading finds it there, so the check above can fail.
    Path transport = Path.of(RouterCore.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("dev/tollgate/router/internal/transport/Transport.class");
    String text = new String(Files.readAllBytes(transport), StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("org/eclipse/jetty/"));
  }

  @Test
  void jettyIsAbsentWhenTheBuildSaysSo() {
    // Under the core-without-jetty execution, Jetty cannot be loaded; under the default one it can. Either way the
    // core's tests in this package pass, which is the point of running them twice.
    if (System.getProperty("surefire.test.class.path", "").contains("jetty-server")) {
      assertTrue(canLoad("org.eclipse.jetty.server.Server"));
    } else {
      assertThrows(ClassNotFoundException.class, () -> Class.forName("org.eclipse.jetty.server.Server"));
    }
  }

  private static boolean canLoad(String name) {
    try {
      Class.forName(name);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
