package dev.tollgate.router.internal.core;

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
  private final HashMap<Long, String> procedureById = new HashMap<>();

  Dealer(Ids.Sequence registrationIds, int maxRegistrationsPerSession) {
    this.registrationIds = registrationIds;
    this.maxRegistrationsPerSession = maxRegistrationsPerSession;
  }

  /** Owner only: adds the callee to the procedure's registration, or creates it; returns the registration id. */
  long register(RouterSession callee, String procedure, InvocationPolicy policy) {
    if (callee.registrations().size() >= maxRegistrationsPerSession) {
      throw new RequestErrorException(WampErrors.NOT_AUTHORIZED, "a session may hold at most "
          + maxRegistrationsPerSession + " registrations (limits.max-registrations-per-session)");
    }
    Registration current = byProcedure.get(procedure);
    Registration next;
    if (current == null) {
      next = new Registration(registrationIds.next(), policy, List.of(callee), new AtomicLong());
      procedureById.put(next.id(), procedure);
    } else if (current.policy() == InvocationPolicy.SINGLE || policy == InvocationPolicy.SINGLE) {
      throw new RequestErrorException(
          WampErrors.PROCEDURE_ALREADY_EXISTS, "procedure '" + procedure + "' is already registered");
    } else if (current.policy() != policy) {
      throw new RequestErrorException(WampErrors.PROCEDURE_EXISTS_WITH_DIFFERENT_INVOCATION_POLICY, "procedure '"
          + procedure + "' is registered with invocation policy '" + current.policy().wireName() + "', not '"
          + policy.wireName() + "'");
    } else if (current.callees().contains(callee)) {
      throw new RequestErrorException(
          WampErrors.PROCEDURE_ALREADY_EXISTS, "this session already registered procedure '" + procedure + "'");
    } else {
      next = current.with(callee);
    }
    byProcedure.put(procedure, next);
    callee.registrations().add(next.id());
    return next.id();
  }

  /** Owner only. */
  void unregister(RouterSession callee, long registrationId) {
    if (!callee.registrations().contains(registrationId) || !remove(callee, registrationId)) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_REGISTRATION, "no registration " + registrationId + " in this session");
    }
  }

  /** Owner only: takes the callee out of a registration, which ends with its last callee; false if not in it. */
  private boolean remove(RouterSession callee, long registrationId) {
    callee.registrations().remove(registrationId);
    String procedure = procedureById.get(registrationId);
    Registration current = procedure == null ? null : byProcedure.get(procedure);
    if (current == null || current.id() != registrationId) {
      return false;
    }
    Registration next = current.without(callee);
    if (next == current) {
      return false;
    }
    if (next == null) {
      byProcedure.remove(procedure);
      procedureById.remove(registrationId);
    } else {
      byProcedure.put(procedure, next);
    }
    return true;
  }

  /** Owner only: the session's registrations end (its calls are settled by {@link #settleCallsOf}). */
  void removeRegistrations(RouterSession session) {
    for (Long id : List.copyOf(session.registrations())) {
      remove(session, id);
    }
  }

  /** Any thread (the caller's): routes a CALL to a callee. */
  void call(RouterSession caller, Call call) {
    Registration r = byProcedure.get(call.procedure());
    if (r == null) {
      throw new RequestErrorException(
          WampErrors.NO_SUCH_PROCEDURE, "no callee registered procedure '" + call.procedure() + "'");
    }
    RouterSession callee = r.pick();
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
    callee.deliver(new Invocation(pending.invocationId, r.id(), details, call.payload()));
  }

  /** Any thread (the callee's). */
  void yield(RouterSession callee, Yield yield) {
    PendingCall pending = callee.calls().invocation(yield.requestId());
    // Canceled, or its caller left: the spec has the late answer dropped.
    if (pending != null && pending.settle()) {
      pending.forget();
      pending.caller.deliver(new Result(pending.callRequestId, Map.of(), yield.payload()));
    }
  }

  /** Any thread (the callee's). */
  void invocationFailed(RouterSession callee, ErrorMessage error) {
    PendingCall pending = callee.calls().invocation(error.requestId());
    if (pending != null && pending.settle()) {
      pending.forget();
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
