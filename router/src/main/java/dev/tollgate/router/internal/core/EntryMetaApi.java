package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.WampErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The subscription meta API ({@code wamp.subscription.*}) or the registration meta API ({@code wamp.registration.*}) of
 * one realm: the same procedures and events over the realm's subscription table or its registration table.
 *
 * <p>Events: {@code on_create}, {@code on_subscribe} / {@code on_register}, {@code on_unsubscribe} /
 * {@code on_unregister}, {@code on_delete}, in the order of the changes ("A wamp.subscription.on_subscribe event MUST
 * always be fired subsequent to a wamp.subscription.on_create event [...] the wamp.subscription.on_delete event MUST
 * always be preceded by a wamp.subscription.on_unsubscribe event"). Entries on the meta API's own {@code wamp.} URIs
 * make no events, so that watching the meta events does not feed itself.
 *
 * <p>Threading: the table tells of its changes on the realm's owner; events and calls run on the router's meta
 * executor, one at a time, which alone touches {@link #created}.
 */
final class EntryMetaApi implements TableEvents {

  /** The two tables' words. */
  enum Kind {
    SUBSCRIPTION("wamp.subscription.", "subscribers", "on_subscribe", "on_unsubscribe",
        "wamp.error.no_such_subscription"),
    REGISTRATION("wamp.registration.", "callees", "on_register", "on_unregister", "wamp.error.no_such_registration");

    final String prefix;
    final String members;
    final String onAdd;
    final String onRemove;
    final String noSuch;

    Kind(String prefix, String members, String onAdd, String onRemove, String noSuch) {
      this.prefix = prefix;
      this.members = members;
      this.onAdd = onAdd;
      this.onRemove = onRemove;
      this.noSuch = noSuch;
    }
  }

  private final Kind kind;
  private final Realm realm;
  private final PatternTable<?, RouterSession> table;
  private final Executor executor;
  /** When each live entry was made, for {@code get}'s {@code created}; only the meta executor touches it. */
  private final Map<Long, Instant> created = new HashMap<>();

  EntryMetaApi(Kind kind, Realm realm, PatternTable<?, RouterSession> table, Executor executor) {
    this.kind = kind;
    this.realm = realm;
    this.table = table;
    this.executor = executor;
  }

  /** Whether {@code procedure} is one of this API's. */
  boolean offers(String procedure) {
    if (!procedure.startsWith(kind.prefix)) {
      return false;
    }
    String name = procedure.substring(kind.prefix.length());
    return switch (name) {
      case "list", "lookup", "match", "get" -> true;
      default -> name.equals("list_" + kind.members) || name.equals("count_" + kind.members);
    };
  }

  @Override
  public void created(RouterSession session, PatternTable.Entry<?, ?> entry) {
    if (quiet(entry)) {
      return;
    }
    long sessionId = session.id();
    Instant now = Instant.now();
    long id = entry.id();
    String pattern = entry.pattern();
    MatchPolicy policy = entry.policy();
    executor.execute(() -> {
      created.put(id, now);
      publish("on_create", List.of(sessionId, details(id, pattern, policy, now)));
    });
  }

  @Override
  public void added(RouterSession session, PatternTable.Entry<?, ?> entry) {
    if (!quiet(entry)) {
      long sessionId = session.id();
      long id = entry.id();
      executor.execute(() -> publish(kind.onAdd, List.of(sessionId, id)));
    }
  }

  @Override
  public void removed(RouterSession session, PatternTable.Entry<?, ?> entry, boolean deleted) {
    if (quiet(entry)) {
      return;
    }
    long sessionId = session.id();
    long id = entry.id();
    executor.execute(() -> {
      publish(kind.onRemove, List.of(sessionId, id));
      if (deleted) {
        created.remove(id);
        publish("on_delete", List.of(sessionId, id));
      }
    });
  }

  private static boolean quiet(PatternTable.Entry<?, ?> entry) {
    return quiet(entry.pattern());
  }

  /** Entries on the meta API's own {@code wamp.} URIs: left out of its answers and events. */
  static boolean quiet(String pattern) {
    return pattern.startsWith("wamp.");
  }

  private void publish(String event, List<Object> args) {
    realm.broker().publish(null, new Publish(0, Map.of(), kind.prefix + event, Payload.of(args)));
  }

  /** The answer to {@code call}, on the meta executor; throws for an ERROR. */
  Payload answer(RouterSession caller, Call call) {
    List<Object> args = call.payload().argsOrEmpty();
    String name = call.procedure().substring(kind.prefix.length());
    switch (name) {
      case "list" -> {
        Map<String, Object> lists = new LinkedHashMap<>();
        for (MatchPolicy p : MatchPolicy.values()) {
          lists.put(p.wireName(), new ArrayList<>());
        }
        for (PatternTable.Entry<?, ?> e : table.all()) {
          if (!quiet(e)) {
            @SuppressWarnings("unchecked")
            List<Object> ids = (List<Object>) lists.get(e.policy().wireName());
            ids.add(e.id());
          }
        }
        return Payload.of(List.of(lists));
      }
      case "lookup" -> {
        MatchPolicy policy = args.size() > 1 && args.get(1) instanceof Map<?, ?> options
            ? MatchPolicy.ofOption(options.get("match")) : MatchPolicy.EXACT;
        PatternTable.Entry<?, ?> e = table.find(uri(args), policy);
        return Payload.of(java.util.Collections.singletonList(e == null ? null : e.id()));
      }
      case "match" -> {
        String uri = uri(args);
        if (table instanceof RegistrationTable<?> registrations) {
          // a registration match is the one registration a call would reach, or null
          Registration<?> reached = registrations.match(uri);
          return Payload.of(java.util.Collections.singletonList(reached == null ? null : reached.id()));
        }
        // "A list of all matching subscription IDs, or null"
        List<Object> ids = new ArrayList<>();
        ((SubscriptionTable<?>) table).forEachMatch(uri, s -> ids.add(s.id()));
        return Payload.of(java.util.Collections.singletonList(ids.isEmpty() ? null : ids));
      }
      case "get" -> {
        PatternTable.Entry<?, ?> e = entry(args);
        return Payload.of(List.of(details(e.id(), e.pattern(), e.policy(), created.get(e.id()))));
      }
      default -> {
        PatternTable.Entry<?, ?> e = entry(args);
        List<Object> ids = new ArrayList<>();
        for (Object member : e.members()) {
          ids.add(((RouterSession) member).id());
        }
        if (kind == Kind.SUBSCRIPTION) {
          // Every node's subscribers to the same pattern and policy (a registration's callees on other nodes are
          // members here already, as stand-ins).
          ids.addAll(realm.cluster().otherSubscribers(realm.name(), e.pattern(), e.policy()));
        }
        return Payload.of(List.of(name.startsWith("count_") ? (Object) ids.size() : ids));
      }
    }
  }

  private PatternTable.Entry<?, ?> entry(List<Object> args) {
    if (args.isEmpty() || !(args.get(0) instanceof Number id)) {
      throw new RequestErrorException(WampErrors.INVALID_ARGUMENT, "expected an id as the first argument");
    }
    PatternTable.Entry<?, ?> e = table.byId(id.longValue());
    if (e == null || quiet(e)) {
      throw new RequestErrorException(kind.noSuch, "no " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + id);
    }
    return e;
  }

  private static String uri(List<Object> args) {
    if (args.isEmpty() || !(args.get(0) instanceof String uri)) {
      throw new RequestErrorException(WampErrors.INVALID_ARGUMENT, "expected a URI as the first argument");
    }
    return uri;
  }

  /** {@code SubscriptionDetails} / {@code RegistrationDetails}: id, created, uri, match (and invoke). */
  private Map<String, Object> details(long id, String pattern, MatchPolicy policy, Instant when) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("id", id);
    d.put("created", String.valueOf(when));
    d.put("uri", pattern);
    d.put("match", policy.wireName());
    if (table.byId(id) instanceof Registration<?> r) {
      d.put("invoke", r.invocation().wireName());
    }
    return d;
  }
}
