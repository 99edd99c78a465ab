package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Ids;
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

  private final int maxRegistrationsPerSession;
  private final RegistrationTable<RouterSession> table;

  Dealer(Ids.Sequence registrationIds, int maxRegistrationsPerSession) {
    this.table = new RegistrationTable<>(registrationIds);
    this.maxRegistrationsPerSession = maxRegistrationsPerSession;
  }

  /**
   * Owner only: adds the callee to the registration of ({@code procedure}, {@code match}), or creates it; returns
   * the registration id.
   */
  long register(RouterSession callee, String procedure, MatchPolicy match, InvocationPolicy invoke) {
    if (callee.registrations().size() >= maxRegistrationsPerSession) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED, "a session may hold at most "
          + maxRegistrationsPerSession + " registrations (limits.max-registrations-per-session)");
    }
    try {
      long id = table.add(procedure, match, invoke, callee).id();
      callee.registrations().add(id);
      return id;
    } catch (RegistrationConflictException e) {
      throw new RequestErrorException(e.kind().wampError(), e.getMessage());
    }
  }

  /** Owner only. */
  void unregister(RouterSession callee, long registrationId) {
    if (!callee.registrations().remove(registrationId) || table.remove(registrationId, callee) == null) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_REGISTRATION, "no registration " + registrationId + " in this session");
    }
  }

  /** Owner only: the session's registrations end (its calls are settled by {@link #settleCallsOf}). */
  void removeRegistrations(RouterSession session) {
    for (Long id : List.copyOf(session.registrations())) {
      session.registrations().remove(id);
      table.remove(id, session);
    }
  }

  /** Read-only: the registrations as they are now, for the meta API and tests. */
  RegistrationTable<RouterSession> table() {
    return table;
  }

  /** Any thread (the caller's): routes a CALL to a callee. */
  void call(RouterSession caller, Call call) {
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
    PendingCall pending = new PendingCall(caller, call.requestId(), callee, callee.calls().nextInvocationId());
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
    Map<String, Object> details = Map.of();
    if (Boolean.TRUE.equals(call.options().get("disclose_me"))) {
      Map<String, Object> d = new HashMap<>(4);
      d.put("caller", caller.id());
      d.put("caller_authid", caller.authid());
      d.put("caller_authrole", caller.authrole());
      details = d;
    }
    if (r.policy() != MatchPolicy.EXACT) {
      // "If an endpoint was registered with a pattern-based matching policy, a Dealer MUST supply the original
      // CALL.Procedure as provided by the Caller in INVOCATION.Details.procedure to the Callee."
      details = new HashMap<>(details);
      details.put("procedure", call.procedure());
    }
    callee.deliver(new Invocation(pending.invocationId, r.id(), details, call.payload()));
  }

  /** Any thread (the callee's). */
  void yield(RouterSession callee, Yield yield) {
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

  /** The caller gives up on a call: it gets {@code wamp.error.canceled} now, and the callee's answer is dropped. */
  void cancel(RouterSession caller, Cancel cancel) {
    PendingCall pending = caller.calls().call(cancel.requestId());
    if (pending != null && pending.settle()) {
      pending.forget();
      caller.deliver(canceled(pending, "the caller canceled the call"));
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
        }
      }
    }
  }

  private static ErrorMessage canceled(PendingCall pending, String why) {
    return new ErrorMessage(
        MessageCodes.CALL, pending.callRequestId, Map.of(), WampErrors.CANCELED, Payload.of(List.of(why)));
  }
}
