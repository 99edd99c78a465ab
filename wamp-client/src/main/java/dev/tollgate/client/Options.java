package dev.tollgate.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of each request, as small immutable records; {@code extra} passes any other option through as it is
 * (e.g. Advanced Profile ones), so nothing needs a new overload.
 */
public final class Options {
  private Options() {}

  /**
   * @param acknowledge wait for PUBLISHED, so the future fails if the router refuses the publication
   * @param excludeMe false to receive one's own event (WAMP's default is true)
   */
  public record Publish(boolean acknowledge, boolean excludeMe, List<Long> exclude, List<Long> eligible,
      boolean discloseMe, Map<String, Object> extra) {
    public static final Publish DEFAULT = new Publish(false, true, null, null, false, Map.of());
    public static final Publish ACKNOWLEDGED = new Publish(true, true, null, null, false, Map.of());

    public Publish withAcknowledge(boolean value) {
      return new Publish(value, excludeMe, exclude, eligible, discloseMe, extra);
    }

    public Publish withExcludeMe(boolean value) {
      return new Publish(acknowledge, value, exclude, eligible, discloseMe, extra);
    }

    public Publish withEligible(List<Long> sessions) {
      return new Publish(acknowledge, excludeMe, exclude, List.copyOf(sessions), discloseMe, extra);
    }

    public Publish withExclude(List<Long> sessions) {
      return new Publish(acknowledge, excludeMe, List.copyOf(sessions), eligible, discloseMe, extra);
    }

    public Publish withDiscloseMe(boolean value) {
      return new Publish(acknowledge, excludeMe, exclude, eligible, value, extra);
    }

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
      return m;
    }
  }

  /** @param match {@code exact} (null), {@code prefix} or {@code wildcard}, where the router supports it */
  public record Subscribe(String match, Map<String, Object> extra) {
    public static final Subscribe DEFAULT = new Subscribe(null, Map.of());

    Map<String, Object> toMap() {
      Map<String, Object> m = new HashMap<>(extra);
      if (match != null) {
        m.put("match", match);
      }
      return m;
    }
  }

  /**
   * @param timeout fail the call with {@code wamp.error.timeout} after this long (the client then sends CANCEL);
   *     null waits as long as the session lives
   */
  public record Call(Duration timeout, boolean discloseMe, Map<String, Object> extra) {
    public static final Call DEFAULT = new Call(null, false, Map.of());

    public Call withTimeout(Duration value) {
      return new Call(value, discloseMe, extra);
    }

    public Call withDiscloseMe(boolean value) {
      return new Call(timeout, value, extra);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new HashMap<>(extra);
      if (discloseMe) {
        m.put("disclose_me", true);
      }
      return m;
    }
  }

  /** @param invoke {@code single} (null) or a shared-registration policy, where the router supports it */
  public record Register(String match, String invoke, Map<String, Object> extra) {
    public static final Register DEFAULT = new Register(null, null, Map.of());

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
}
