package dev.tollgate.router.internal.transport;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.ProtocolViolationException;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.Unsubscribe;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Welcome;
import dev.tollgate.protocol.v1.V1Codec;
import dev.tollgate.protocol.v1.V1Message;
import dev.tollgate.router.internal.core.Identity;
import dev.tollgate.router.internal.core.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WAMP v1 connection (AutobahnJS 0.8, Ratchet, GosWebSocketBundle, OroSyncBundle): it translates v1 into the v2
 * messages of an ordinary session, and the session's replies back, so v1 and v2 peers share one broker
 * and one dealer. v1 has no HELLO: the session joins {@code v1.realm} at once, as the ticket in the URL (or none)
 * allows, and WELCOME {@code [0, "<session id>", 1, "<v1.server-ident>"]} leaves with the 101 response.
 *
 * <p>The mapping: PUBLISH {@code [7, topic, event, …]} is a v2 publication with {@code args = [event]}; an EVENT
 * carries {@link WireFormat#v1Value}; CALL {@code [2, id, proc, a, b]} is a v2 CALL with {@code args = [a, b]} and
 * its RESULT becomes CALLRESULT with the same value rule; a callee's ERROR becomes CALLERROR
 * {@code [4, id, errorUri, args[0] or errorUri, kwargs or args[1]]}; no callee gives Gos's CALLERROR shape. A
 * forbidden SUBSCRIBE gets Oro's plain-text refusal; a forbidden PUBLISH is dropped. Bad input closes with 1007.
 */
final class WampV1Connection extends WebSocketConnection {
  private static final Logger LOG = LoggerFactory.getLogger(WampV1Connection.class);

  private record PendingCall(Object callId, String procUri, List<Object> args) {}

  private final AtomicLong requestIds = new AtomicLong();
  /** CURIE prefixes this client declared; only the inbound thread touches it. */
  private final Map<String, String> prefixes = new HashMap<>();
  private final Map<String, Long> subscriptionByTopic = new ConcurrentHashMap<>();
  private final Map<Long, String> subscribing = new ConcurrentHashMap<>();
  private final Map<Long, PendingCall> calls = new ConcurrentHashMap<>();

  WampV1Connection(Transport transport, Identity urlIdentity, Wire endPoint) {
    super(transport, WireFormat.V1, urlIdentity, endPoint);
  }

  @Override
  protected void opened() {
    // the 101 response, held by the negotiator, leaves in the same write as the WELCOME
    endPoint.releaseWithNextWrite();
    Identity who = urlIdentity != null ? urlIdentity : Identity.anonymous(config);
    session.joinWithoutHello(config.get("v1.realm"), who);
  }

  @Override
  protected CompletableFuture<?> onMessage(ByteBuffer bytes, boolean binaryFrame) {
    V1Message message;
    try {
      message = V1Codec.decode(bytes);
    } catch (ProtocolViolationException e) {
      transport.core().counters().protocolViolations.increment();
      LOG.debug("WAMP v1 protocol violation by {}: {}", remote(), e.getMessage());
      close(CloseStatus.BAD_PAYLOAD, e.getMessage());
      return null;
    }
    if (message instanceof V1Message.Prefix p) {
      if (p.prefix() != null && p.uri() != null) {
        prefixes.put(p.prefix(), p.uri());
      }
    } else if (message instanceof V1Message.Subscribe s) {
      String topic = resolve(s.topic());
      if (topic != null) {
        long request = requestIds.incrementAndGet();
        subscribing.put(request, topic);
        session.onMessage(new Subscribe(request, Map.of(), topic));
      }
    } else if (message instanceof V1Message.Unsubscribe u) {
      String topic = resolve(u.topic());
      Long subscription = topic == null ? null : subscriptionByTopic.remove(topic);
      if (subscription != null) {
        session.onMessage(new Unsubscribe(requestIds.incrementAndGet(), subscription));
      }
    } else if (message instanceof V1Message.Publish p) {
      publish(p);
    } else if (message instanceof V1Message.Call c) {
      call(c);
    }
    return null;
  }

  /**
   * A v1 CALL too large to read gets CALLERROR, so that the page's promise is rejected; a PUBLISH has no answer in
   * v1 (the drop is logged), and what the publisher sends next is delivered as usual.
   */
  @Override
  protected void rejectOversized(byte[] head, boolean binaryFrame, String message) {
    Object callId = V1Codec.callIdOfCallHead(head);
    if (callId != null) {
      sendV1(new V1Message.CallError(callId, WampErrors.PAYLOAD_SIZE_EXCEEDED, message, null));
    }
  }

  private void publish(V1Message.Publish p) {
    String topic = resolve(p.topic());
    if (topic == null) {
      return;
    }
    Map<String, Object> options = new HashMap<>();
    options.put("exclude_me", p.excludeMe());
    if (!p.exclude().isEmpty()) {
      options.put("exclude", sessionIds(p.exclude()));
    }
    if (!p.eligible().isEmpty()) {
      options.put("eligible", sessionIds(p.eligible()));
    }
    session.onMessage(new Publish(requestIds.incrementAndGet(), options, topic,
        Payload.of(Collections.singletonList(p.event()))));
  }

  private void call(V1Message.Call c) {
    if (c.procUri() == null) {
      // Ratchet's process dies on this (call-missing-procedure-crash); Tollgate answers it and goes on.
      sendV1(new V1Message.CallError(c.callId(), WampErrors.INVALID_ARGUMENT, "CALL without a procedure URI", null));
      return;
    }
    String procedure = resolve(c.procUri());
    long request = requestIds.incrementAndGet();
    calls.put(request, new PendingCall(c.callId(), procedure, c.args()));
    session.onMessage(new Call(request, Map.of(), procedure, Payload.of(c.args())));
  }

  /** A CURIE {@code prefix:suffix} with a declared prefix becomes {@code uri + suffix}, as AutobahnJS resolves it. */
  private String resolve(String uriOrCurie) {
    if (uriOrCurie == null) {
      return null;
    }
    int colon = uriOrCurie.indexOf(':');
    if (colon > 0) {
      String uri = prefixes.get(uriOrCurie.substring(0, colon));
      if (uri != null) {
        return uri + uriOrCurie.substring(colon + 1);
      }
    }
    return uriOrCurie;
  }

  /** Session ids as v1 sends them (strings); one that is not a Tollgate session id can match no session. */
  private static List<Long> sessionIds(List<String> ids) {
    List<Long> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      try {
        out.add(Long.parseLong(id));
      } catch (NumberFormatException notOurs) {
        out.add(0L); // 0 is never a session id: it keeps an "eligible" list non-empty, as the client meant
      }
    }
    return out;
  }

  @Override
  protected byte[] encode(WampMessage message) {
    if (message instanceof Welcome w) {
      return V1Codec.encode(new V1Message.Welcome(String.valueOf(w.session()), config.get("v1.server-ident")));
    } else if (message instanceof Subscribed s) {
      String topic = subscribing.remove(s.requestId());
      if (topic != null) {
        subscriptionByTopic.put(topic, s.subscriptionId());
      }
    } else if (message instanceof Result r) {
      PendingCall call = calls.remove(r.requestId());
      if (call != null) {
        return V1Codec.encode(new V1Message.CallResult(call.callId(), WireFormat.v1Value(r.payload())));
      }
    } else if (message instanceof ErrorMessage e) {
      return error(e);
    }
    return null; // UNSUBSCRIBED, PUBLISHED, GOODBYE and the rest have no v1 counterpart
  }

  /** Router shutdown: v1 has no GOODBYE, so the connection ends (see {@link #endWithoutHandshake}). */
  @Override
  public void sayGoodbye(Goodbye goodbye) {
    endWithoutHandshake(goodbye.reason());
  }

  /** The router ends the session (its user was removed): with GOODBYE, the connection ends as at shutdown. */
  @Override
  public void sendAndClose(WampMessage last) {
    if (last instanceof Goodbye goodbye) {
      endWithoutHandshake(goodbye.reason());
    } else {
      super.sendAndClose(last);
    }
  }

  /** AutobahnJS 0.8 reconnects only after an unclean close, so a v1 session the router ends gets no close frame. */
  private void endWithoutHandshake(String reason) {
    closeWithoutHandshake(reason + " (a v1 connection ends without a close handshake: AutobahnJS 0.8 reconnects only"
        + " after an unclean close)");
  }

  private byte[] error(ErrorMessage e) {
    if (e.requestType() == MessageCodes.SUBSCRIBE) {
      String topic = subscribing.remove(e.requestId());
      if (topic != null && WampErrors.NOT_AUTHORIZED.equals(e.error())) {
        // What Oro's UserAwareTopicTrait sends: plain text, and the connection stays open.
        return ("You are not allowed to subscribe on topic \"" + topic + "\".").getBytes(StandardCharsets.UTF_8);
      }
      LOG.debug("v1 SUBSCRIBE to {} refused: {}", topic, e.payload().args());
      return null;
    }
    if (e.requestType() != MessageCodes.CALL) {
      return null;
    }
    PendingCall call = calls.remove(e.requestId());
    if (call == null) {
      return null;
    }
    if (WampErrors.NO_SUCH_PROCEDURE.equals(e.error())) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("code", 404);
      details.put("rpc", Map.of());
      // Ratchet hands a handler a single array or object argument spread out, and Gos echoes it so.
      List<Object> args = call.args();
      details.put("params", args.size() == 1 && (args.get(0) instanceof List || args.get(0) instanceof Map) ? args.get(0) : args);
      return V1Codec.encode(new V1Message.CallError(call.callId(), call.procUri(),
          "A RPC handler for the \"" + call.procUri() + "\" route has not been registered.", details));
    }
    List<Object> args = e.payload().argsOrEmpty();
    String desc = !args.isEmpty() && args.get(0) instanceof String s ? s : e.error();
    Object details = !e.payload().kwargsOrEmpty().isEmpty() ? e.payload().kwargs() : args.size() > 1 ? args.get(1) : null;
    return V1Codec.encode(new V1Message.CallError(call.callId(), e.error(), desc, details));
  }

  private void sendV1(V1Message message) {
    sendBytes(V1Codec.encode(message));
  }
}
