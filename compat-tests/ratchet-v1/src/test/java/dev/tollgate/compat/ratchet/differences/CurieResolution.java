package dev.tollgate.compat.ratchet.differences;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.tollgate.compat.ratchet.recording.PhpJson;
import dev.tollgate.compat.ratchet.recording.RecordedApplication;
import dev.tollgate.compat.ratchet.recording.Recording;
import dev.tollgate.compat.ratchet.recording.Recording.Direction;
import dev.tollgate.compat.ratchet.recording.Recording.Frame;
import dev.tollgate.compat.ratchet.recording.Recording.Kind;
import dev.tollgate.compat.ratchet.recording.V1;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A CURIE ({@code prefix:suffix} after {@code [PREFIX, prefix, uri]}) in a SUBSCRIBE, UNSUBSCRIBE, PUBLISH or CALL,
 * which Ratchet and Tollgate resolve to different URIs (see {@link Curies}). Everything that depends on the resolved
 * URI is rewritten to Tollgate's: the topic an EVENT carries; who gets an EVENT at all (a subscription and a
 * publication meet when their resolved URIs are equal, so a full-URI publication may stop reaching a CURIE
 * subscriber or start reaching another); the answer to a CALL (the resolved procedure is the one called, answered as
 * {@link RecordedApplication} answers it); and Oro's refusal of a subscription, which names the topic.
 *
 * <p>Who may receive a publication is decided as Ratchet's ServerProtocol and Topic::broadcast decide it (and as
 * Tollgate does): excludeMe (PHP truthiness) or an exclude list of session ids, then a non-empty eligible list.
 * EVENTs the recording shows are the truth for Ratchet's side; this model only says where Tollgate's differs.
 */
final class CurieResolution implements Difference {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  @Override
  public String name() {
    return "curie-resolution";
  }

  @Override
  public String reason() {
    return "Ratchet resolves a CURIE as prefix URI + \"#\" + suffix (WampConnection::getUri: \"return"
        + " $this->WAMP->prefixes[$prefix] . '#' . $action;\"); AutobahnJS resolves prefix URI + suffix, the WAMP v1"
        + " way, and so does Tollgate (WampV1Connection.resolve), so that AutobahnJS's callbacks, keyed by the URI it"
        + " resolves, fire (recorded: autobahnjs-gos-client-session's EVENT for calc##news reached no callback)."
        + " EVENT topics and receivers, CALL answers and subscribe refusals follow the resolved URI";
  }

  /** A PUBLISH as both servers see it, and the EVENTs the recording traces to it. */
  private static final class Publication {
    final Frame frame;
    final ArrayNode message;
    final String ratchet;
    final String tollgate;
    final Set<Integer> tollgateReceivers;
    final boolean involved;
    final List<Frame> events = new ArrayList<>();
    final Set<Integer> reached = new TreeSet<>();

    Publication(Frame frame, ArrayNode message, String ratchet, String tollgate, Set<Integer> tollgateReceivers,
        boolean involved) {
      this.frame = frame;
      this.message = message;
      this.ratchet = ratchet;
      this.tollgate = tollgate;
      this.tollgateReceivers = tollgateReceivers;
      this.involved = involved;
    }

    JsonNode event() {
      JsonNode e = V1.element(message, 2);
      return e == null ? NullNode.getInstance() : e;
    }
  }

