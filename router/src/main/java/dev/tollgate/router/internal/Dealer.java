package dev.tollgate.router.internal;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.WampErrors;
import dev.tollgate.protocol.Yield;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routed RPC for one realm. The procedure table changes by atomic per-key updates; a call reads it without a lock.
 *
 * <p>A call in flight is one {@link PendingCall}, held twice: by the caller (under its request id) and by the callee
 * (under the invocation id). Whoever removes it from the callee's map first answers it, exactly once: the YIELD, the
 * callee's ERROR, the caller's CANCEL, or the callee leaving, which answers {@code wamp.error.canceled} at once.
 */
final class Dealer {
  /** One call between its CALL and its answer. */
  record PendingCall(RouterSession caller, long callRequestId, RouterSession callee, long invocationId) {}

  /** A procedure and the one session that provides it. */
  record Registration(long id, String procedure, RouterSession callee) {}

  private final Ids.Sequence registrationIds;
  private final int maxRegistrationsPerSession;
  private final ConcurrentHashMap<String, Registration> byProcedure = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Registration> byId = new ConcurrentHashMap<>();

  Dealer(Ids.Sequence registrationIds, int maxRegistrationsPerSession) {
    this.registrationIds = registrationIds;
    this.maxRegistrationsPerSession = maxRegistrationsPerSession;
  }

  long register(RouterSession callee, String procedure) {
    if (callee.registrations.size() >= maxRegistrationsPerSession) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED, "a session may hold at most "
          + maxRegistrationsPerSession + " registrations (limits.max-registrations-per-session)");
    }
    Registration fresh = new Registration(registrationIds.next(), procedure, callee);
    Registration existing = byProcedure.putIfAbsent(procedure, fresh);
    if (existing != null) {
      throw new RequestErrorException(
          WampErrors.PROCEDURE_ALREADY_EXISTS, "procedure '" + procedure + "' is already registered");
    }
    byId.put(fresh.id(), fresh);
    callee.registrations.add(fresh.id());
    if (callee.isGone()) {
      remove(fresh);
    }
    return fresh.id();
  }

  void unregister(RouterSession callee, long registrationId) {
    Registration r = byId.get(registrationId);
    if (r == null || r.callee() != callee) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_REGISTRATION, "no registration " + registrationId + " in this session");
    }
    remove(r);
  }

  private void remove(Registration r) {
    byProcedure.remove(r.procedure(), r);
    byId.remove(r.id(), r);
    r.callee().registrations.remove(r.id());
  }

  void call(RouterSession caller, Call call) {
    Registration r = byProcedure.get(call.procedure());
    if (r == null) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_PROCEDURE, "no callee registered procedure '" + call.procedure() + "'");
    }
    RouterSession callee = r.callee();
    PendingCall pending = new PendingCall(caller, call.requestId(), callee, callee.invocationIds.next());
    if (caller.callsInFlight.putIfAbsent(call.requestId(), pending) != null) {
      caller.protocolViolation("CALL request id " + call.requestId() + " is already in flight");
      return;
    }
    callee.invocationsInFlight.put(pending.invocationId(), pending);
    if (callee.isGone() && callee.invocationsInFlight.remove(pending.invocationId(), pending)) {
      caller.callsInFlight.remove(call.requestId(), pending);
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
    callee.connection().send(new Invocation(pending.invocationId(), r.id(), details, call.payload()));
  }

  void yield(RouterSession callee, Yield yield) {
    PendingCall pending = callee.invocationsInFlight.remove(yield.requestId());
    if (pending == null) {
      return; // canceled, or its caller left: the spec has the late answer dropped
    }
    if (pending.caller().callsInFlight.remove(pending.callRequestId(), pending)) {
      pending.caller().connection().send(new Result(pending.callRequestId(), Map.of(), yield.payload()));
    }
  }

  void invocationFailed(RouterSession callee, ErrorMessage error) {
    PendingCall pending = callee.invocationsInFlight.remove(error.requestId());
    if (pending == null) {
      return;
    }
    if (pending.caller().callsInFlight.remove(pending.callRequestId(), pending)) {
      pending.caller().connection().send(new ErrorMessage(
          MessageCodes.CALL, pending.callRequestId(), error.details(), error.error(), error.payload()));
    }
  }

  /** The caller gives up on a call: it gets {@code wamp.error.canceled} now, and the callee's answer is dropped. */
  void cancel(RouterSession caller, Cancel cancel) {
    PendingCall pending = caller.callsInFlight.get(cancel.requestId());
    if (pending != null && pending.callee().invocationsInFlight.remove(pending.invocationId(), pending)) {
      caller.callsInFlight.remove(cancel.requestId(), pending);
      caller.connection().send(canceled(pending, "the caller canceled the call"));
    }
  }

  /** A session leaves: its registrations end, calls it was to answer fail at once, its own calls are forgotten. */
  void removeSession(RouterSession session) {
    for (Long id : List.copyOf(session.registrations)) {
      Registration r = byId.get(id);
      if (r != null) {
        remove(r);
      }
    }
    for (PendingCall pending : List.copyOf(session.invocationsInFlight.values())) {
      if (session.invocationsInFlight.remove(pending.invocationId(), pending)
          && pending.caller().callsInFlight.remove(pending.callRequestId(), pending)) {
        pending.caller().connection().send(canceled(pending, "the callee left before answering"));
      }
    }
    for (PendingCall pending : List.copyOf(session.callsInFlight.values())) {
      session.callsInFlight.remove(pending.callRequestId(), pending);
      pending.callee().invocationsInFlight.remove(pending.invocationId(), pending);
    }
  }

  private static ErrorMessage canceled(PendingCall pending, String why) {
    return new ErrorMessage(
        MessageCodes.CALL, pending.callRequestId(), Map.of(), WampErrors.CANCELED, Payload.of(List.of(why)));
  }

  int registrationCount() {
    return byId.size();
  }
}
