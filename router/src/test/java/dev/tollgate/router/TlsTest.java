package dev.tollgate.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.WampMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wss://} on Tollgate's own listener, with a certificate and key that openssl makes as PEM files, a client that
 * checks the certificate (the JDK's WebSocket, trusting that certificate alone), and a renewed certificate picked up
 * without a restart.
 */
class TlsTest {

  /** A self-signed certificate for localhost and 127.0.0.1, and its PKCS#8 key, as PEM files. */
  private static void makeCertificate(Path dir, String name) throws Exception {
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl (Debian's openssl package): " + out);
  }

  private static X509Certificate certificate(Path file) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }

  private static SSLContext trusting(X509Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("tollgate", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  /** The certificate the listener serves now, read from a plain TLS handshake. */
  private static String servedSubject(int port, SSLContext ssl) throws Exception {
    try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }

  /** A WAMP v2 JSON client over the JDK's WebSocket with the given TLS trust. */
  private static final class WssClient implements WebSocket.Listener {
    final BlockingQueue<WampMessage> received = new LinkedBlockingQueue<>();
    final StringBuilder partial = new StringBuilder();
    final WebSocket ws;

    WssClient(URI uri, SSLContext ssl) {
      ws = HttpClient.newBuilder().sslContext(ssl).build().newWebSocketBuilder()
          .subprotocols(Serializer.JSON.subprotocol()).buildAsync(uri, this).join();
    }

    void send(WampMessage m) {
      ws.sendText(new String(Serializer.JSON.codec().encode(m), StandardCharsets.UTF_8), true).join();
    }

    <T extends WampMessage> T expect(Class<T> type) throws InterruptedException {
      WampMessage m = received.poll(5, TimeUnit.SECONDS);
      assertTrue(type.isInstance(m), "expected " + type.getSimpleName() + " but was " + m);
      return type.cast(m);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(Serializer.JSON.codec().decode(ByteBuffer.wrap(partial.toString().getBytes(StandardCharsets.UTF_8))));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }

  @Test
  void wssCarriesWampWithACertificateTheClientChecksAndARenewedOneIsPickedUp(@TempDir Path dir) throws Exception {
    makeCertificate(dir, "tollgate-one");
    X509Certificate first = certificate(dir.resolve("cert.pem"));
    try (Router router = TestRouters.start(Map.of("tls.certificate", dir.resolve("cert.pem").toString(),
        "tls.key", dir.resolve("key.pem").toString(), "tls.reload-interval", "200ms", "server.path", "/ws"))) {
      assertEquals("wss", router.uri().getScheme());
      WssClient subscriber = new WssClient(router.uri(), trusting(first));
      WssClient publisher = new WssClient(router.uri(), trusting(first));
      subscriber.send(new dev.tollgate.protocol.Hello("realm1", Map.of("roles", TestClient.ROLES)));
      subscriber.expect(dev.tollgate.protocol.Welcome.class);
      publisher.send(new dev.tollgate.protocol.Hello("realm1", Map.of("roles", TestClient.ROLES)));
      publisher.expect(dev.tollgate.protocol.Welcome.class);
      subscriber.send(new Subscribe(1, Map.of(), "com.example.tls"));
      subscriber.expect(Subscribed.class);
      for (int i = 0; i < 200; i++) { // many writes in a row, Tollgate's and the TLS layer's one at a time
        publisher.send(new Publish(i + 1, Map.of("acknowledge", true), "com.example.tls", Payload.of(List.of(i))));
      }
      for (int i = 0; i < 200; i++) {
        assertEquals(List.of(i), subscriber.expect(Event.class).payload().args());
        publisher.expect(Published.class);
      }
      String health = new String(HttpClient.newBuilder().sslContext(trusting(first)).build().send(
          java.net.http.HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + router.port() + "/health")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body(), StandardCharsets.UTF_8);
      assertEquals("{\"status\":\"up\"}\n", health, "the HTTP endpoints speak https too");

      // a client that does not trust the certificate is refused by its own check
      assertThrows(java.util.concurrent.CompletionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(router.uri(), new WebSocket.Listener() { }).join());
      // a plain ws:// client gets no WebSocket
      assertThrows(java.util.concurrent.CompletionException.class, () -> HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + router.port() + "/ws"), new WebSocket.Listener() { }).join());

      makeCertificate(dir, "tollgate-two");
      X509Certificate second = certificate(dir.resolve("cert.pem"));
      SSLContext trustsBoth = trustingBoth(first, second);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!servedSubject(router.port(), trustsBoth).contains("tollgate-two") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(servedSubject(router.port(), trustsBoth).contains("tollgate-two"), "the renewed certificate");
      subscriber.send(new Subscribe(2, Map.of(), "com.example.still"));
      subscriber.expect(Subscribed.class); // the open connection keeps its session
      subscriber.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
      publisher.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }
  }

  private static SSLContext trustingBoth(X509Certificate a, X509Certificate b) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("a", a);
    trust.setCertificateEntry("b", b);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  @Test
  void anOldStyleKeyIsRefusedWithTheCommandThatConvertsIt(@TempDir Path dir) throws Exception {
    makeCertificate(dir, "x");
    Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Router.start(TestRouters.config(
        Map.of("tls.certificate", dir.resolve("cert.pem").toString(), "tls.key", dir.resolve("rsa.pem").toString()))));
    assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
    assertEquals("tls.certificate and tls.key go together: give both or neither",
        assertThrows(IllegalArgumentException.class, () -> Router.start(TestRouters.config(
            Map.of("tls.certificate", dir.resolve("cert.pem").toString())))).getMessage());
  }

  /**
   * A key that is not the certificate's (a renewal caught half-written, or two files from different renewals) is
   * refused at start, and a reload meeting it keeps the pair in use: served, it would fail every handshake.
   */
  @Test
  void aKeyThatDoesNotGoWithTheCertificateIsRefused(@TempDir Path dir) throws Exception {
    Path one = Files.createDirectories(dir.resolve("one"));
    Path two = Files.createDirectories(dir.resolve("two"));
    makeCertificate(one, "one");
    makeCertificate(two, "two");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Router.start(TestRouters.config(
        Map.of("tls.certificate", one.resolve("cert.pem").toString(), "tls.key", two.resolve("key.pem").toString()))));
    assertTrue(e.getMessage().contains("does not go with the certificate"), e.getMessage());
  }
}