  @Override
  public Rewrite rewrite(Recording r) {
    Curies curies = new Curies();
    Sessions sessions = new Sessions(r);
    Map<Integer, Set<String>> ratchetSubs = new HashMap<>();
    Map<Integer, Set<String>> tollgateSubs = new HashMap<>();
    List<Publication> publications = new ArrayList<>();
    List<String> where = new ArrayList<>();
    FrameEdits edits = new FrameEdits(r);

    for (Frame f : r.frames()) {
      curies.see(f);
      if (f.conn() == null) {
        continue;
      }
      int c = f.conn();
      if (f.kind() == Kind.CLOSE) {
        ratchetSubs.remove(c);
        tollgateSubs.remove(c);
        continue;
      }
      if (f.dir() == Direction.IN) {
        trace(f, publications);
        continue;
      }
      ArrayNode m = f.dir() == Direction.OUT && !OversizedMessage.refused(f) ? V1.message(f) : null;
      int type = m == null ? -1 : V1.type(m);
      if (type != V1.SUBSCRIBE && type != V1.UNSUBSCRIBE && type != V1.PUBLISH && type != V1.CALL) {
        continue;
      }
      String uri = V1.text(m, type == V1.CALL ? 2 : 1);
      String ratchet = curies.ratchet(c, uri);
      String tollgate = curies.tollgate(c, uri);
      if (!Objects.equals(ratchet, tollgate)) {
        where.add(f.describe() + ": Ratchet " + ratchet + ", Tollgate " + tollgate);
      }
      switch (type) {
        case V1.SUBSCRIBE -> {
          subscribe(ratchetSubs, c, ratchet);
          subscribe(tollgateSubs, c, tollgate);
          if (!Objects.equals(ratchet, tollgate)) {
            refusal(edits, f, ratchet, tollgate);
          }
        }
        case V1.UNSUBSCRIBE -> {
          ratchetSubs.getOrDefault(c, new HashSet<>()).remove(ratchet);
          tollgateSubs.getOrDefault(c, new HashSet<>()).remove(tollgate);
        }
        case V1.PUBLISH -> {
          Set<Integer> byRatchet = receivers(ratchetSubs, ratchet, m, c, sessions);
          Set<Integer> byTollgate = receivers(tollgateSubs, tollgate, m, c, sessions);
          publications.add(new Publication(f, m, ratchet, tollgate, byTollgate,
              !Objects.equals(ratchet, tollgate) || !byRatchet.equals(byTollgate)));
        }
        default -> {
          if (!Objects.equals(ratchet, tollgate)) {
            answer(edits, f, tollgate);
          }
        }
      }
    }
    for (Publication p : publications) {
      if (p.involved) {
        deliver(edits, p, where);
      }
    }
    return where.isEmpty() ? Rewrite.none(r) : new Rewrite(edits.applyTo(r), where);
  }

  private static void subscribe(Map<Integer, Set<String>> subs, int conn, String topic) {
    // the recorded application refuses secured/ topics (Oro's UserAwareTopicTrait), and Tollgate's rules do
    if (topic != null && !RecordedApplication.refusesSubscribe(topic)) {
      subs.computeIfAbsent(conn, c -> new HashSet<>()).add(topic);
    }
  }

  /** Who a publication reaches: subscribers of the topic that its excludeMe, exclude and eligible let through. */
  private static Set<Integer> receivers(Map<Integer, Set<String>> subs, String topic, ArrayNode m, int publisher,
      Sessions sessions) {
    Set<Integer> receivers = new TreeSet<>();
    if (topic == null || RecordedApplication.dropsPublish(topic)) {
      return receivers;
    }
    // ServerProtocol: "$exclude = (array_key_exists(3, $json) ? $json[3] : null); if (!is_array($exclude)) {
    // if (true === (boolean)$exclude) { $exclude = [$from->WAMP->sessionId]; } else { $exclude = []; } }"
    JsonNode exclude = V1.element(m, 3);
    Set<Integer> excluded = exclude != null && exclude.isArray() ? sessions.connections(exclude)
        : phpTruthy(exclude) ? Set.of(publisher) : Set.of();
    // Topic::broadcast: "if ($useEligible && !in_array($client->WAMP->sessionId, $eligible)) continue;"
    JsonNode eligible = V1.element(m, 4);
    boolean useEligible = eligible != null && eligible.isArray() && !eligible.isEmpty();
    Set<Integer> allowed = useEligible ? sessions.connections(eligible) : null;
    subs.forEach((conn, topics) -> {
      if (topics.contains(topic) && !excluded.contains(conn) && (allowed == null || allowed.contains(conn))) {
        receivers.add(conn);
      }
    });
    return receivers;
  }

