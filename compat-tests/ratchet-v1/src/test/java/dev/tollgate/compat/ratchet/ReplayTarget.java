package dev.tollgate.compat.ratchet;

import java.net.URI;
import java.util.List;

/** The Tollgate a replay connects to: one started for the scenario, or one already running. */
interface ReplayTarget {

  /** The WebSocket endpoint for a connection that needs this v1 handshake. */
  URI endpoint(Setup.Strictness strictness);

  /** What went wrong behind the scenes (the callee's problems); empty when nothing did. */
  List<String> problems();
}
