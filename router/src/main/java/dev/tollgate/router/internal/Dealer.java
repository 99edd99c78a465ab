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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Routed RPC for one realm. The procedure table changes by atomic per-key updates; a call reads it without a lock.
 *
 * <p>A procedure has one registration, with one callee or, when registered with a shared invocation policy
 * ({@code roundrobin}, {@code random}, {@code first}, {@code last}), several, all under the same registration id;
 * each call picks one callee by that policy.
 *
 * <p>A call in flight is one {@link PendingCall}, held twice: by the caller (under its request id) and by the callee
 * (under the invocation id). Whoever removes it from the callee's map first answers it, exactly once: the YIELD, the
 * callee's ERROR, the caller's CANCEL, or the callee leaving, which answers {@code wamp.error.canceled} at once.
 */
final class Dealer {
  /** One call between its CALL and its answer. */
  record PendingCall(RouterSession caller, long callRequestId, RouterSession callee, long invocationId) {}

  /** How a call picks among the callees of a shared registration (Advanced Profile, shared registration). */
  enum InvocationPolicy {
    SINGLE, ROUNDROBIN, RANDOM, FIRST, LAST;

    /** The policy a REGISTER's {@code invoke} option names (the codec has checked it is one); absent means single. */
    static InvocationPolicy of(Object invoke) {
      return invoke == null ? SINGLE : valueOf(((String) invoke).toUpperCase(java.util.Locale.ROOT));
    }

    String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The sessions that provide one procedure, in the order they registered; immutable, replaced on change. The
   * round-robin position is shared by all versions of one registration.
   */
  record Registration(long id, InvocationPolicy policy, List<RouterSession> callees, AtomicLong turn) {

    Registration with(RouterSession callee) {
      List<RouterSession> more = new ArrayList<>(callees.size() + 1);
      more.addAll(callees);
      more.add(callee);
      return new Registration(id, policy, List.copyOf(more), turn);
    }

    /** Without that callee; null when none is left, the same registration when it was not in it. */
    Registration without(RouterSession callee) {
      if (!callees.contains(callee)) {
        return this;
      }
      List<RouterSession> fewer = new ArrayList<>(callees);
      fewer.remove(callee);
      return fewer.isEmpty() ? null : new Registration(id, policy, List.copyOf(fewer), turn);
    }

    RouterSession pick() {
      int n = callees.size();
      return switch (policy) {
        case SINGLE, FIRST -> callees.get(0);
        case LAST -> callees.get(n - 1);
        case ROUNDROBIN -> callees.get((int) Math.floorMod(turn.getAndIncrement(), (long) n));
        case RANDOM -> callees.get(ThreadLocalRandom.current().nextInt(n));
      };
    }
  }

  private final Ids.Sequence registrationIds;
  private final int maxRegistrationsPerSession;
  private final ConcurrentHashMap<String, Registration> byProcedure = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, String> procedureById = new ConcurrentHashMap<>();

  Dealer(Ids.Sequence registrationIds, int maxRegistrationsPerSession) {
    this.registrationIds = registrationIds;
    this.maxRegistrationsPerSession = maxRegistrationsPerSession;
  }

  /** Adds the callee to the procedure's registration, or creates it; returns the registration id. */
  long register(RouterSession callee, String procedure, InvocationPolicy policy) {
    if (callee.registrations.size() >= maxRegistrationsPerSession) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED, "a session may hold at most "
          + maxRegistrationsPerSession + " registrations (limits.max-registrations-per-session)");
    }
    Registration updated = byProcedure.compute(procedure, (p, current) -> {
      if (current == null) {
        Registration fresh = new Registration(registrationIds.next(), policy, List.of(callee), new AtomicLong());
        procedureById.put(fresh.id(), p);
        return fresh;
      }
      if (current.policy() == InvocationPolicy.SINGLE || policy == InvocationPolicy.SINGLE) {
        throw new RequestErrorException(
            WampErrors.PROCEDURE_ALREADY_EXISTS, "procedure '" + p + "' is already registered");
      }
      if (current.policy() != policy) {
        throw new RequestErrorException(WampErrors.PROCEDURE_EXISTS_WITH_DIFFERENT_INVOCATION_POLICY, "procedure '"
            + p + "' is registered with invocation policy '" + current.policy().wireName() + "', not '"
            + policy.wireName() + "'");
      }
      if (current.callees().contains(callee)) {
        throw new RequestErrorException(
            WampErrors.PROCEDURE_ALREADY_EXISTS, "this session already registered procedure '" + p + "'");
      }
      return current.with(callee);
    });
    callee.registrations.add(updated.id());
    if (callee.isGone()) {
      remove(callee, updated.id());
    }
    return updated.id();
  }

  void unregister(RouterSession callee, long registrationId) {
    if (!callee.registrations.contains(registrationId) || !remove(callee, registrationId)) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_REGISTRATION, "no registration " + registrationId + " in this session");
    }
  }

  /** Takes the callee out of a registration, which ends with its last callee; false if it was not in it. */
  private boolean remove(RouterSession callee, long registrationId) {
    callee.registrations.remove(registrationId);
    String procedure = procedureById.get(registrationId);
    if (procedure == null) {
      return false;
    }
    boolean[] removed = new boolean[1];
    byProcedure.computeIfPresent(procedure, (p, current) -> {
      if (current.id() != registrationId) {
        return current;
      }
      Registration next = current.without(callee);
      removed[0] = next != current;
      if (next == null) {
        procedureById.remove(registrationId);
      }
      return next;
    });
    return removed[0];
  }

  void call(RouterSession caller, Call call) {
    Registration r = byProcedure.get(call.procedure());
    if (r == null) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_PROCEDURE, "no callee registered procedure '" + call.procedure() + "'");
    }
    RouterSession callee = r.pick();
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
    if (pending.caller().callsInFlight.remove(pending.callRequestId(), pending) && !pending.caller().isGone()) {
      pending.caller().connection().send(new Result(pending.callRequestId(), Map.of(), yield.payload()));
    }
  }

  void invocationFailed(RouterSession callee, ErrorMessage error) {
    PendingCall pending = callee.invocationsInFlight.remove(error.requestId());
    if (pending == null) {
      return;
    }
    if (pending.caller().callsInFlight.remove(pending.callRequestId(), pending) && !pending.caller().isGone()) {
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
      remove(session, id);
    }
    for (PendingCall pending : List.copyOf(session.invocationsInFlight.values())) {
      if (session.invocationsInFlight.remove(pending.invocationId(), pending)
          && pending.caller().callsInFlight.remove(pending.callRequestId(), pending) && !pending.caller().isGone()) {
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
    return procedureById.size();
  }
}
