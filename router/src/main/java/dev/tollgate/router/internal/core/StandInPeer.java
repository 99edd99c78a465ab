package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.WampMessage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The peer of a stand-in: a session of another node as this node's dealer sees it. A stand-in callee takes this
 * node's INVOCATIONs and INTERRUPTs for a callee over there; a stand-in caller takes the RESULTs and ERRORs of the
 * calls that node routed to a callee here. Either way the message goes to that node through the {@link Cluster},
 * naming the callee. Stand-ins neither subscribe nor close a transport.
 */
final class StandInPeer implements Peer {
  private final Cluster cluster;
  private final long node;
  private final String realm;
  /** The callee the messages concern: over there for a stand-in callee, here for a stand-in caller. */
  private final long callee;
  /**
   * A stand-in callee's registrations: this node's id of each, to the id its own node gave it. Kept after one is
   * withdrawn, for as long as the stand-in lives: a call that picked it just before still reaches that node, which
   * answers it (ids are never reused).
   */
  private final ConcurrentHashMap<Long, Long> remoteRegistrationIds = new ConcurrentHashMap<>();

  StandInPeer(Cluster cluster, long node, String realm, long callee) {
    this.cluster = cluster;
    this.node = node;
    this.realm = realm;
    this.callee = callee;
  }

  /** Whether the registration its node calls {@code there} is known here already (announced twice). */
  boolean knows(long there) {
    return remoteRegistrationIds.containsValue(there);
  }

  void mapRegistration(long here, long there) {
    remoteRegistrationIds.put(here, there);
  }

  /** This node's id of the registration its node calls {@code there}, or null. */
  Long localIdOf(long there) {
    for (var e : remoteRegistrationIds.entrySet()) {
      if (e.getValue() == there) {
        return e.getKey();
      }
    }
    return null;
  }

  @Override
  public WireFormat format() {
    return WireFormat.OBJECTS;
  }

  @Override
  public void send(WampMessage message) {
    if (message instanceof Invocation i) {
      // The callee knows its registration by the id its own node gave it.
      Long there = remoteRegistrationIds.get(i.registrationId());
      if (there == null) {
        // Picked in the instant between its registration and the mapping of its id: both are made under this lock.
        synchronized (this) {
          there = remoteRegistrationIds.get(i.registrationId());
        }
      }
      if (there == null) {
        throw new IllegalStateException("an invocation for registration " + i.registrationId()
            + ", which this stand-in never held");
      }
      message = new Invocation(i.requestId(), there, i.details(), i.payload());
    }
    cluster.send(node, realm, callee, message);
  }

  @Override
  public void deliver(Publication publication) {}

  @Override
  public void sendAndClose(WampMessage last) {}

  @Override
  public void sayGoodbye(Goodbye goodbye) {}

  @Override
  public void close(Close how, String reason) {}

  @Override
  public String describe() {
    return "stand-in for session " + callee + " of node " + node;
  }

  @Override
  public String clientAddress() {
    return "node " + node;
  }
}