  /** PHP's {@code (boolean)} cast of a decoded JSON value. */
  private static boolean phpTruthy(JsonNode v) {
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isNumber()) {
      return v.doubleValue() != 0;
    }
    if (v.isTextual()) {
      return !v.asText().isEmpty() && !v.asText().equals("0");
    }
    return !v.isEmpty(); // arrays and objects: PHP arrays, false when empty
  }

  /** Traces a server frame to the latest publication it carries that has not reached its connection yet. */
  private static void trace(Frame f, List<Publication> publications) {
    for (int i = publications.size() - 1; i >= 0; i--) {
      Publication p = publications.get(i);
      if (!p.reached.contains(f.conn()) && Publications.carries(f, p.ratchet, p.frame)) {
        p.reached.add(f.conn());
        p.events.add(f);
        return;
      }
    }
  }

  /** Rewrites a publication's EVENTs to Tollgate's topic and receivers. */
  private static void deliver(FrameEdits edits, Publication p, List<String> where) {
    String event = eventText(p);
    Frame last = p.frame;
    for (Frame e : p.events) {
      if (!p.tollgateReceivers.contains(e.conn())) {
        edits.remove(e);
        continue;
      }
      Frame rewritten = Objects.equals(p.ratchet, p.tollgate) ? e
          : e.withText(withTopic(e, p), "Tollgate: the topic resolved as " + p.tollgate);
      edits.replace(e, rewritten);
      last = rewritten;
    }
    List<Frame> added = new ArrayList<>();
    for (int conn : p.tollgateReceivers) {
      if (!p.reached.contains(conn)) {
        added.add(Frame.text(Direction.IN, conn, p.frame.tMs(), event,
            "Tollgate: its subscription to " + p.tollgate + " meets this publication"));
      }
    }
    edits.insertAfter(last, added);
    if (!p.reached.equals(p.tollgateReceivers)) {
      where.add(p.frame.describe() + ": reaches conn " + p.reached + " on Ratchet, conn " + p.tollgateReceivers
          + " on Tollgate");
    }
  }

  /** A recorded EVENT's text with Tollgate's topic; one kept as length and SHA-256 is rebuilt from the PUBLISH. */
  private static String withTopic(Frame e, Publication p) {
    ArrayNode m = V1.message(e);
    if (m == null) {
      return eventText(p);
    }
    m.set(1, JsonNodeFactory.instance.textNode(p.tollgate));
    return m.toString();
  }

  private static String eventText(Publication p) {
    return JsonNodeFactory.instance.arrayNode().add(V1.EVENT).add(p.tollgate).add(p.event()).toString();
  }

  /** Oro's refusal names the topic as resolved; Ratchet and Tollgate may also disagree on whether to refuse. */
  private static void refusal(FrameEdits edits, Frame subscribe, String ratchet, String tollgate) {
    int c = subscribe.conn();
    Frame next = edits.next(subscribe, f -> f.on(c) && f.dir() == Direction.IN);
    boolean ratchetRefused = next != null && next.kind() == Kind.TEXT && ratchet != null
        && RecordedApplication.subscribeRefusal(ratchet).equals(next.data());
    boolean tollgateRefuses = tollgate != null && RecordedApplication.refusesSubscribe(tollgate);
    Frame instead = tollgateRefuses ? Frame.text(Direction.IN, c, subscribe.tMs(),
        RecordedApplication.subscribeRefusal(tollgate), "Tollgate refuses " + tollgate) : null;
    if (ratchetRefused && instead != null) {
      edits.replace(next, instead);
    } else if (ratchetRefused) {
      edits.remove(next);
    } else if (instead != null) {
      edits.insertAfter(subscribe, List.of(instead));
    }
  }

  /** The recorded answer to a CALL, rewritten to what the recorded application answers the procedure Tollgate calls. */
  private static void answer(FrameEdits edits, Frame call, String procedure) {
    List<Object> elements;
    try {
      elements = PLAIN.readValue(call.text(), PLAIN.getTypeFactory().constructCollectionType(List.class, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(call.describe() + " is not JSON", e);
    }
    Object callId = elements.size() > 1 ? elements.get(1) : null;
    List<Object> args = elements.size() > 3 ? elements.subList(3, elements.size()) : List.of();
    JsonNode id = PhpJson.parse(call.text()).path(1);
    Frame recorded = edits.next(call, f -> f.on(call.conn()) && f.dir() == Direction.IN && answers(f, id));
    if (recorded == null) {
      return;
    }
    try {
      edits.replace(recorded, recorded.withText(PLAIN.writeValueAsString(
          RecordedApplication.v1Answer(callId, procedure, args)), "Tollgate calls " + procedure));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean answers(Frame f, JsonNode id) {
    ArrayNode m = V1.message(f);
    return m != null && (V1.type(m) == V1.CALLRESULT || V1.type(m) == V1.CALLERROR) && id.equals(m.get(1));
  }

  /** Which connection a session id in an exclude or eligible list names: by variable or by recorded value. */
  private static final class Sessions {
    private final Map<String, Integer> byName = new HashMap<>();
    private final Map<String, Integer> byValue = new HashMap<>();

    Sessions(Recording r) {
      for (Recording.Variable v : r.variables()) {
        byName.put(v.name(), v.conn());
        byValue.put(v.value(), v.conn());
      }
      for (Recording.Connection c : r.connections()) {
        if (c.sessionVar() != null) {
          byName.putIfAbsent(c.sessionVar(), c.index());
        }
      }
    }

    Set<Integer> connections(JsonNode ids) {
      Set<Integer> conns = new LinkedHashSet<>();
      for (JsonNode id : ids) {
        String text = id.isTextual() ? id.asText() : id.toString();
        Integer conn = text.startsWith("${") && text.endsWith("}")
            ? byName.get(text.substring(2, text.length() - 1)) : byValue.get(text);
        if (conn != null) {
          conns.add(conn);
        }
      }
      return conns;
    }
  }
}
