package dev.tollgate.client;

import dev.tollgate.protocol.Abort;
import dev.tollgate.protocol.Authenticate;
import dev.tollgate.protocol.Challenge;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.Interrupt;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.ProtocolViolationException;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.Unregister;
import dev.tollgate.protocol.Unregistered;
import dev.tollgate.protocol.Unsubscribe;
import dev.tollgate.protocol.Unsubscribed;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Welcome;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One WAMP session over one WebSocket (the JDK's client): HELLO to GOODBYE, requests and their answers. */
final class RealSession implements WebSocket.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(RealSession.class);
  /** What HELLO announces: what this client does with each role (see Invocations and OutgoingCalls). */
  private static final Map<String, Object> ROLES = Map.of(
      "publisher", Map.of("features", Map.of("publisher_exclusion", true, "publisher_identification", true,
          "subscriber_blackwhite_listing", true)),
      "subscriber", Map.of("features", Map.of("pattern_based_subscription", true, "publisher_identification", true)),
      "caller", Map.of("features", Map.of("call_canceling", true, "caller_identification", true,
          "call_timeout", true, "progressive_call_results", true, "progressive_call_invocations", true)),
      "callee", Map.of("features", Map.of("pattern_based_registration", true, "shared_registration", true,
          "call_canceling", true, "caller_identification", true, "progressive_call_results", true,
          "progressive_call_invocations", true)));

  private final ClientCore core;
  /** Drawn under sendLock only, so that requests leave in the order of their ids (see sendRequest). */
  private final Ids.Sequence requestIds = new Ids.Sequence();
  private final OutgoingCalls calls;
  private final Invocations invocations;
  /** Requests other than calls awaiting their answer, by request id; answered on the I/O thread. */
  private final Map<Long, CompletableFuture<WampMessage>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<SessionDetails> welcome = new CompletableFuture<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final Object sendLock = new Object();
  private CompletableFuture<WebSocket> sending;
  private volatile WebSocket ws;
  private volatile long sessionId;
  private volatile boolean ended;
  private volatile boolean goodbyeSent;
  /** WELCOME's {@code roles.broker.features} and {@code roles.dealer.features}: what this router offers. */
  private volatile Map<?, ?> brokerFeatures = Map.of();
  private volatile Map<?, ?> dealerFeatures = Map.of();

  RealSession(ClientCore core) {
    this.core = core;
    this.calls = new OutgoingCalls(this, core);
    this.invocations = new Invocations(this, core);
  }

  OutgoingCalls calls() {
    return calls;
  }

  boolean ended() {
    return ended;
  }

  /** Whether the router announced {@code feature} for its dealer role. */
  boolean dealerOffers(String feature) {
    return Boolean.TRUE.equals(dealerFeatures.get(feature));
  }

  /** Whether the router announced {@code feature} for its broker role. */
  boolean brokerOffers(String feature) {
    return Boolean.TRUE.equals(brokerFeatures.get(feature));
  }

  long sessionId() {
    return sessionId;
  }

  /**
   * Opens the WebSocket and says HELLO; completes with the session's details at WELCOME, fails with the cause
   * otherwise: a ticket supplier that threw, an unreachable router ({@link ConnectionLostException}), a refused upgrade
   * or an ABORT ({@link SessionRefusedException}), no WELCOME in time. Never throws.
   */
  CompletableFuture<SessionDetails> open() {
    WampClient.Builder c = core.config;
    URI uri = c.uri;
    if (c.urlTicket != null) {
      String ticket;
      try {
        ticket = Objects.requireNonNull(c.urlTicket.get(), "the ticket supplier returned null");
      } catch (RuntimeException e) {
        end(new ConnectionLostException("no ticket: " + e, e));
        return welcome;
      }
      uri = URI.create(uri + (uri.getRawQuery() == null ? "?" : "&") + "ticket="
          + URLEncoder.encode(ticket, StandardCharsets.UTF_8));
    }
    if (ended) {
      return welcome; // given up while the supplier was busy (close(), say): open nothing
    }
    // A new HTTP client per attempt, as the client always had: with one shared across attempts, an attempt at a
    // router's restart once waited its whole connect timeout (10 s) in CI, never seen with one per attempt. Suspected:
    // the shared client's pool kept the connection of a handshake the old router refused (503 while shutting down).
    // A client's threads go when it is unreachable.
    java.net.http.HttpClient.newBuilder().connectTimeout(c.connectTimeout).build().newWebSocketBuilder()
        .connectTimeout(c.connectTimeout).subprotocols(c.serializer.subprotocol())
        .buildAsync(uri, this)
        .whenComplete((socket, failure) -> {
          if (failure != null) {
            end(refusal(failure));
            return;
          }
          if (ended) {
            socket.abort(); // given up while the upgrade was under way: the new socket has no session to serve
            return;
          }
          synchronized (sendLock) {
            sending = CompletableFuture.completedFuture(socket);
          }
          Map<String, Object> details = new HashMap<>();
          details.put("roles", ROLES);
          if (c.ticket != null) {
            details.put("authmethods", List.of("ticket"));
            if (c.authid != null) {
              details.put("authid", c.authid);
            }
          }
          send(new Hello(c.realm, details));
        });
    core.schedule(() -> {
      if (!welcome.isDone()) {
        end(new ConnectionLostException("no WELCOME within " + c.connectTimeout.toSeconds() + " s"));
      }
    }, c.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    return welcome;
  }

  /**
   * Why the upgrade failed: the router's refusal, read from its answer (Tollgate answers a refused URL ticket with
   * {@code {"error": "wamp.error.authentication_failed", "message": "…"}}), or an unreachable router.
   */
  private Throwable refusal(Throwable failure) {
    Throwable cause = ClientCore.unwrap(failure);
    if (cause instanceof WebSocketHandshakeException refused && refused.getResponse() != null) {
      int status = refused.getResponse().statusCode();
      String reason = null;
      String message = null;
      if (refused.getResponse().body() instanceof String body && !body.isBlank()) {
        try {
          Map<?, ?> json = core.values.objectMapper.readValue(body, Map.class);
          reason = json.get("error") instanceof String e ? e : null;
          message = json.get("message") instanceof String m ? m : null;
        } catch (java.io.IOException | RuntimeException notJson) {
          message = body.strip();
        }
      }
      return new SessionRefusedException(reason, message, status);
    }
    return new ConnectionLostException("cannot connect to " + core.config.uri + ": " + rootMessage(failure), cause);
  }

  // --- requests ---------------------------------------------------------------------------------------------------

  /**
   * Sends a request under the next request id: {@code expect} learns the id before the request leaves (its answer may
   * come at once), and ids leave in the order they are drawn. The spec's request ids are a session-scope sequence, and
   * a router that takes progressive call invocations reads a CALL whose id is not above the highest seen as a piece of
   * an earlier call, and drops it when that call has ended: two threads that drew 5 and 6 must not send 6 first.
   * Returns a failed future, having told {@code expect} nothing, when there is no connection or the request cannot
   * be encoded.
   */
  CompletableFuture<WebSocket> sendRequest(LongFunction<WampMessage> make, LongConsumer expect) {
    synchronized (sendLock) {
      if (sending == null || ended) {
        return CompletableFuture.failedFuture(new ConnectionLostException(ended ? "the session ended" : "not connected"));
      }
      long id = requestIds.next();
      byte[] bytes;
      try {
        bytes = core.config.serializer.codec().encode(make.apply(id));
      } catch (RuntimeException cannotEncode) {
        return CompletableFuture.failedFuture(cannotEncode);
      }
      expect.accept(id);
      return enqueue(bytes);
    }
  }

  /**
   * Sends a request and maps its answer: {@code onAnswer} runs on the reading thread as the answer is read, before the
   * next message is, so that what must hold for the next message (a subscription's id, for an EVENT that follows
   * SUBSCRIBED at once, such as a retained one) holds.
   */
  private <T> CompletableFuture<T> request(LongFunction<WampMessage> make, Function<WampMessage, T> onAnswer) {
    CompletableFuture<WampMessage> answer = new CompletableFuture<>();
    CompletableFuture<T> result = answer.thenApply(onAnswer);
    long[] sent = new long[1];
    sendRequest(make, id -> {
      sent[0] = id;
      pending.put(id, answer);
    }).whenComplete((x, failure) -> {
      if (failure != null && (sent[0] == 0 || pending.remove(sent[0], answer))) {
        answer.completeExceptionally(failure);
      }
    });
    if (ended && sent[0] != 0 && pending.remove(sent[0], answer)) {
      answer.completeExceptionally(new ConnectionLostException("the session ended"));
    }
    return result;
  }

  CompletableFuture<Void> publish(String topic, List<Object> args, Map<String, Object> kwargs, Options.Publish options) {
    Map<String, Object> wire = options.toMap();
    if (!options.acknowledge()) {
      return sendRequest(id -> new Publish(id, wire, topic, Payload.of(args, kwargs)), id -> { }).thenApply(x -> null);
    }
    return request(id -> new Publish(id, wire, topic, Payload.of(args, kwargs)),
        answer -> expect(answer, Published.class, "PUBLISH")).thenApply(x -> null);
  }

  CompletableFuture<Void> subscribe(ClientCore.LocalSubscription sub) {
    return request(id -> new Subscribe(id, sub.options.toMap(), sub.topic), answer -> {
      sub.routerId = expect(answer, Subscribed.class, "SUBSCRIBE").subscriptionId();
      core.subscriptions.addIfAbsent(sub);
      return null;
    });
  }

  CompletableFuture<Void> unsubscribe(ClientCore.LocalSubscription sub) {
    for (ClientCore.LocalSubscription other : core.subscriptions) {
      if (other.routerId == sub.routerId) {
        return CompletableFuture.completedFuture(null); // the router's subscription still serves another handler
      }
    }
    return request(id -> new Unsubscribe(id, sub.routerId), a -> expect(a, Unsubscribed.class, "UNSUBSCRIBE"))
        .thenApply(x -> null);
  }

  CallFuture call(String procedure, List<Object> args, Map<String, Object> kwargs, Options.Call options) {
    return calls.start(procedure, args, kwargs, options, false, new CallFuture(options.cancelMode())).future;
  }

  CompletableFuture<Void> register(ClientCore.LocalRegistration reg) {
    return request(id -> new Register(id, reg.options.toMap(), reg.procedure), answer -> {
      reg.routerId = expect(answer, Registered.class, "REGISTER").registrationId();
      core.registrations.addIfAbsent(reg);
      return null;
    });
  }

  CompletableFuture<Void> unregister(ClientCore.LocalRegistration reg) {
    return request(id -> new Unregister(id, reg.routerId), a -> expect(a, Unregistered.class, "UNREGISTER"))
        .thenApply(x -> null);
  }

  /** The answer if it is the expected one; an ERROR becomes {@link ApplicationException}. */
  private static <T extends WampMessage> T expect(WampMessage answer, Class<T> type, String request) {
    if (answer instanceof ErrorMessage e) {
      throw new ApplicationException(e.error(), e.payload().args(), e.payload().kwargs());
    }
    if (!type.isInstance(answer)) {
      throw new IllegalStateException(request + ": expected " + type.getSimpleName() + " but was " + answer);
    }
    return type.cast(answer);
  }

  /**
   * Ends the session at the client's wish: GOODBYE, then the end when the router answers, or after
   * {@link ClientCore#GOODBYE_WAIT}; a session not yet joined is dropped at once (GOODBYE is for joined ones).
   */
  void goodbye() {
    if (!welcome.isDone() || welcome.isCompletedExceptionally()) {
      end(new ConnectionLostException("the client closed"));
      return;
    }
    goodbyeSent = true;
    try {
      send(new Goodbye(Map.of(), "wamp.close.normal"));
    } catch (RuntimeException e) {
      end(new ConnectionLostException("the client closed"));
      return;
    }
    core.schedule(() -> end(new ConnectionLostException("the client closed")), ClientCore.GOODBYE_WAIT.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The client gave this session up (a failed attempt): ends it, if it has not ended. */
  void abandon(Throwable cause) {
    end(cause);
  }

  // --- wire -------------------------------------------------------------------------------------------------------

  /**
   * Sends one message after the ones before it (the JDK's WebSocket takes one send at a time). Throws if the message
   * cannot be encoded, so that the sender can answer otherwise.
   */
  CompletableFuture<WebSocket> send(WampMessage message) {
    byte[] bytes = core.config.serializer.codec().encode(message);
    synchronized (sendLock) {
      if (sending == null) {
        return CompletableFuture.failedFuture(new ConnectionLostException("not connected"));
      }
      return enqueue(bytes);
    }
  }

  /** Under sendLock. */
  private CompletableFuture<WebSocket> enqueue(byte[] bytes) {
    sending = sending.thenCompose(socket -> core.config.serializer.binary()
        ? socket.sendBinary(ByteBuffer.wrap(bytes), true)
        : socket.sendText(new String(bytes, StandardCharsets.UTF_8), true));
    return sending;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    this.ws = webSocket;
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    return onData(webSocket, ByteBuffer.wrap(data.toString().getBytes(StandardCharsets.UTF_8)), last);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    return onData(webSocket, data, last);
  }

  private CompletionStage<?> onData(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    partial.write(chunk, 0, chunk.length);
    if (last) {
      byte[] whole = partial.toByteArray();
      partial.reset();
      try {
        handle(core.config.serializer.codec().decode(ByteBuffer.wrap(whole)));
      } catch (ProtocolViolationException e) {
        LOG.warn("the router sent a malformed message: {}", e.getMessage());
        send(new Abort(Map.of("message", e.getMessage()), "wamp.error.protocol_violation"));
        webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "");
      }
    }
    webSocket.request(1);
    return null;
  }

  private void handle(WampMessage m) {
    if (m instanceof Welcome w) {
      sessionId = w.session();
      brokerFeatures = features(w.details(), "broker");
      dealerFeatures = features(w.details(), "dealer");
      welcome.complete(SessionDetails.of(w.session(), core.config.realm, w.details()));
    } else if (m instanceof Challenge c) {
      answer(c);
    } else if (m instanceof Abort a) {
      end(new SessionRefusedException(a.reason(), a.details().get("message") instanceof String text ? text : null, 0));
    } else if (m instanceof Goodbye g) {
      if (!goodbyeSent) {
        send(new Goodbye(Map.of(), "wamp.close.goodbye_and_out"));
      }
      end(new ConnectionLostException("the router closed the session: " + g.reason()));
    } else if (m instanceof Event e) {
      deliver(e);
    } else if (m instanceof Invocation i) {
      invocations.invoke(i);
    } else if (m instanceof Interrupt interrupt) {
      invocations.interrupt(interrupt.requestId());
    } else if (m instanceof Result r) {
      calls.result(r);
    } else if (m instanceof ErrorMessage e && e.requestType() == MessageCodes.CALL) {
      calls.error(e);
    } else {
      long id = requestIdOf(m);
      CompletableFuture<WampMessage> answer = id < 0 ? null : pending.remove(id);
      if (answer != null) {
        answer.complete(m);
      }
    }
  }

  /** CHALLENGE: the ticket supplier's answer; a supplier that throws ends the attempt with its failure. */
  private void answer(Challenge c) {
    if (!"ticket".equals(c.authMethod()) || core.config.ticket == null) {
      send(new Abort(Map.of("message", "cannot answer a " + c.authMethod() + " challenge"), "wamp.error.no_auth_method"));
      end(new SessionRefusedException("wamp.error.no_auth_method", "the router asked for " + c.authMethod(), 0));
      return;
    }
    String ticket;
    try {
      ticket = Objects.requireNonNull(core.config.ticket.get(), "the ticket supplier returned null");
    } catch (RuntimeException e) {
      send(new Abort(Map.of("message", "no ticket"), "wamp.error.authentication_failed"));
      end(new ConnectionLostException("no ticket: " + e, e));
      return;
    }
    send(new Authenticate(ticket, Map.of()));
  }

  private static Map<?, ?> features(Map<String, Object> welcomeDetails, String role) {
    if (welcomeDetails.get("roles") instanceof Map<?, ?> roles && roles.get(role) instanceof Map<?, ?> r
        && r.get("features") instanceof Map<?, ?> features) {
      return features;
    }
    return Map.of();
  }

  private static long requestIdOf(WampMessage m) {
    if (m instanceof ErrorMessage e) {
      return e.requestId();
    } else if (m instanceof Published p) {
      return p.requestId();
    } else if (m instanceof Subscribed s) {
      return s.requestId();
    } else if (m instanceof Unsubscribed u) {
      return u.requestId();
    } else if (m instanceof Registered r) {
      return r.requestId();
    } else if (m instanceof Unregistered u) {
      return u.requestId();
    }
    return -1;
  }

  private void deliver(Event e) {
    Values event = new Values(e.payload().args(), e.payload().kwargs(), e.details(), core.values);
    for (ClientCore.LocalSubscription sub : core.subscriptions) {
      if (sub.routerId == e.subscriptionId()) {
        sub.order.execute(() -> {
          try {
            sub.handler.onEvent(event);
          } catch (Exception failure) {
            LOG.warn("event handler of {} failed", sub.topic, failure);
          }
        });
      }
    }
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    end(new ConnectionLostException("the connection closed (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")"));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    end(new ConnectionLostException("the connection failed: " + rootMessage(error)));
  }

  /** Ends this session once: every request in flight fails, the transport closes, the client is told. */
  private void end(Throwable cause) {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    welcome.completeExceptionally(cause);
    ConnectionLostException lost = cause instanceof ConnectionLostException c ? c
        : new ConnectionLostException(cause.getMessage());
    for (Long id : List.copyOf(pending.keySet())) {
      CompletableFuture<WampMessage> answer = pending.remove(id);
      if (answer != null) {
        answer.completeExceptionally(lost);
      }
    }
    calls.endAll(lost);
    invocations.endAll();
    WebSocket socket = ws;
    if (socket != null && !socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).whenComplete((x, e) -> socket.abort());
    }
    core.sessionLost(this, cause);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
