package dev.tollgate.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Typed access to the WAMP meta API of the session's realm ({@code wamp.session.*}, {@code wamp.subscription.*},
 * {@code wamp.registration.*}), got from {@link WampClient#meta()}. Every method is one call or one subscription, and
 * fails as they do: the router's authorization rules govern these URIs like any other, so a role that may not call
 * {@code wamp.session.kill} gets {@code wamp.error.not_authorized}.
 */
public final class MetaApi {
  /** What the router tells of a session ({@code wamp.session.get}, {@code on_join}). */
  public record SessionInfo(long session, String authid, String authrole, String authmethod, String authprovider,
      Map<String, Object> transport) {}

  /** A session that left ({@code wamp.session.on_leave}). */
  public record SessionLeft(long session, String authid, String authrole) {}

  /** A subscription's or registration's ids by match policy ({@code list}). */
  public record EntryIds(List<Long> exact, List<Long> prefix, List<Long> wildcard) {}

  /** A subscription or registration ({@code get}, {@code on_create}); {@code invoke} is null for subscriptions. */
  public record EntryInfo(long id, Instant created, String uri, String match, String invoke) {}

  /** A change to a subscription or registration made by a session ({@code on_subscribe}, {@code on_delete}, …). */
  public record EntryChange(long session, long id) {}

  /** The subscription or the registration meta API: the same procedures and events over the broker's or dealer's table. */
  public final class Entries {
    private final String prefix;
    private final String members;
    private final String onAdd;
    private final String onRemove;

    private Entries(String prefix, String members, String onAdd, String onRemove) {
      this.prefix = prefix;
      this.members = members;
      this.onAdd = onAdd;
      this.onRemove = onRemove;
    }

    /** Every id, by match policy. */
    public CompletableFuture<EntryIds> list() {
      return call(prefix + "list").thenApply(v -> {
        Map<?, ?> m = (Map<?, ?>) v.args().get(0);
        return new EntryIds(ids(m.get("exact")), ids(m.get("prefix")), ids(m.get("wildcard")));
      });
    }

    /** The id of the entry made for exactly this URI and match policy ({@code null} for exact), if there is one. */
    public CompletableFuture<Long> lookup(String uri, String match) {
      List<Object> args = match == null ? List.of(uri) : List.of(uri, Map.of("match", match));
      return call(prefix + "lookup", args.toArray()).thenApply(v -> longOrNull(v.args().get(0)));
    }

    /**
     * The ids of the entries a publication to, or a call of, {@code uri} would reach: every matching subscription, or
     * the one registration a call would go to (empty if none).
     */
    public CompletableFuture<List<Long>> match(String uri) {
      return call(prefix + "match", uri).thenApply(v -> {
        Object answer = v.args().isEmpty() ? null : v.args().get(0);
        return answer instanceof List<?> l ? ids(l) : answer == null ? List.of() : List.of(longOrNull(answer));
      });
    }

    public CompletableFuture<EntryInfo> get(long id) {
      return call(prefix + "get", id).thenApply(v -> entryInfo((Map<?, ?>) v.args().get(0)));
    }

    /** The sessions subscribed to, or registered as callees of, entry {@code id}. */
    public CompletableFuture<List<Long>> members(long id) {
      return call(prefix + "list_" + members, id).thenApply(v -> ids(v.args().get(0)));
    }

    public CompletableFuture<Integer> countMembers(long id) {
      return call(prefix + "count_" + members, id).thenApply(v -> ((Number) v.args().get(0)).intValue());
    }

    /** {@code on_create}: a session made a new entry. */
    public CompletableFuture<Subscription> onCreate(java.util.function.BiConsumer<Long, EntryInfo> handler) {
      return on(prefix + "on_create", v -> handler.accept(number(v, 0), entryInfo((Map<?, ?>) v.args().get(1))));
    }

    /** {@code on_subscribe} / {@code on_register}: a session joined an entry. */
    public CompletableFuture<Subscription> onAdd(Consumer<EntryChange> handler) {
      return on(prefix + onAdd, v -> handler.accept(new EntryChange(number(v, 0), number(v, 1))));
    }

    /** {@code on_unsubscribe} / {@code on_unregister}: a session left an entry. */
    public CompletableFuture<Subscription> onRemove(Consumer<EntryChange> handler) {
      return on(prefix + onRemove, v -> handler.accept(new EntryChange(number(v, 0), number(v, 1))));
    }

    /** {@code on_delete}: an entry's last session left it. */
    public CompletableFuture<Subscription> onDelete(Consumer<EntryChange> handler) {
      return on(prefix + "on_delete", v -> handler.accept(new EntryChange(number(v, 0), number(v, 1))));
    }
  }

  private final WampClient client;
  private final Entries subscriptions = new Entries("wamp.subscription.", "subscribers", "on_subscribe",
      "on_unsubscribe");
  private final Entries registrations = new Entries("wamp.registration.", "callees", "on_register", "on_unregister");

  MetaApi(WampClient client) {
    this.client = client;
  }

  /** The subscription meta API ({@code wamp.subscription.*}); members are subscribers. */
  public Entries subscriptions() {
    return subscriptions;
  }

  /** The registration meta API ({@code wamp.registration.*}); members are callees. */
  public Entries registrations() {
    return registrations;
  }

  /** How many sessions the realm has, or only those with one of {@code authroles}. */
  public CompletableFuture<Integer> sessionCount(String... authroles) {
    return call("wamp.session.count", roleFilter(authroles)).thenApply(v -> ((Number) v.args().get(0)).intValue());
  }

  /** The realm's session ids, or only those of sessions with one of {@code authroles}. */
  public CompletableFuture<List<Long>> sessionIds(String... authroles) {
    return call("wamp.session.list", roleFilter(authroles)).thenApply(v -> ids(v.args().get(0)));
  }

  /** One session; fails with {@code wamp.error.no_such_session} if there is none. */
  public CompletableFuture<SessionInfo> session(long id) {
    return call("wamp.session.get", id).thenApply(v -> sessionInfo((Map<?, ?>) v.args().get(0)));
  }

  /** Ends another session with GOODBYE {@code reason} ({@code wamp.close.normal} when null) and a message. */
  public CompletableFuture<Void> kill(long session, String reason, String message) {
    return client.call("wamp.session.kill", List.of(session), closeDetails(reason, message), Options.Call.DEFAULT)
        .thenApply(v -> null);
  }

  /** Ends every other session with this authid; completes with how many. */
  public CompletableFuture<Integer> killByAuthid(String authid, String reason, String message) {
    return count(client.call("wamp.session.kill_by_authid", List.of(authid), closeDetails(reason, message),
        Options.Call.DEFAULT));
  }

  /** Ends every other session with this authrole; completes with how many. */
  public CompletableFuture<Integer> killByAuthrole(String authrole, String reason, String message) {
    return count(client.call("wamp.session.kill_by_authrole", List.of(authrole), closeDetails(reason, message),
        Options.Call.DEFAULT));
  }

  /** Ends every other session of the realm; completes with how many. */
  public CompletableFuture<Integer> killAll(String reason, String message) {
    return count(client.call("wamp.session.kill_all", List.of(), closeDetails(reason, message), Options.Call.DEFAULT));
  }

  /** {@code wamp.session.on_join}. */
  public CompletableFuture<Subscription> onSessionJoin(Consumer<SessionInfo> handler) {
    return on("wamp.session.on_join", v -> handler.accept(sessionInfo((Map<?, ?>) v.args().get(0))));
  }

  /** {@code wamp.session.on_leave}. */
  public CompletableFuture<Subscription> onSessionLeave(Consumer<SessionLeft> handler) {
    return on("wamp.session.on_leave", v -> handler.accept(new SessionLeft(number(v, 0),
        string(v.args(), 1), string(v.args(), 2))));
  }

  private CompletableFuture<Values> call(String procedure, Object... args) {
    return client.call(procedure, Arrays.asList(args), Map.of(), Options.Call.DEFAULT);
  }

  private CompletableFuture<Subscription> on(String topic, Handlers.EventHandler handler) {
    return client.subscribe(topic, handler);
  }

  private static Object[] roleFilter(String[] authroles) {
    return authroles.length == 0 ? new Object[0] : new Object[] {List.of(authroles)};
  }

  private static Map<String, Object> closeDetails(String reason, String message) {
    Map<String, Object> kwargs = new java.util.HashMap<>();
    if (reason != null) {
      kwargs.put("reason", reason);
    }
    if (message != null) {
      kwargs.put("message", message);
    }
    return kwargs;
  }

  private static CompletableFuture<Integer> count(CompletableFuture<Values> answer) {
    return answer.thenApply(v -> ((Number) v.args().get(0)).intValue());
  }

  private static SessionInfo sessionInfo(Map<?, ?> m) {
    @SuppressWarnings("unchecked")
    Map<String, Object> transport = m.get("transport") instanceof Map<?, ?> t ? (Map<String, Object>) t : Map.of();
    return new SessionInfo(((Number) m.get("session")).longValue(), (String) m.get("authid"),
        (String) m.get("authrole"), (String) m.get("authmethod"), (String) m.get("authprovider"), transport);
  }

  private static EntryInfo entryInfo(Map<?, ?> m) {
    Instant created = null;
    if (m.get("created") instanceof String s) {
      try {
        created = Instant.parse(s);
      } catch (DateTimeParseException notAnInstant) {
        created = null; // routers write what they like here; the rest of the entry is still worth having
      }
    }
    return new EntryInfo(((Number) m.get("id")).longValue(), created, (String) m.get("uri"), (String) m.get("match"),
        (String) m.get("invoke"));
  }

  private static List<Long> ids(Object list) {
    List<Long> out = new ArrayList<>();
    if (list instanceof List<?> l) {
      for (Object o : l) {
        out.add(((Number) Objects.requireNonNull(o, "id")).longValue());
      }
    }
    return List.copyOf(out);
  }

  private static Long longOrNull(Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }

  private static long number(Values v, int index) {
    return ((Number) v.args().get(index)).longValue();
  }

  private static String string(List<Object> args, int index) {
    return args.size() > index && args.get(index) instanceof String s ? s : null;
  }
}
