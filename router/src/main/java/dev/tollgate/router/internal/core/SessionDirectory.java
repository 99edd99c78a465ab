package dev.tollgate.router.internal.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sessions of one realm: by id, by authid and by authrole, and the listeners told when one joins or leaves (the
 * meta API, testaments and other nodes hang on them).
 *
 * <p>Threading: changed only by the realm's owner (while holding the realm's lock, see {@link Realm}), which also
 * runs the listeners; read from any thread without a lock (the indexes hold immutable lists, replaced on change).
 */
public final class SessionDirectory {

  /** Told of every join and leave, on the realm's owner, after the change. Must not block. */
  public interface Listener {
    default void joined(RouterSession session) {}

    default void left(RouterSession session) {}
  }

  private final SessionIds ids;
  private final ConcurrentHashMap<Long, RouterSession> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<RouterSession>> byAuthid = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<RouterSession>> byAuthrole = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

  SessionDirectory(SessionIds ids) {
    this.ids = ids;
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** A fresh session id, unique among live sessions of every realm; freed by {@link #remove} or {@link #free}. */
  long allocateId() {
    return ids.allocate();
  }

  /** Frees an id that was allocated but never added (the join did not happen). */
  void free(long id) {
    ids.free(id);
  }

  /** Owner only: the session has its id and identity and is now in the realm. */
  void add(RouterSession session) {
    byId.put(session.id(), session);
    index(byAuthid, session.authid(), session);
    index(byAuthrole, session.authrole(), session);
    for (Listener l : listeners) {
      l.joined(session);
    }
  }

  /** Owner only: the session left; its id is free again. */
  void remove(RouterSession session) {
    if (!byId.remove(session.id(), session)) {
      return;
    }
    unindex(byAuthid, session.authid(), session);
    unindex(byAuthrole, session.authrole(), session);
    ids.free(session.id());
    for (Listener l : listeners) {
      l.left(session);
    }
  }

  /** Owner only: the session's authrole changed from {@code previousRole}. */
  void roleChanged(RouterSession session, String previousRole) {
    if (byId.get(session.id()) == session && !previousRole.equals(session.authrole())) {
      unindex(byAuthrole, previousRole, session);
      index(byAuthrole, session.authrole(), session);
    }
  }

  public RouterSession byId(long id) {
    return byId.get(id);
  }

  public List<RouterSession> byAuthid(String authid) {
    return byAuthid.getOrDefault(authid, List.of());
  }

  public List<RouterSession> byAuthrole(String authrole) {
    return byAuthrole.getOrDefault(authrole, List.of());
  }

  public Collection<RouterSession> all() {
    return byId.values();
  }

  public int size() {
    return byId.size();
  }

  private static void index(ConcurrentHashMap<String, List<RouterSession>> index, String key, RouterSession s) {
    index.compute(key, (k, current) -> {
      List<RouterSession> more = new ArrayList<>(current == null ? 1 : current.size() + 1);
      if (current != null) {
        more.addAll(current);
      }
      more.add(s);
      return List.copyOf(more);
    });
  }

  private static void unindex(ConcurrentHashMap<String, List<RouterSession>> index, String key, RouterSession s) {
    index.computeIfPresent(key, (k, current) -> {
      List<RouterSession> fewer = new ArrayList<>(current);
      fewer.remove(s);
      return fewer.isEmpty() ? null : List.copyOf(fewer);
    });
  }
}
