package dev.tollgate.compat.ratchet;

import dev.tollgate.compat.ratchet.recording.RecordedApplication;
import dev.tollgate.compat.ratchet.recording.Recording;
import java.util.ArrayList;
import java.util.List;

/**
 * What a recording needs from the Tollgate it is replayed against beyond Tollgate's defaults (plus the sample
 * procedures and the v1 server ident, which every replay gets).
 *
 * @param strictServer a connection offering no {@code wamp} went to a strict server (Ratchet's default), so it
 *     needs {@code v1.allow-no-subprotocol=false}
 * @param lenientServer some connection is served by Tollgate's default, lenient, v1 handshake
 * @param keepalive the recording waits for the periodic {@code oro/ping} event
 * @param securedTopics the recording touches {@code secured/} topics, which the recorded handler refused
 */
record Setup(boolean strictServer, boolean lenientServer, boolean keepalive, boolean securedTopics) {

  /** Which v1 handshake a connection needs: any (it offers wamp), or the recorded server's. */
  enum Strictness { ANY, STRICT, LENIENT }

  static final String KEEPALIVE_TOPIC = RecordedApplication.KEEPALIVE_TOPIC;
  static final String SECURED_PREFIX = RecordedApplication.SECURED_PREFIX;

  static Setup of(Recording r) {
    boolean strict = false;
    boolean lenient = false;
    for (Recording.Connection c : r.connections()) {
      if (strictness(r, c) == Strictness.STRICT) {
        strict = true;
      } else {
        lenient = true;
      }
    }
    boolean keepalive = false;
    boolean secured = false;
    for (Recording.Frame f : r.frames()) {
      if (f.dir() == Recording.Direction.OUT && f.data() != null) {
        keepalive |= f.data().contains("\"" + KEEPALIVE_TOPIC + "\"") && f.data().matches("^\\[\\s*5\\s*,.*");
        secured |= f.data().contains("\"" + SECURED_PREFIX);
      }
    }
    return new Setup(strict, lenient, keepalive, secured);
  }

  static Strictness strictness(Recording r, Recording.Connection c) {
    List<String> offer = r.offerOf(c);
    if (offer != null && offer.contains("wamp")) {
      return Strictness.ANY;
    }
    return "lenient".equals(r.modeOf(c)) ? Strictness.LENIENT : Strictness.STRICT;
  }

  /** The settings a running Tollgate would need for this, beyond its defaults; empty when none. */
  List<String> beyondDefaults() {
    List<String> needs = new ArrayList<>();
    if (strictServer) {
      needs.add("v1.allow-no-subprotocol=false");
    }
    if (keepalive) {
      needs.add("keepalive.interval under 1 s");
    }
    if (securedTopics) {
      needs.add("a rule denying secured/");
    }
    return needs;
  }
}
