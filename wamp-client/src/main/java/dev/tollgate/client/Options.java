package dev.tollgate.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The options of each request, as small immutable records with {@code with…} methods; {@code extra} passes any other
 * option through as it is, so nothing needs a new overload.
 */
public final class Options {
  private Options() {}

  /** How a canceled call ends, as the WAMP spec's {@code CANCEL.Options.mode} says. */
  public enum CancelMode {
    /** The router answers the caller at once and does not tell the callee, whose answer is dropped. */
    SKIP,
    /** The router interrupts the callee and answers the caller with whatever the callee answers then. */
    KILL,
    /** The router answers the caller at once and interrupts the callee, whose answer is dropped. */
    KILLNOWAIT;

    String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** When a testament is published: when the session is destroyed (the default) or when it is detached. */
  public enum TestamentScope {
    DESTROYED,
    DETACHED;

    String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * @param acknowledge wait for PUBLISHED, so the future fails if the router refuses the publication
   * @param excludeMe false to receive one's own event (WAMP's default is true)
   * @param retain have the router keep this event for subscribers that come later and ask for it (event retention)
   */
  public record Publish(boolean acknowledge, boolean excludeMe, List<Long> exclude, List<Long> eligible,
      boolean discloseMe, boolean retain, Map<String, Object> extra) {
    public static final Publish DEFAULT = new Publish(false, true, null, null, false, false, Map.of());
    public static final Publish ACKNOWLEDGED = DEFAULT.withAcknowledge(true);

    public Publish {
      extra = Map.copyOf(Objects.requireNonNull(extra, "extra"));
    }

    public Publish withAcknowledge(boolean value) {
      return new Publish(value, excludeMe, exclude, eligible, discloseMe, retain, extra);
    }

    public Publish withExcludeMe(boolean value) {
      return new Publish(acknowledge, value, exclude, eligible, discloseMe, retain, extra);
    }

    public Publish withEligible(List<Long> sessions) {
      return new Publish(acknowledge, excludeMe, exclude, List.copyOf(sessions), discloseMe, retain, extra);
    }

    public Publish withExclude(List<Long> sessions) {
      return new Publish(acknowledge, excludeMe, List.copyOf(sessions), eligible, discloseMe, retain, extra);
    }

    public Publish withDiscloseMe(boolean value) {
      return new Publish(acknowledge, excludeMe, exclude, eligible, value, retain, extra);
    }

    public Publish withRetain(boolean value) {
      return new Publish(acknowledge, excludeMe, exclude, eligible, discloseMe, value, extra);
    }

    /** What PUBLISH carries: {@code acknowledge} only as asked, as the router would read it. */
    Map<String, Object> toMap() {
      Map<String, Object> m = new HashMap<>(extra);
      if (acknowledge) {
        m.put("acknowledge", true);
      }
      if (!excludeMe) {
        m.put("exclude_me", false);
      }
      if (exclude != null) {
        m.put("exclude", exclude);
      }
      if (eligible != null) {
        m.put("eligible", eligible);
      }
      if (discloseMe) {
        m.put("disclose_me", true);
      }
      if (retain) {
        m.put("retain", true);
      }
      return m;
    }
  }

  /**
   * @param match {@code null} (exact), {@code "prefix"} or {@code "wildcard"} (empty URI components match any one):
   *     the event's {@link Values#topic()} then names the topic it was published to
   * @param getRetained deliver the event the router retained for the topic at once, if there is one
   */
  public record Subscribe(String match, boolean getRetained, Map<String, Object> extra) {
    public static final Subscribe DEFAULT = new Subscribe(null, false, Map.of());
    public static final Subscribe PREFIX = DEFAULT.withMatch("prefix");
    public static final Subscribe WILDCARD = DEFAULT.withMatch("wildcard");

    public Subscribe {
      requireMatchPolicy(match);
      extra = Map.copyOf(Objects.requireNonNull(extra, "extra"));
    }

    public Subscribe withMatch(String value) {
      return new Subscribe(value, getRetained, extra);
    }

    public Subscribe withGetRetained(boolean value) {
      return new Subscribe(match, value, extra);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new HashMap<>(extra);
      if (match != null) {
        m.put("match", match);
      }
      if (getRetained) {
        m.put("get_retained", true);
      }
      return m;
    }
  }

  /**
   * @param timeout fail the call with {@code wamp.error.timeout} after this long; the router enforces it (and
   *     interrupts the callee) where it offers call timeouts, the client otherwise (and then cancels the call); null
   *     waits as long as the session lives
   * @param onProgress receives the callee's progressive results, in order, before the future completes with the
   *     final one; null asks for none (the router then withholds them)
   * @param cancelMode how {@link CallFuture#cancel(boolean) cancel} on the call's future ends the call
   */
  public record Call(Duration timeout, boolean discloseMe, Handlers.ProgressHandler onProgress, CancelMode cancelMode,
      Map<String, Object> extra) {
    public static final Call DEFAULT = new Call(null, false, null, CancelMode.KILLNOWAIT, Map.of());

    public Call {
      if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
        throw new IllegalArgumentException("timeout: expected a positive duration but was " + timeout);
      }
      Objects.requireNonNull(cancelMode, "cancelMode");
      extra = Map.copyOf(Objects.requireNonNull(extra, "extra"));
    }

    public Call withTimeout(Duration value) {
      return new Call(value, discloseMe, onProgress, cancelMode, extra);
    }

    public Call withDiscloseMe(boolean value) {
      return new Call(timeout, value, onProgress, cancelMode, extra);
    }

    public Call withProgress(Handlers.ProgressHandler handler) {
      return new Call(timeout, discloseMe, handler, cancelMode, extra);
    }

    public Call withCancelMode(CancelMode mode) {
      return new Call(timeout, discloseMe, onProgress, mode, extra);
    }

    /** CALL's options; {@code timeout} only when the router enforces it. */
    Map<String, Object> toMap(boolean routerTimesOut) {
      Map<String, Object> m = new HashMap<>(extra);
      if (discloseMe) {
        m.put("disclose_me", true);
      }
      if (onProgress != null) {
        m.put("receive_progress", true);
      }
      if (timeout != null && routerTimesOut) {
        m.put("timeout", timeout.toMillis());
      }
      return m;
    }
  }

  /**
   * @param match {@code null} (exact), {@code "prefix"} or {@code "wildcard"}: the invocation's
   *     {@link Values#procedure()} then names the procedure called
   * @param invoke {@code null} (single) or a shared-registration policy: {@code roundrobin}, {@code random},
   *     {@code first}, {@code last}
   */
  public record Register(String match, String invoke, Map<String, Object> extra) {
    public static final Register DEFAULT = new Register(null, null, Map.of());
    public static final Register PREFIX = DEFAULT.withMatch("prefix");
    public static final Register WILDCARD = DEFAULT.withMatch("wildcard");

    public Register {
      requireMatchPolicy(match);
      extra = Map.copyOf(Objects.requireNonNull(extra, "extra"));
    }

    public Register withMatch(String value) {
      return new Register(value, invoke, extra);
    }

    public Register withInvoke(String value) {
      return new Register(match, value, extra);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new HashMap<>(extra);
      if (match != null) {
        m.put("match", match);
      }
      if (invoke != null) {
        m.put("invoke", invoke);
      }
      return m;
    }
  }

  private static void requireMatchPolicy(String match) {
    if (match != null && !match.equals("exact") && !match.equals("prefix") && !match.equals("wildcard")) {
      throw new IllegalArgumentException("match: expected null, exact, prefix or wildcard but was " + match);
    }
  }
}
