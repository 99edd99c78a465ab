package dev.tollgate.router.internal;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** One realm: its sessions, its broker and its dealer. Sessions of different realms never see each other. */
final class Realm {
  private final String name;
  private final Broker broker;
  private final Dealer dealer;
  private final ConcurrentHashMap<Long, RouterSession> sessions = new ConcurrentHashMap<>();

  Realm(String name, Broker broker, Dealer dealer) {
    this.name = name;
    this.broker = broker;
    this.dealer = dealer;
  }

  String name() {
    return name;
  }

  Broker broker() {
    return broker;
  }

  Dealer dealer() {
    return dealer;
  }

  void join(RouterSession session) {
    sessions.put(session.id(), session);
  }

  void leave(RouterSession session) {
    sessions.remove(session.id(), session);
    broker.removeSession(session);
    dealer.removeSession(session);
  }

  Collection<RouterSession> sessions() {
    return sessions.values();
  }
}
