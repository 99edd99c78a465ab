package dev.tollgate.router.internal.core;

import dev.tollgate.auth.Action;
import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.EventReceived;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.Unregister;
import dev.tollgate.protocol.Unregistered;
import dev.tollgate.protocol.Unsubscribe;
import dev.tollgate.protocol.Unsubscribed;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.WampUris;
import dev.tollgate.protocol.Yield;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an established session asks of the router, served: each request checked (URI, match policy, authorization),
 * routed to its realm's broker, dealer or meta API, and answered, or refused with the ERROR its failure names.
 *
 * <p>Threading: runs under its session's lock (see {@link RouterSession}), one request at a time.
 */
final class SessionRequests {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRequests.class);

  private final RouterSession session;

  SessionRequests(RouterSession session) {
    this.session = session;
  }

  /** Serves one request of an established session; a request that cannot be served gets its ERROR. */
  void handle(WampMessage message) {
    try {
      serve(message);
    } catch (RequestErrorException e) {
      replyError(message, e);
    }
  }

  private void serve(WampMessage message) {
    Realm r = session.realm();
    Peer peer = session.peer();
    if (message instanceof Publish p) {
      checkUri(p.topic(), "topic", MatchPolicy.EXACT);
      session.authorize(Action.PUBLISH, p.topic());
      long publication = r.broker().publish(session, p);
      if (Boolean.TRUE.equals(p.options().get("acknowledge"))) {
        peer.send(new Published(p.requestId(), publication));
      }
    } else if (message instanceof Subscribe sub) {
      MatchPolicy match = MatchPolicy.ofOption(sub.options().get("match"));
      checkUri(sub.topic(), "topic", match);
      // A pattern is authorized as the URI it is; each event it matches is authorized again (see mayReceive).
      session.authorize(Action.SUBSCRIBE, sub.topic());
      long subscription = r.subscribe(session, sub.topic(), match);
      peer.send(new Subscribed(sub.requestId(), subscription));
      if (Boolean.TRUE.equals(sub.options().get("get_retained"))) {
        r.broker().sendRetained(session, subscription, sub.topic(), match);
      }
    } else if (message instanceof Unsubscribe u) {
      r.unsubscribe(session, u.subscriptionId());
      peer.send(new Unsubscribed(u.requestId()));
    } else if (message instanceof Call c) {
      checkUri(c.procedure(), "procedure", MatchPolicy.EXACT);
      session.authorize(Action.CALL, c.procedure());
      if (!r.callMeta(session, c)) {
        r.dealer().call(session, c);
      }
    } else if (message instanceof Register reg) {
      MatchPolicy match = MatchPolicy.ofOption(reg.options().get("match"));
      checkUri(reg.procedure(), "procedure", match);
      // A pattern is authorized as the URI it is; each call it catches is authorized again (see mayServe).
      session.authorize(Action.REGISTER, reg.procedure());
      InvocationPolicy invoke = InvocationPolicy.of(reg.options().get("invoke"));
      boolean forwardTimeout = Boolean.TRUE.equals(reg.options().get("forward_timeout"));
      Cluster cluster = r.cluster();
      if (cluster == Cluster.NONE) {
        peer.send(new Registered(reg.requestId(), r.register(session, reg.procedure(), match, invoke, forwardTimeout)));
      } else {
        // Several nodes: the procedure is reserved in the whole cluster first (see reserved()).
        long reservedFor = session.id();
        cluster.reserve(r.name(), reg.procedure(), match, invoke, reservedFor).whenComplete((refusal, failure) ->
            reserved(reservedFor, reg, r, match, invoke, forwardTimeout, refusal, failure));
      }
    } else if (message instanceof Unregister u) {
      r.unregister(session, u.registrationId());
      peer.send(new Unregistered(u.requestId()));
    } else if (message instanceof Yield y) {
      r.dealer().yield(session, y);
    } else if (message instanceof ErrorMessage e && e.requestType() == MessageCodes.INVOCATION) {
      r.dealer().invocationFailed(session, e);
    } else if (message instanceof Cancel c) {
      r.dealer().cancel(session, c);
    } else if (message instanceof EventReceived) {
      // Acknowledged delivery is not offered; an acknowledgment needs no answer.
    } else {
      session.protocolViolation(MessageCodes.name(message.code()) + " is not a message a client sends to a router");
    }
  }

  /**
   * The cluster granted ({@code refusal} null) or refused a REGISTER: it is made now, or refused with the error. Runs
   * on the cluster's thread, under the session's lock; a session that left meanwhile (even if its transport joined
   * again, as another session) gives the reservation back.
   */
  private void reserved(long reservedFor, Register reg, Realm r, MatchPolicy match, InvocationPolicy invoke,
      boolean forwardTimeout, String refusal, Throwable failure) {
    synchronized (session) {
      if (!session.isEstablished(reservedFor, r)) {
        if (refusal == null && failure == null) {
          r.cluster().release(r.name(), reg.procedure(), match, reservedFor);
        }
        return;
      }
      answerReserved(reg, r, match, invoke, forwardTimeout, refusal, failure);
    }
  }

  private void answerReserved(Register reg, Realm r, MatchPolicy match, InvocationPolicy invoke,
      boolean forwardTimeout, String refusal, Throwable failure) {
    if (failure != null) {
      LOG.warn("REGISTER of '{}' refused: the cluster cannot be asked ({})", reg.procedure(), failure.toString());
      replyError(reg, new RequestErrorException(CLUSTER_UNAVAILABLE, "the other nodes cannot be asked whether '"
          + reg.procedure() + "' is registered there (Redis is unreachable); try again"));
      return;
    }
    if (refusal != null) {
      replyError(reg, new RequestErrorException(refusal, "procedure '" + reg.procedure()
          + "' is registered on another node" + (refusal.equals(WampErrors.PROCEDURE_ALREADY_EXISTS) ? ""
              : " with another invocation policy")));
      return;
    }
    try {
      session.peer().send(new Registered(reg.requestId(), r.register(session, reg.procedure(), match, invoke,
          forwardTimeout)));
    } catch (RequestErrorException e) {
      r.cluster().release(r.name(), reg.procedure(), match, session.id());
      replyError(reg, e);
    }
  }

  /** A REGISTER that cannot be checked against the other nodes' registrations. */
  static final String CLUSTER_UNAVAILABLE = "tollgate.error.cluster_unavailable";

  /** A URI, or a pattern: prefix and wildcard patterns may have empty components ({@code com.myapp..update}). */
  private void checkUri(String uri, String what, MatchPolicy match) {
    boolean valid = session.httpUris() ? !uri.isEmpty()
        : WampUris.isValid(uri, session.uriRules(), match != MatchPolicy.EXACT);
    if (!valid) {
      throw new RequestErrorException(WampErrors.INVALID_URI, "invalid " + what + " URI '" + uri + "'");
    }
  }

  private void replyError(WampMessage request, RequestErrorException e) {
    long requestId = requestIdOf(request);
    if (requestId < 0) {
      LOG.debug("no ERROR possible for {}: {}", MessageCodes.name(request.code()), e.getMessage());
      return;
    }
    session.peer().send(new ErrorMessage(request.code(), requestId, Map.of(), e.errorUri(), Payload.of(e.args())));
  }

  private static long requestIdOf(WampMessage m) {
    if (m instanceof Publish p) {
      // The spec answers a failed publication only when it asked for acknowledgment.
      return Boolean.TRUE.equals(p.options().get("acknowledge")) ? p.requestId() : -1;
    } else if (m instanceof Subscribe s) {
      return s.requestId();
    } else if (m instanceof Unsubscribe u) {
      return u.requestId();
    } else if (m instanceof Call c) {
      return c.requestId();
    } else if (m instanceof Register r) {
      return r.requestId();
    } else if (m instanceof Unregister u) {
      return u.requestId();
    }
    return -1;
  }
}
