package dev.tollgate.client;

import dev.tollgate.protocol.Abort;
import dev.tollgate.protocol.Authenticate;
import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.Challenge;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Ids;
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
import dev.tollgate.protocol.Yield;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One WAMP session over one WebSocket (the JDK's client): HELLO to GOODBYE, requests and their answers. */
final class RealSession implements WebSocket.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(RealSession.class);
  private static final Map<String, Object> ROLES = Map.of(
      "publisher", Map.of("features", Map.of("publisher_exclusion", true)),
      "subscriber", Map.of("features", Map.of("pattern_based_subscription", true)),
      "caller", Map.of("features", Map.of("call_canceling", true, "caller_identification", true)),
      "callee", Map.of("features", Map.of("pattern_based_registration", true, "shared_registration", true,
          "call_canceling", true)));

  private final ClientCore core;
  private final Ids.Sequence requestIds = new Ids.Sequence();
  /** Invocations whose handler is running asynchronously, by invocation id: what an INTERRUPT cancels. */
  private final Map<Long, CompletableFuture<?>> inProgress = new java.util.concurrent.ConcurrentHashMap<>();
  /** Invocations interrupted before their handler started. */
  private final java.util.Set<Long> interrupted = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Requests awaiting their answer, by request id; answered on the I/O thread. */
  private final Map<Long, CompletableFuture<WampMessage>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<Welcome> welcome = new CompletableFuture<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final Object sendLock = new Object();
  private CompletableFuture<WebSocket> sending;
  private volatile WebSocket ws;
  private volatile long sessionId;
  private volatile boolean ended;
  private volatile boolean goodbyeSent;

  RealSession(ClientCore core) {
    this.core = core;
  }

  long sessionId() {
    return sessionId;
  }

  CompletableFuture<Welcome> open() {
    WampClient.Builder c = core.config;
    URI uri = c.uri;
    if (c.urlTicket != null) {
      String ticket = URLEncoder.encode(c.urlTicket.get(), StandardCharsets.UTF_8);
      uri = URI.create(uri + (uri.getRawQuery() == null ? "?" : "&") + "ticket=" + ticket);
    }
    HttpClient.newBuilder().connectTimeout(c.connectTimeout).build().newWebSocketBuilder()
        .connectTimeout(c.connectTimeout).subprotocols(c.serializer.subprotocol())
        .buildAsync(uri, this)
        .whenComplete((socket, failure) -> {
          if (failure != null) {
            end(new ConnectionLostException("cannot connect to " + c.uri + ": " + rootMessage(failure)));
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
    core.timer.schedule(() -> {
      if (!welcome.isDone()) {
        end(new ConnectionLostException("no WELCOME within " + c.connectTimeout.toSeconds() + " s"));
      }
    }, c.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
    return welcome;
  }

  // --- requests ---------------------------------------------------------------------------------------------------

  private CompletableFuture<WampMessage> request(long id, WampMessage message) {
    CompletableFuture<WampMessage> answer = new CompletableFuture<>();
    start(id, message, answer);
    return answer;
  }

  /**
   * Sends a request; {@code onAnswer} runs on the reading thread as the answer is read, before the next message is:
   * it is attached before the request leaves, so that what must hold for the next message (a subscription's id, for
   * an EVENT that follows SUBSCRIBED at once, such as a retained one) holds.
   */
  private <T> CompletableFuture<T> request(long id, WampMessage message,
      java.util.function.Function<WampMessage, T> onAnswer) {
    CompletableFuture<WampMessage> answer = new CompletableFuture<>();
    CompletableFuture<T> result = answer.thenApply(onAnswer);
    start(id, message, answer);
    return result;
  }

  private void start(long id, WampMessage message, CompletableFuture<WampMessage> answer) {
    pending.put(id, answer);
    if (ended) {
      pending.remove(id);
      answer.completeExceptionally(new ConnectionLostException("the session ended"));
      return;
    }
    send(message);
  }

  CompletableFuture<Void> publish(String topic, List<Object> args, Map<String, Object> kwargs, Options.Publish options) {
    long id = requestIds.next();
    Publish publish = new Publish(id, options.toMap(), topic, Payload.of(args, kwargs));
    if (!options.acknowledge()) {
      return send(publish).thenApply(x -> null);
    }
    return request(id, publish).thenApply(answer -> expect(answer, Published.class, "PUBLISH")).thenApply(x -> null);
  }

  CompletableFuture<Void> subscribe(ClientCore.LocalSubscription sub) {
    long id = requestIds.next();
    return request(id, new Subscribe(id, sub.options.toMap(), sub.topic), answer -> {
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
    long id = requestIds.next();
    return request(id, new Unsubscribe(id, sub.routerId)).thenAccept(a -> expect(a, Unsubscribed.class, "UNSUBSCRIBE"));
  }

  CompletableFuture<Values> call(String procedure, List<Object> args, Map<String, Object> kwargs, Options.Call options) {
    long id = requestIds.next();
    CompletableFuture<WampMessage> answer = request(id, new Call(id, options.toMap(), procedure, Payload.of(args, kwargs)));
    if (options.timeout() != null) {
      core.timer.schedule(() -> {
        if (pending.remove(id, answer)) {
          answer.completeExceptionally(new ApplicationException("wamp.error.timeout",
              List.of("no result within " + options.timeout().toMillis() + " ms"), Map.of()));
          send(new Cancel(id, Map.of("mode", "killnowait")));
        }
      }, options.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    return answer.thenApply(a -> {
      Result r = expect(a, Result.class, "CALL");
      return new Values(r.payload().args(), r.payload().kwargs(), r.details());
    });
  }

  CompletableFuture<Void> register(ClientCore.LocalRegistration reg) {
    long id = requestIds.next();
    return request(id, new Register(id, reg.options.toMap(), reg.procedure), answer -> {
      reg.routerId = expect(answer, Registered.class, "REGISTER").registrationId();
      core.registrations.addIfAbsent(reg);
      return null;
    });
  }

  CompletableFuture<Void> unregister(ClientCore.LocalRegistration reg) {
    long id = requestIds.next();
    return request(id, new Unregister(id, reg.routerId)).thenAccept(a -> expect(a, Unregistered.class, "UNREGISTER"));
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

  void goodbye() {
    goodbyeSent = true;
    send(new Goodbye(Map.of(), "wamp.close.normal"));
    core.timer.schedule(() -> end(new ConnectionLostException("the client closed")), 2, TimeUnit.SECONDS);
  }

  // --- wire -------------------------------------------------------------------------------------------------------

  /** Sends one message after the ones before it (the JDK's WebSocket takes one send at a time). */
  private CompletableFuture<WebSocket> send(WampMessage message) {
    byte[] bytes = core.config.serializer.codec().encode(message);
    synchronized (sendLock) {
      if (sending == null) {
        return CompletableFuture.failedFuture(new ConnectionLostException("not connected"));
      }
      sending = sending.thenCompose(socket -> core.config.serializer.binary()
          ? socket.sendBinary(ByteBuffer.wrap(bytes), true)
          : socket.sendText(new String(bytes, StandardCharsets.UTF_8), true));
      return sending;
    }
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
      core.joined(w.session(), w.details());
      welcome.complete(w);
    } else if (m instanceof Challenge c) {
      if (!"ticket".equals(c.authMethod()) || core.config.ticket == null) {
        send(new Abort(Map.of("message", "cannot answer a " + c.authMethod() + " challenge"), "wamp.error.no_auth_method"));
        return;
      }
      send(new Authenticate(core.config.ticket.get(), Map.of()));
    } else if (m instanceof Abort a) {
      end(new ApplicationException(a.reason(), List.of(String.valueOf(a.details().getOrDefault("message", a.reason()))), Map.of()));
    } else if (m instanceof Goodbye g) {
      if (!goodbyeSent) {
        send(new Goodbye(Map.of(), "wamp.close.goodbye_and_out"));
      }
      end(new ConnectionLostException("the router closed the session: " + g.reason()));
    } else if (m instanceof Event e) {
      deliver(e);
    } else if (m instanceof Invocation i) {
      invoke(i);
    } else if (m instanceof dev.tollgate.protocol.Interrupt interrupt) {
      interrupt(interrupt.requestId());
    } else {
      long id = requestIdOf(m);
      CompletableFuture<WampMessage> answer = id < 0 ? null : pending.remove(id);
      if (answer != null) {
        answer.complete(m);
      }
    }
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
    } else if (m instanceof Result r) {
      return r.requestId();
    } else if (m instanceof Registered r) {
      return r.requestId();
    } else if (m instanceof Unregistered u) {
      return u.requestId();
    }
    return -1;
  }

  private void deliver(Event e) {
    Values event = new Values(e.payload().args(), e.payload().kwargs(), e.details());
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

  private void invoke(Invocation i) {
    ClientCore.LocalRegistration reg = null;
    for (ClientCore.LocalRegistration r : core.registrations) {
      if (r.routerId == i.registrationId()) {
        reg = r;
      }
    }
    if (reg == null) {
      send(new ErrorMessage(MessageCodes.INVOCATION, i.requestId(), Map.of(), "wamp.error.no_such_registration", Payload.EMPTY));
      return;
    }
    Handlers.InvocationHandler handler = reg.handler;
    ClientCore.LocalRegistration registration = reg;
    Values call = new Values(i.payload().args(), i.payload().kwargs(), i.details());
    core.config.executor.execute(() -> {
      CompletableFuture<Object> result;
      try {
        Object value = handler.onInvocation(call);
        if (value instanceof CompletionStage<?> stage) {
          CompletableFuture<?> running = stage.toCompletableFuture();
          // An INTERRUPT cancels the handler's own future, so that the handler can stop (see interrupt()).
          inProgress.put(i.requestId(), running);
          if (interrupted.remove(i.requestId())) {
            running.cancel(true);
          }
          result = running.thenApply(v -> (Object) v);
        } else {
          result = CompletableFuture.completedFuture(value);
        }
      } catch (Exception e) {
        result = CompletableFuture.failedFuture(e);
      }
      result.whenComplete((value, failure) -> {
        inProgress.remove(i.requestId());
        WampMessage reply = answer(i.requestId(), value, failure);
        try {
          core.config.serializer.codec().encode(reply);
        } catch (RuntimeException cannotEncode) {
          // The caller must get an answer, never silence: a result WAMP cannot carry is the handler's error.
          LOG.warn("the result of {} cannot be sent: {}", registration.procedure, cannotEncode.getMessage());
          reply = new ErrorMessage(MessageCodes.INVOCATION, i.requestId(), Map.of(), "wamp.error.runtime_error",
              Payload.of(List.of("the result cannot be encoded: " + cannotEncode.getMessage())));
        }
        send(reply);
      });
    });
  }

  /**
   * INTERRUPT: the router canceled the call (its caller canceled it, left, or timed out). A handler still running
   * asynchronously has its future canceled; the call is answered {@code wamp.error.canceled} (the router drops the
   * answer unless the mode was {@code kill}). One that has not started yet is canceled as it starts.
   */
  private void interrupt(long invocation) {
    CompletableFuture<?> running = inProgress.remove(invocation);
    if (running != null) {
      running.cancel(true);
    } else {
      interrupted.add(invocation);
    }
  }

  private static WampMessage answer(long invocation, Object value, Throwable failure) {
    if (failure != null) {
      Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof java.util.concurrent.CancellationException) {
        return new ErrorMessage(MessageCodes.INVOCATION, invocation, Map.of(), "wamp.error.canceled",
            Payload.of(List.of("interrupted")));
      }
      if (cause instanceof ApplicationException a) {
        return new ErrorMessage(MessageCodes.INVOCATION, invocation, Map.of(), a.uri(), Payload.of(a.args(), a.kwargs()));
      }
      return new ErrorMessage(MessageCodes.INVOCATION, invocation, Map.of(), "wamp.error.runtime_error",
          Payload.of(List.of(String.valueOf(cause.getMessage()))));
    }
    if (value instanceof Values v) {
      return new Yield(invocation, Map.of(), Payload.of(v.args(), v.kwargs()));
    }
    return new Yield(invocation, Map.of(), value == null ? Payload.EMPTY : Payload.of(java.util.Collections.singletonList(value)));
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
    for (Long id : List.copyOf(pending.keySet())) {
      CompletableFuture<WampMessage> answer = pending.remove(id);
      if (answer != null) {
        answer.completeExceptionally(cause instanceof ConnectionLostException ? cause : new ConnectionLostException(cause.getMessage()));
      }
    }
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
