package dev.tollgate.client;

import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Yield;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callee's side of one session: the invocations in progress, from INVOCATION to the YIELD or ERROR that answers
 * each, with the INTERRUPTs and the further pieces that may come between.
 *
 * <p>Every invocation gets exactly one answer (after an INTERRUPT too: the client cannot know whether the mode makes
 * the router drop it, and a router that does ignores it). A call sent in pieces may be answered before its last
 * piece; its id is remembered until that piece comes, so that the pieces still on their way are dropped: "it MUST
 * ignore and discard that INVOCATION message without any further correlated response". Not every router numbers
 * invocations in sequence (fox-wamp does not), so the id's place in a sequence cannot tell this.
 */
final class Invocations {
  private static final Logger LOG = LoggerFactory.getLogger(Invocations.class);

  /** One invocation from its INVOCATION to its answer. */
  private final class Running {
    final long id;
    final String procedure;
    /** Completed once, by the handler, a failing input handler, or an INTERRUPT; its completion sends the answer. */
    final CompletableFuture<Object> outcome = new CompletableFuture<>();
    volatile Invocation invocation;
    /** Whether more pieces of the call are to come: set on the I/O thread, read as the answer leaves. */
    volatile boolean streaming;
    /** The stage the handler returned, which an INTERRUPT cancels so that the handler can stop. */
    volatile CompletableFuture<?> handlerStage;

    Running(long id, String procedure) {
      this.id = id;
      this.procedure = procedure;
    }
  }

  private final RealSession session;
  private final ClientCore core;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  /**
   * Calls sent in pieces that were answered before their last piece came, oldest first; bounded, so that a caller
   * that never sends its last piece costs nothing lasting.
   */
  private final Map<Long, Boolean> answeredEarly = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
          return size() > MAX_ANSWERED_EARLY;
        }
      });
  static final int MAX_ANSWERED_EARLY = 1024;

  Invocations(RealSession session, ClientCore core) {
    this.session = session;
    this.core = core;
  }

  /** INVOCATION (the I/O thread): a new call, or a further piece of one sent in pieces. */
  void invoke(dev.tollgate.protocol.Invocation message) {
    long id = message.requestId();
    Values values = new Values(message.payload().args(), message.payload().kwargs(), message.details(), core.values);
    Running known = running.get(id);
    if (known != null) {
      if (known.streaming) {
        known.streaming = values.isProgress();
        known.invocation.piece(values);
      }
      return; // else the router reused the id of a call in progress: nothing sensible to do with it
    }
    if (answeredEarly.containsKey(id)) {
      if (!values.isProgress()) {
        answeredEarly.remove(id); // the last piece: nothing more comes under this id
      }
      return; // a piece of a call already answered: discarded, as the spec says
    }
    ClientCore.LocalRegistration registration = null;
    for (ClientCore.LocalRegistration r : core.registrations) {
      if (r.routerId == message.registrationId()) {
        registration = r;
      }
    }
    if (registration == null) {
      session.send(new ErrorMessage(MessageCodes.INVOCATION, id, Map.of(), "wamp.error.no_such_registration",
          Payload.EMPTY));
      return;
    }
    Running r = new Running(id, registration.procedure);
    r.streaming = values.isProgress();
    r.invocation = new Invocation(values, (args, kwargs) -> progress(r, args, kwargs), core.executor,
        r.outcome::completeExceptionally);
    running.put(id, r);
    r.outcome.whenComplete((value, failure) -> answer(r, value, failure));
    Handlers.ProgressiveInvocationHandler handler = registration.handler;
    core.executor.execute(() -> start(r, handler));
  }

  private static void start(Running r, Handlers.ProgressiveInvocationHandler handler) {
    if (r.outcome.isDone()) {
      return; // interrupted before it started
    }
    try {
      Object value = handler.onInvocation(r.invocation);
      if (value instanceof CompletionStage<?> stage) {
        CompletableFuture<?> handlerStage = stage.toCompletableFuture();
        r.handlerStage = handlerStage;
        handlerStage.whenComplete((v, failure) -> {
          if (failure != null) {
            r.outcome.completeExceptionally(failure);
          } else {
            r.outcome.complete(v);
          }
        });
        if (r.outcome.isDone()) {
          handlerStage.cancel(true); // interrupted while the handler was starting
        }
      } else {
        r.outcome.complete(value);
      }
    } catch (Exception e) {
      r.outcome.completeExceptionally(e);
    }
  }

  private boolean progress(Running r, List<?> args, Map<String, ?> kwargs) {
    if (r.outcome.isDone()) {
      return false;
    }
    session.send(new Yield(r.id, Map.of("progress", true), Payload.of(core.values.args(args), core.values.kwargs(kwargs))));
    return true;
  }

  /**
   * INTERRUPT: the router canceled the call (its caller canceled it, left, or timed out). The handler's stage is
   * canceled so that it can stop, and the call is answered {@code wamp.error.canceled}.
   */
  void interrupt(long id) {
    Running r = running.get(id);
    if (r == null) {
      return;
    }
    r.outcome.completeExceptionally(new CancellationException("interrupted"));
    CompletableFuture<?> handlerStage = r.handlerStage;
    if (handlerStage != null) {
      handlerStage.cancel(true);
    }
  }

  private void answer(Running r, Object value, Throwable failure) {
    if (r.streaming) {
      answeredEarly.put(r.id, Boolean.TRUE);
    }
    running.remove(r.id, r);
    try {
      session.send(reply(r.id, value, failure));
    } catch (RuntimeException cannotEncode) {
      // The caller must get an answer, never silence: a result WAMP cannot carry is the handler's error.
      LOG.warn("the result of {} cannot be sent: {}", r.procedure, cannotEncode.getMessage());
      session.send(new ErrorMessage(MessageCodes.INVOCATION, r.id, Map.of(), "wamp.error.runtime_error",
          Payload.of(List.of("the result cannot be encoded: " + cannotEncode.getMessage()))));
    }
  }

  /** The answer; values go through the client's mapper, which throws for one Jackson cannot write. */
  private WampMessage reply(long invocation, Object value, Throwable failure) {
    ValueMapper mapper = core.values;
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof CancellationException) {
        return new ErrorMessage(MessageCodes.INVOCATION, invocation, Map.of(), "wamp.error.canceled",
            Payload.of(List.of("interrupted")));
      }
      if (cause instanceof ApplicationException a) {
        return new ErrorMessage(MessageCodes.INVOCATION, invocation, Map.of(), a.uri(),
            Payload.of(mapper.args(a.args()), mapper.kwargs(a.kwargs())));
      }
      return new ErrorMessage(MessageCodes.INVOCATION, invocation, Map.of(), "wamp.error.runtime_error",
          Payload.of(List.of(String.valueOf(cause.getMessage()))));
    }
    if (value instanceof Values v) {
      return new Yield(invocation, Map.of(), Payload.of(mapper.args(v.args()), mapper.kwargs(v.kwargs())));
    }
    return new Yield(invocation, Map.of(),
        value == null ? Payload.EMPTY : Payload.of(Collections.singletonList(mapper.wire(value))));
  }

  /** The session ended: handlers still running are canceled; their answers have nowhere to go. */
  void endAll() {
    for (Running r : List.copyOf(running.values())) {
      running.remove(r.id);
      CompletableFuture<?> handlerStage = r.handlerStage;
      if (handlerStage != null) {
        handlerStage.cancel(true);
      }
    }
  }
}
