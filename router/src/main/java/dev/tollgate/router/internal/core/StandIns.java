package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Interrupt;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Yield;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of other nodes that this node's dealer deals with, each as a stand-in {@link RouterSession} whose
 * peer is the cluster ({@link StandInPeer}): so a call across nodes is an ordinary call at each end, with its
 * progressive results, cancellation, timeout and settling, and nothing in the dealer knows of nodes.
 *
 * <p>A call from caller C on node A to callee S on node B: on A, the callee is S's stand-in, which holds S's
 * registrations as B announced them; A's dealer picks it by the registration's policy as any callee, and its
 * INVOCATION crosses to B. On B, the caller is the stand-in for A's calls to S, and B's dealer settles the call with S
 * as any call; S's RESULT or ERROR crosses back through it, and A settles the call with C. The invocation id A gave
 * is the call's name on both sides.
 *
 * <p>Stand-ins end with what they stand for: a stand-in callee when its last registration is withdrawn (its calls
 * then end in {@code wamp.error.canceled}), a stand-in caller when its callee leaves here, and all of a node's
 * stand-ins when that node is gone ({@link #nodeGone}).
 *
 * <p>Threading: any thread (the cluster's); stand-ins are made and ended off every realm's lock (the lock order is a
 * session's, then its realm's).
 */
public final class StandIns {
  private static final Logger LOG = LoggerFactory.getLogger(StandIns.class);

  /** A session of a node: for a stand-in callee, the callee there; for a stand-in caller, the callee here. */
  private record Key(long node, long session) {}

  private final RouterCore core;
  private final Cluster cluster;
  private final Executor offTheRealmLock;
  private final ConcurrentHashMap<Key, RouterSession> callees = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, RouterSession> callers = new ConcurrentHashMap<>();

  StandIns(RouterCore core, Cluster cluster, Executor offTheRealmLock) {
    this.core = core;
    this.cluster = cluster;
    this.offTheRealmLock = offTheRealmLock;
  }

  /** Hooks the realm: when one of its sessions leaves, the stand-ins calling it end with it. */
  void watch(Realm realm) {
    realm.directory().addListener(new SessionDirectory.Listener() {
      @Override
      public void left(RouterSession session) {
        // Under the realm's lock: the stand-ins' own locks are taken elsewhere.
        offTheRealmLock.execute(() -> callers.forEach((key, caller) -> {
          if (key.session() == session.id() && callers.remove(key, caller)) {
            caller.leaveAsStandIn();
          }
        }));
      }
    });
  }

  /** Node {@code node} announced a registration of one of its sessions. Announced twice, it is taken once. */
  public void registered(long node, String realmName, Cluster.RemoteRegistration reg) {
    Realm realm = core.realm(realmName);
    if (realm == null) {
      return;
    }
    Key key = new Key(node, reg.session());
    while (true) {
      RouterSession standIn = callees.computeIfAbsent(key, k ->
          RouterSession.standIn(core, new StandInPeer(cluster, node, realmName, reg.session()), realm, reg.session(),
              new Identity(reg.authid(), reg.roles(), "cluster", "node", null, null),
              new Features(reg.cancels(), reg.progress(), false, reg.streams())));
      synchronized (standIn) {
        // Ended meanwhile (its node was declared gone): a new one stands in, or nothing if it is gone again.
        if (callees.get(key) != standIn || standIn.realm() == null) {
          continue;
        }
        register(realm, standIn, reg);
        return;
      }
    }
  }

  private static void register(Realm realm, RouterSession standIn, Cluster.RemoteRegistration reg) {
    StandInPeer peer = (StandInPeer) standIn.peer();
    if (peer.knows(reg.registrationId())) {
      return;
    }
    try {
      // Under the peer's lock, so that a call picking the registration at once finds its id mapped (see send).
      synchronized (peer) {
        long here = realm.register(standIn, reg.procedure(), reg.match(), reg.invoke(), reg.forwardTimeout());
        peer.mapRegistration(here, reg.registrationId());
      }
    } catch (RequestErrorException e) {
      LOG.warn("cluster: registration of '{}' by session {} of another node not taken here: {}", reg.procedure(),
          reg.session(), e.getMessage());
    }
  }

  /** Node {@code node} withdrew a registration; a stand-in left without any ends. */
  public void unregistered(long node, String realmName, long session, long registrationId) {
    Key key = new Key(node, session);
    RouterSession standIn = callees.get(key);
    Realm realm = core.realm(realmName);
    if (standIn == null || realm == null) {
      return;
    }
    synchronized (standIn) {
      Long here = ((StandInPeer) standIn.peer()).localIdOf(registrationId);
      if (here != null) {
        try {
          realm.unregister(standIn, here);
        } catch (RequestErrorException e) {
          // gone already
        }
      }
      if (standIn.registrationCount() == 0 && callees.remove(key, standIn)) {
        standIn.leaveAsStandIn();
      }
    }
  }

  /** A message for a call between a session of {@code node} and one of this node; see {@link Cluster#send}. */
  public void message(long node, String realmName, long callee, WampMessage message) {
    Realm realm = core.realm(realmName);
    if (realm == null) {
      return;
    }
    if (message instanceof Invocation i) {
      invoke(node, realm, callee, i);
    } else if (message instanceof Interrupt i) {
      RouterSession caller = callers.get(new Key(node, callee));
      if (caller != null) {
        Object mode = i.options().get("mode");
        realm.dealer().cancel(caller, new Cancel(i.requestId(), mode == null ? Map.of() : Map.of("mode", mode)));
      }
    } else if (message instanceof Result r) {
      RouterSession standIn = callees.get(new Key(node, callee));
      if (standIn != null) {
        boolean progress = Boolean.TRUE.equals(r.details().get("progress"));
        realm.dealer().yield(standIn, new Yield(r.requestId(), progress ? Map.of("progress", true) : Map.of(),
            r.payload()));
      }
    } else if (message instanceof ErrorMessage e) {
      RouterSession standIn = callees.get(new Key(node, callee));
      if (standIn != null) {
        realm.dealer().invocationFailed(standIn, new ErrorMessage(MessageCodes.INVOCATION, e.requestId(),
            e.details(), e.error(), e.payload()));
      }
    }
  }

  private void invoke(long node, Realm realm, long calleeId, Invocation invocation) {
    RouterSession callee = realm.directory().byId(calleeId);
    if (callee == null || callee.isStandIn() || !callee.registrations().contains(invocation.registrationId())) {
      cluster.send(node, realm.name(), calleeId, new ErrorMessage(MessageCodes.CALL, invocation.requestId(), Map.of(),
          WampErrors.CANCELED, Payload.of(List.of("the callee left before answering"))));
      return;
    }
    RouterSession caller = callers.computeIfAbsent(new Key(node, calleeId), k ->
        RouterSession.standIn(core, new StandInPeer(cluster, node, realm.name(), calleeId), realm, 0,
            new Identity("node", List.of("cluster"), "cluster", "node", null, null), Features.NONE));
    realm.dealer().callFromNode(caller, invocation.requestId(), callee, invocation.registrationId(),
        invocation.details(), invocation.payload());
  }

  /**
   * Node {@code node} is gone (it stopped, or stopped answering): its sessions' registrations end here, the calls
   * routed to them end in {@code wamp.error.canceled}, and the calls it routed here are interrupted.
   */
  public void nodeGone(long node) {
    int ended = 0;
    for (var map : List.of(callees, callers)) {
      for (var e : map.entrySet()) {
        if (e.getKey().node() == node && map.remove(e.getKey(), e.getValue())) {
          e.getValue().leaveAsStandIn();
          ended++;
        }
      }
    }
    if (ended > 0) {
      LOG.info("cluster: node {} is gone; {} of its sessions' stand-ins ended here", node, ended);
    }
  }

  /** The nodes this node has stand-ins of. */
  public java.util.Set<Long> nodes() {
    java.util.Set<Long> nodes = new java.util.HashSet<>();
    callees.keySet().forEach(k -> nodes.add(k.node()));
    callers.keySet().forEach(k -> nodes.add(k.node()));
    return nodes;
  }
}
