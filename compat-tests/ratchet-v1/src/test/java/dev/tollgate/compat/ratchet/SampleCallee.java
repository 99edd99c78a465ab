package dev.tollgate.compat.ratchet;

import dev.tollgate.compat.ratchet.recording.RecordedApplication;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Welcome;
import dev.tollgate.protocol.Yield;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The recorded server application's procedures, provided to Tollgate by a WAMP v2 callee session (JSON) in the v1
 * realm, answering exactly as the PHP test handler behind Ratchet did (its {@code server_application}, computed by
 * {@link RecordedApplication}):
 *
 * <ul>
 *   <li>{@code sample/sum}: {@code {"result": array_sum(params)}};
 *   <li>{@code sample/echo}: {@code params[0]} when params is a one-element list, else params; a non-array result
 *       wrapped in a one-element list (Gos RpcDispatcher);
 *   <li>{@code sample/fail}: error {@code sample/fail}, "Intentional failure", details
 *       {@code {"code": 42, "rpc": {}, "params": params}};
 *   <li>{@code sample/fail-nodetails}: error {@code http://example.com/error#generic}, "Failure without details".
 * </ul>
 *
 * <p>"params" is what Ratchet hands a handler: the call's arguments, except that a single array argument (a list or
 * an object) is spread into them. Tollgate passes the v1 arguments on untouched, so the callee spreads them here.
 * {@code sample/throw} (a handler that throws and never answers) is not provided: no recording calls it.
 *
 * <p>Lifecycle: {@link #start} joins and registers, then one thread answers every INVOCATION as it arrives, until
 * {@link #close}. Whatever goes wrong on that thread is kept for {@link #problems()}.
 */
final class SampleCallee implements AutoCloseable {
  static final List<String> PROCEDURES = RecordedApplication.PROCEDURES;

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final RawWebSocket ws;
  private final Map<Long, String> procedureByRegistration = new HashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private volatile boolean closing;

  private SampleCallee(RawWebSocket ws) {
    this.ws = ws;
  }

  /** Joins {@code realm} at {@code endpoint} over {@code wamp.2.json} and registers {@link #PROCEDURES}. */
  static SampleCallee start(URI endpoint, String realm) throws IOException {
    String key = RawWebSocket.newKey();
    RawWebSocket ws = RawWebSocket.open(endpoint.getHost(), endpoint.getPort(),
        RawWebSocket.upgradeRequest(endpoint.getHost() + ":" + endpoint.getPort(), endpoint.getRawPath(), key,
            List.of(Serializer.JSON.subprotocol())), WAIT);
    if (ws.head().status() != 101) {
      ws.close();
      throw new IOException("the callee's upgrade got " + ws.head().status() + ": " + ws.head().text());
    }
    SampleCallee callee = new SampleCallee(ws);
    try {
      callee.send(new Hello(realm, Map.of("roles", Map.of("callee", Map.of()))));
      callee.receive(Welcome.class);
      long request = 1;
      for (String procedure : PROCEDURES) {
        callee.send(new Register(request, Map.of(), procedure));
        Registered registered = callee.receive(Registered.class);
        if (registered.requestId() != request) {
          throw new IOException("REGISTERED for request " + registered.requestId() + ", expected " + request);
        }
        callee.procedureByRegistration.put(registered.registrationId(), procedure);
        request++;
      }
    } catch (IOException | RuntimeException e) {
      ws.close();
      throw e;
    }
    Thread answering = new Thread(callee::answerInvocations, "sample-callee");
    answering.setDaemon(true);
    answering.start();
    return callee;
  }

  /** What went wrong while answering; empty when every INVOCATION got its answer. */
  List<String> problems() {
    return List.copyOf(problems);
  }

  @Override
  public void close() {
    closing = true;
    ws.close();
  }

  private void answerInvocations() {
    while (!closing) {
      RawWebSocket.Inbound in = ws.next(Duration.ofMillis(200));
      if (in == null) {
        continue;
      }
      if (in.type() == RawWebSocket.Type.END) {
        if (!closing) {
          problems.add("the router closed the callee's connection");
        }
        return;
      }
      try {
        WampMessage message = decode(in);
        if (message instanceof Invocation invocation) {
          send(answer(invocation));
        } else {
          problems.add("the callee got " + message.toList() + " where only INVOCATIONs were expected");
        }
      } catch (RuntimeException | IOException e) {
        problems.add("the callee could not answer " + in.describe() + ": " + e);
      }
    }
  }

  private WampMessage answer(Invocation invocation) {
    String procedure = procedureByRegistration.get(invocation.registrationId());
    Object params = RecordedApplication.params(invocation.payload().argsOrEmpty());
    long id = invocation.requestId();
    if (procedure == null) {
      return new ErrorMessage(Invocation.CODE, id, Map.of(), "wamp.error.no_such_registration",
          Payload.of(List.of("no procedure is registered as " + invocation.registrationId())));
    }
    return switch (procedure) {
      case "sample/sum" -> new Yield(id, Map.of(), Payload.of(List.of(Map.of("result",
          RecordedApplication.arraySum(RecordedApplication.values(params))))));
      case "sample/echo" ->
          new Yield(id, Map.of(), Payload.of(Collections.singletonList(RecordedApplication.echo(params))));
      case "sample/fail" -> {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("code", 42);
        details.put("rpc", Map.of()); // Ratchet's Topic object json_encodes as {}
        details.put("params", params);
        yield new ErrorMessage(Invocation.CODE, id, Map.of(), "sample/fail",
            Payload.of(List.of("Intentional failure"), details));
      }
      case "sample/fail-nodetails" -> new ErrorMessage(Invocation.CODE, id, Map.of(),
          "http://example.com/error#generic", Payload.of(List.of("Failure without details")));
      default -> throw new IllegalStateException("no answer written for " + procedure);
    };
  }

  private void send(WampMessage message) throws IOException {
    ws.sendText(Serializer.JSON.codec().encode(message), 1);
  }

  private <T extends WampMessage> T receive(Class<T> type) throws IOException {
    RawWebSocket.Inbound in = ws.next(WAIT);
    if (in == null) {
      throw new IOException("the callee expected " + type.getSimpleName() + " but nothing arrived within " + WAIT);
    }
    WampMessage message = decode(in);
    if (!type.isInstance(message)) {
      throw new IOException("the callee expected " + type.getSimpleName() + " but got " + message.toList());
    }
    return type.cast(message);
  }

  private static WampMessage decode(RawWebSocket.Inbound in) {
    if (in.type() != RawWebSocket.Type.TEXT) {
      throw new IllegalStateException("expected a text frame but got " + in.describe());
    }
    return Serializer.JSON.codec().decode(ByteBuffer.wrap(in.payload()));
  }
}
