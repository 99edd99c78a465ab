package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.Interrupt;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Yield;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routed RPC for one realm.
 *
 * <p>Threading: the procedure table changes only on the realm's owner ({@link Realm}); a call reads it without a
 * lock. A call in flight is one {@link PendingCall}, indexed by both ends' {@link CallBook}s and settled once.
 *
 * <p>A procedure has one registration, with one callee or, when registered with a shared invocation policy
 * ({@code roundrobin}, {@code random}, {@code first}, {@code last}), several, all under the same registration id;
 * each call picks one callee by that policy.
 */
final class Dealer {

  private final String realm;
  private final Cluster cluster;
  private final int maxRegistrationsPerSession;
  private final RegistrationTable<RouterSession> table;
  private final Timers timers;
  private TableEvents events = TableEvents.NONE;

  Dealer(String realm, Cluster cluster, Ids.Sequence registrationIds, int maxRegistrationsPerSession, Timers timers) {
    this.realm = realm;
    this.cluster = cluster;
    this.table = new RegistrationTable<>(registrationIds);
    this.maxRegistrationsPerSession = maxRegistrationsPerSession;
    this.timers = timers;
  }

  /**
   * Owner only: adds the callee to the registration of ({@code procedure}, {@code match}), or creates it; returns
   * the registration id.
   */
  long register(RouterSession callee, String procedure, MatchPolicy match, InvocationPolicy invoke,
      boolean forwardTimeout) {
    if (callee.registrations().size() >= maxRegistrationsPerSession) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED, "a session may hold at most "
          + maxRegistrationsPerSession + " registrations (limits.max-registrations-per-session)");
    }
    try {
      Registration<RouterSession> registration = table.add(procedure, match, invoke, callee);
      long id = registration.id();
      callee.registrations().add(id);
      if (registration.size() == 1) {
        events.created(callee, registration);
      }
      events.added(callee, registration);
      if (forwardTimeout) {
        callee.timeoutForwarded().add(id);
      }
      if (!callee.isStandIn()) {
        Features f = callee.features();
        cluster.registered(realm, new Cluster.RemoteRegistration(callee.id(), callee.authid(),
            callee.identity().roles(), f.calleeCancels(), f.calleeProgress(), f.calleeStreams(), id, procedure, match,
            invoke, forwardTimeout));
      }
      return id;
    } catch (RegistrationConflictException e) {
      throw new RequestErrorException(e.kind().wampError(), e.getMessage());
    }
  }

  /** Owner only. */
  void unregister(RouterSession callee, long registrationId) {
    callee.timeoutForwarded().remove(registrationId);
    if (!callee.registrations().remove(registrationId) || !remove(callee, registrationId)) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_REGISTRATION, "no registration " + registrationId + " in this session");
    }
  }

  /** Owner only: the session's registrations end (its calls are settled by {@link #settleCallsOf}). */
  void removeRegistrations(RouterSession session) {
    for (Long id : List.copyOf(session.registrations())) {
      session.registrations().remove(id);
      session.timeoutForwarded().remove(id);
      remove(session, id);
    }
  }

  private boolean remove(RouterSession callee, long id) {
    RegistrationTable.Removed<RouterSession> removed = table.remove(id, callee);
    if (removed != null) {
      if (!callee.isStandIn()) {
        cluster.unregistered(realm, callee.id(), id);
        cluster.release(realm, removed.registration().pattern(), removed.registration().policy(), callee.id());
      }
      events.removed(callee, removed.registration(), removed.deleted());
    }
    return removed != null;
  }

  /** Owner only, at construction: who hears of every change to the table. */
  void tableEvents(TableEvents events) {
    this.events = events;
  }

  /** Read-only: the registrations as they are now, for the meta API and tests. */
  RegistrationTable<RouterSession> table() {
    return table;
  }

  /** Any thread (the caller's): routes a CALL to a callee. */
  void call(RouterSession caller, Call call) {
    boolean progress = Boolean.TRUE.equals(call.options().get("progress"));
    if (progress && !caller.features().callerStreams()) {
      // "The following cases, where a Caller sends a CALL message with progress := true, MUST be treated as protocol
      // errors with the underlying WAMP sessions being aborted: The Caller did not announce the progressive call
      // invocations feature during the HELLO handshake."
      caller.protocolViolation("CALL with progress: true from a caller that did not announce progressive_call_invocations");
      return;
    }
    if (caller.features().callerStreams() && continueStreaming(caller, call, progress)) {
      return;
    }
    Registration<RouterSession> r = table.match(call.procedure());
    if (r == null) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_PROCEDURE, "no callee registered procedure '" + call.procedure() + "'");
    }
    RouterSession callee = r.pick();
    if (r.policy() != MatchPolicy.EXACT && !callee.mayServe(call.procedure())) {
      // The pattern was allowed as a URI, this procedure is not the callee's to serve: as if none had registered it.
      throw new RequestErrorException(
          WampErrors.NO_SUCH_PROCEDURE, "no callee registered procedure '" + call.procedure() + "'");
    }
    Map<String, Object> options = call.options();
    Features can = callee.features();
    if (progress && !can.calleeStreams()) {
      // "in cases where the Caller sends a CALL message with progress := true but the Callee does not support
      // progressive call invocations or call cancelling, the call MUST be treated as an application error with the
      // Dealer responding to the Caller with the wamp.error.feature_not_supported error message."
      throw new RequestErrorException(WampErrors.FEATURE_NOT_SUPPORTED,
          "the callee of '" + call.procedure() + "' does not take progressive call invocations");
    }
    boolean receiveProgress = Boolean.TRUE.equals(options.get("receive_progress")) && can.calleeProgress();
    PendingCall pending = new PendingCall(caller, call.requestId(), callee, callee.calls().nextInvocationId(),
        receiveProgress, can.calleeCancels());
    pending.streaming = progress;
    pending.registrationId = r.id();
    if (!caller.calls().addCall(pending)) {
      caller.protocolViolation("CALL request id " + call.requestId() + " is already in flight");
      return;
    }
    if (!callee.calls().addInvocation(pending)) {
      // The callee left after the table was read: as if it had left before.
      caller.calls().removeCall(call.requestId(), pending);
      throw new RequestErrorException(
          WampErrors.NO_SUCH_PROCEDURE, "no callee registered procedure '" + call.procedure() + "'");
    }
    // A plain call (no options, an exact registration) has empty details: nothing to allocate on the hot path.
    boolean plain = options.isEmpty() && r.policy() == MatchPolicy.EXACT;  // so not progress either
    Map<String, Object> details = plain ? Map.of() : new HashMap<>(4);
    if (Boolean.TRUE.equals(options.get("disclose_me"))) {
      details.put("caller", caller.id());
      details.put("caller_authid", caller.authid());
      details.put("caller_authrole", caller.authrole());
    }
    if (r.policy() != MatchPolicy.EXACT) {
      // "If an endpoint was registered with a pattern-based matching policy, a Dealer MUST supply the original
      // CALL.Procedure as provided by the Caller in INVOCATION.Details.procedure to the Callee."
      details.put("procedure", call.procedure());
    }
    if (receiveProgress) {
      // "If the Callee supports Progressive Call Results, the Dealer will forward the Caller's willingness to receive
      // progressive results by setting INVOCATION.Details.receive_progress|bool := true"
      details.put("receive_progress", true);
    }
    if (progress) {
      // "the Dealer shall forward the Caller's willingness to send progressive call invocations by setting
      // INVOCATION.Details.progress|bool := true"
      details.put("progress", true);
    }
    long timeout = options.get("timeout") instanceof Number n ? n.longValue() : 0;
    if (timeout > 0) {
      if (callee.forwardsTimeout(r.id())) {
        // "Callees wanting to handle the timeout logic MAY specify this intention via the
        // REGISTER.Options.forward_timeout|boolean option."
        details.put("timeout", timeout);
      } else {
        // "If the Callee does not support Call Timeouts, a Dealer supporting this feature MUST start a timeout timer
        // upon receiving a CALL message with a timeout option."
        armTimeout(pending, timeout);
      }
    }
    callee.deliver(new Invocation(pending.invocationId, r.id(), details.isEmpty() ? Map.of() : details,
        call.payload()));
  }

  /**
   * Any thread (the cluster's): a call another node routed to {@code callee}, a session of this node, through
   * {@code caller}, the stand-in there for that node's calls to it. The other node picked the callee, checked the
   * call and made the INVOCATION's details; here it gets this node's invocation id and is settled as any call, its
   * answer going back through the stand-in. A further piece of a call streamed in pieces ({@link #PIECE} in its
   * details) goes to the same invocation, or is dropped when that call has ended, as in {@link #call}. The other
   * node's ids need not arrive in order, so a new call is told from a piece by that mark, never by its id.
   */
  void callFromNode(RouterSession caller, long correlation, RouterSession callee, long registrationId,
      Map<String, Object> details, Payload payload) {
    boolean progress = Boolean.TRUE.equals(details.get("progress"));
    PendingCall inFlight = caller.calls().call(correlation);
    if (details.containsKey(PIECE)) {
      if (inFlight != null && inFlight.streaming) {
        inFlight.streaming = progress;
        Map<String, Object> pieceDetails = progress ? Map.of("progress", true) : Map.of();
        inFlight.whileOpen(() -> inFlight.callee.deliver(new Invocation(inFlight.invocationId,
            inFlight.registrationId, pieceDetails, payload)));
      }
      return;
    }
    if (inFlight != null) {
      // The same id for a second call: the other node's stand-in was made anew while a call of the old one was
      // still in flight here. Refused, rather than taken for the other.
      caller.deliver(new ErrorMessage(MessageCodes.CALL, correlation, Map.of(), WampErrors.CANCELED,
          Payload.of(List.of("a call with this id is still in flight on the callee's node"))));
      return;
    }
    PendingCall pending = new PendingCall(caller, correlation, callee, callee.calls().nextInvocationId(),
        Boolean.TRUE.equals(details.get("receive_progress")), callee.features().calleeCancels());
    pending.streaming = progress;
    pending.registrationId = registrationId;
    if (!caller.calls().addCall(pending)) {
      return;
    }
    if (!callee.calls().addInvocation(pending)) {
      caller.calls().removeCall(correlation, pending);
      caller.deliver(new ErrorMessage(MessageCodes.CALL, correlation, Map.of(), WampErrors.CANCELED,
          Payload.of(List.of("the callee left before answering"))));
      return;
    }
    callee.deliver(new Invocation(pending.invocationId, registrationId, details, payload));
  }

  /**
   * A CALL under the request id of a call in flight, from a caller that announced progressive call invocations: a
   * further piece of a call it is still streaming goes to the same callee under the same invocation id ("the Dealer
   * MUST make a first INVOCATION based on invocation_policy and then route all subsequent progressive calls to the same
   * Callee"), and the piece without {@code progress} is the last. A piece for a call already answered is dropped:
   * "it MUST ignore and discard that CALL message without any further correlated response". Returns false for a new
   * call.
   */
  private boolean continueStreaming(RouterSession caller, Call call, boolean progress) {
    PendingCall pending = caller.calls().call(call.requestId());
    if (pending == null) {
      if (caller.calls().answered(call.requestId())) {
        return true; // a continuation of a call that has ended meanwhile
      }
      return false;
    }
    if (!pending.streaming) {
      return false; // the same request id in flight without streaming: the protocol violation call() reports
    }
    pending.streaming = progress;
    Map<String, Object> details = new HashMap<>(2);
    if (progress) {
      details.put("progress", true);
    }
    if (pending.callee.isStandIn()) {
      details.put(PIECE, true); // see callFromNode
    }
    pending.whileOpen(() -> pending.callee.deliver(new Invocation(pending.invocationId,
        pending.registrationId, details.isEmpty() ? Map.of() : details, call.payload())));
    return true;
  }

  /**
   * Marks a further piece of a call streamed in pieces, as it crosses to the callee's node (an {@code x_} name, which
   * WAMP leaves to implementations); taken off there.
   */
  static final String PIECE = "x_tollgate_piece";

  /**
   * Any thread (the callee's). A progressive YIELD reaches the caller as RESULT {@code progress: true} if it asked for
   * progress, and is dropped if it did not; the final one settles the call.
   */
  void yield(RouterSession callee, Yield yield) {
    if (Boolean.TRUE.equals(yield.options().get("progress"))) {
      PendingCall pending = callee.calls().invocation(yield.requestId());
      if (pending != null && pending.progress) {
        // "Upon receiving an YIELD message from a Callee with YIELD.Options.progress == true (for a call that is still
        // ongoing), the Dealer will immediately send a RESULT message to the original Caller with
        // RESULT.Details.progress|bool := true"
        boolean sent = pending.whileOpen(() -> pending.caller.deliver(
            new Result(pending.callRequestId, Map.of("progress", true), yield.payload())));
        if (sent && pending.timeoutMillis > 0) {
          armTimeout(pending, pending.timeoutMillis);
        }
      }
      return;
    }
    PendingCall pending = callee.calls().takeInvocation(yield.requestId());
    // Canceled, or its caller left: the spec has the late answer dropped.
    if (pending != null && pending.settle()) {
      pending.caller.calls().removeCall(pending.callRequestId, pending);
      pending.caller.deliver(new Result(pending.callRequestId, Map.of(), yield.payload()));
    }
  }

  /** Any thread (the callee's). */
  void invocationFailed(RouterSession callee, ErrorMessage error) {
    PendingCall pending = callee.calls().takeInvocation(error.requestId());
    if (pending != null && pending.settle()) {
      pending.caller.calls().removeCall(pending.callRequestId, pending);
      pending.caller.deliver(new ErrorMessage(
          MessageCodes.CALL, pending.callRequestId, error.details(), error.error(), error.payload()));
    }
  }

  /**
   * The caller gives up on a call, in the mode CANCEL names ({@code killnowait} when it names none): {@code skip} and
   * {@code killnowait} answer {@code wamp.error.canceled} now and drop the callee's late answer, {@code killnowait}
   * also interrupts the callee; {@code kill} interrupts the callee and lets its answer, whatever it is, end the call.
   * "If the callee does not support call canceling, then behavior is skip."
   */
  void cancel(RouterSession caller, Cancel cancel) {
    PendingCall pending = caller.calls().call(cancel.requestId());
    if (pending == null) {
      return;
    }
    String mode = cancel.options().get("mode") instanceof String m ? m : "killnowait";
    if (!pending.interruptible) {
      mode = "skip";
    }
    if (mode.equals("kill")) {
      // "kill: INTERRUPT is sent to the callee, but ERROR is not returned to the caller until after the callee has
      // responded to the canceled call."
      pending.whileOpen(() -> pending.callee.deliver(new Interrupt(pending.invocationId, Map.of("mode", "kill"))));
    } else if (pending.settle()) {
      pending.forget();
      caller.deliver(canceled(pending, "the caller canceled the call"));
      if (mode.equals("killnowait")) {
        interrupt(pending);
      }
    }
  }

  /**
   * The router's timeout: the caller gets {@code wamp.error.timeout} ("The error message that is returned to the
   * Caller MUST use wamp.error.timeout as the reason URI") and, as for a CANCEL {@code killnowait}, the callee an
   * INTERRUPT if it can take one ("The cancellation mode is implicitly killnowait if the Callee supports call
   * cancellation, otherwise the cancellation mode is skip").
   */
  private void armTimeout(PendingCall pending, long millis) {
    pending.timeoutMillis = millis;
    pending.armTimeout(timers.schedule(() -> {
      if (pending.settle()) {
        pending.forget();
        pending.caller.deliver(new ErrorMessage(MessageCodes.CALL, pending.callRequestId, Map.of(),
            WampErrors.TIMEOUT, Payload.of(List.of("no result within " + millis + " ms (CALL.Options.timeout)"))));
        interrupt(pending);
      }
    }, java.time.Duration.ofMillis(millis)));
  }

  /** INTERRUPT {@code killnowait}, to a callee that announced call canceling; its answer will be dropped. */
  private static void interrupt(PendingCall pending) {
    if (pending.interruptible) {
      pending.callee.deliver(new Interrupt(pending.invocationId, Map.of("mode", "killnowait")));
    }
  }

  /**
   * A session left: calls it was to answer fail at once with {@code wamp.error.canceled}; its own calls are
   * forgotten, and their late answers dropped. Runs after it left the tables, so no new call can reach it.
   */
  void settleCallsOf(RouterSession session) {
    for (PendingCall pending : session.calls().close()) {
      if (pending.settle()) {
        pending.forget();
        if (pending.callee == session) {
          pending.caller.deliver(canceled(pending, "the callee left before answering"));
        } else {
          // The caller left: "the Dealer sends an INTERRUPT to the Callee with mode="killnowait"" (progressive call
          // results, "Caller Leaving", the same as for a basic call).
          interrupt(pending);
        }
      }
    }
  }

  private static ErrorMessage canceled(PendingCall pending, String why) {
    return new ErrorMessage(
        MessageCodes.CALL, pending.callRequestId, Map.of(), WampErrors.CANCELED, Payload.of(List.of(why)));
  }
}
