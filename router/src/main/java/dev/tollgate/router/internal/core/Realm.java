package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Result;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * One realm: its session directory, its broker and its dealer. Sessions of different realms never see each other.
 *
 * <p>Concurrency: the realm is the one owner of its tables and its directory. Every change to them (join, leave,
 * subscribe, unsubscribe, register, unregister) runs while holding the realm's lock, through the methods here, so
 * they are plain data structures to their writer; publications and calls read their immutable snapshots from any
 * thread and never take the lock. A session's own lock may be held when the realm's is taken, never the reverse.
 */
public final class Realm {
  private final String name;
  private final Broker broker;
  private final Dealer dealer;
  private final SessionDirectory directory;
  private final SessionMetaApi sessionMeta;
  private final EntryMetaApi subscriptionMeta;
  private final EntryMetaApi registrationMeta;
  private final Executor meta;
  private final Cluster cluster;

  /**
   * @param meta where the meta API runs (see {@link SessionMetaApi})
   * @param cluster the other nodes, {@link Cluster#NONE} for one node alone
   */
  Realm(String name, Broker broker, Dealer dealer, SessionDirectory directory, Executor meta, Cluster cluster) {
    this.name = name;
    this.cluster = cluster;
    this.broker = broker;
    this.dealer = dealer;
    this.directory = directory;
    this.meta = meta;
    this.sessionMeta = new SessionMetaApi(this, meta);
    this.subscriptionMeta = new EntryMetaApi(EntryMetaApi.Kind.SUBSCRIPTION, this, broker.table(), meta);
    this.registrationMeta = new EntryMetaApi(EntryMetaApi.Kind.REGISTRATION, this, dealer.table(), meta);
    broker.tableEvents(subscriptionMeta);
    dealer.tableEvents(registrationMeta);
  }

  /**
   * Answers a call to one of the router's own meta procedures, on the meta executor (never on the caller's thread:
   * a kill takes another session's lock); false if {@code call} is not for one of them.
   */
  boolean callMeta(RouterSession caller, Call call) {
    String procedure = call.procedure();
    if (!procedure.startsWith("wamp.")) {
      return false;
    }
    BiFunction<RouterSession, Call, Payload> api;
    if (SessionMetaApi.offers(procedure)) {
      api = sessionMeta::answer;
    } else if (subscriptionMeta.offers(procedure)) {
      api = subscriptionMeta::answer;
    } else if (registrationMeta.offers(procedure)) {
      api = registrationMeta::answer;
    } else {
      return false;
    }
    meta.execute(() -> {
      try {
        caller.deliver(new Result(call.requestId(), Map.of(), api.apply(caller, call)));
      } catch (RequestErrorException e) {
        caller.deliver(new ErrorMessage(MessageCodes.CALL, call.requestId(), Map.of(), e.errorUri(),
            Payload.of(e.args())));
      } catch (RuntimeException e) {
        // The other nodes could not be asked (Redis away): an answer all the same, never a caller left waiting.
        caller.deliver(new ErrorMessage(MessageCodes.CALL, call.requestId(), Map.of(),
            cluster == Cluster.NONE ? "wamp.error.runtime_error" : SessionRequests.CLUSTER_UNAVAILABLE,
            Payload.of(List.of(procedure + " failed: " + e.getMessage()))));
      }
    });
    return true;
  }

  public String name() {
    return name;
  }

  public SessionDirectory directory() {
    return directory;
  }

  Cluster cluster() {
    return cluster;
  }

  Broker broker() {
    return broker;
  }

  Dealer dealer() {
    return dealer;
  }

  synchronized void join(RouterSession session) {
    directory.add(session);
  }

  /** The session leaves the directory and every table; then its calls are settled, outside the lock. */
  void leave(RouterSession session) {
    synchronized (this) {
      broker.removeSubscriptions(session);
      dealer.removeRegistrations(session);
      directory.remove(session);
    }
    dealer.settleCallsOf(session);
  }

  synchronized long subscribe(RouterSession session, String topic, MatchPolicy match) {
    return broker.subscribe(session, topic, match);
  }

  synchronized void unsubscribe(RouterSession session, long subscriptionId) {
    broker.unsubscribe(session, subscriptionId);
  }

  synchronized long register(RouterSession session, String procedure, MatchPolicy match, InvocationPolicy invoke,
      boolean forwardTimeout) {
    return dealer.register(session, procedure, match, invoke, forwardTimeout);
  }

  synchronized void unregister(RouterSession session, long registrationId) {
    dealer.unregister(session, registrationId);
  }

  synchronized void roleChanged(RouterSession session, String previousRole) {
    directory.roleChanged(session, previousRole);
  }
}
