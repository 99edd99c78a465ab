package dev.tollgate.client;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Result;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The caller's side of one session: the calls in flight, from CALL to the RESULT or ERROR that ends each, with their
 * progressive results, timeouts and cancels.
 *
 * <p>Each call's progressive results and its end run on one {@link SerialExecutor}, so a {@link Handlers.ProgressHandler}
 * has seen every progressive result before the future completes. A timeout is the router's to enforce where it
 * announces {@code call_timeout} (it then also interrupts the callee); the client's own timer fires only
 * {@link #GRACE_MILLIS} later, for a router that never answers. Where the router offers no call timeouts, the client's
 * timer is the timeout, and the call is canceled ({@code killnowait}) when it fires.
 */
final class OutgoingCalls {
  /** How much longer than the router the client waits before giving up on a call the router should have timed out. */
  static final long GRACE_MILLIS = 2_000;

  /** One call in flight. */
  final class Outgoing implements CallFuture.Canceler {
    final CallFuture future;
    final Options.Call options;
    final SerialExecutor order;
    volatile long id;
    /** When the client's timer gives up (System.nanoTime), pushed on by each progressive result; 0 for never. */
    volatile long deadline;

    Outgoing(Options.Call options, CallFuture future) {
      this.options = options;
      this.future = future;
      this.order = new SerialExecutor(core.executor);
    }

    @Override
    public boolean cancel(Options.CancelMode mode, boolean dropAnswer) {
      if (dropAnswer ? !inFlight.remove(id, this) : inFlight.get(id) != this) {
        return false;
      }
      if (!session.dealerOffers("call_canceling")) {
        // "If the callee does not support call canceling, then behavior is skip": with a router that cannot cancel,
        // the call is given up here and its answer dropped.
        inFlight.remove(id, this);
        fail(new ApplicationException("wamp.error.canceled", List.of("canceled by the caller"), Map.of()));
        return true;
      }
      session.send(new Cancel(id, Map.of("mode", mode.wireName())));
      return true;
    }

    void fail(Throwable cause) {
      order.execute(() -> future.completeExceptionally(cause));
    }
  }

  private final RealSession session;
  private final ClientCore core;
  private final Map<Long, Outgoing> inFlight = new ConcurrentHashMap<>();

  OutgoingCalls(RealSession session, ClientCore core) {
    this.session = session;
    this.core = core;
  }

  /** Makes a call that {@code future} answers: one CALL, or the first piece of a call sent in pieces ({@code progress}). */
  Outgoing start(String procedure, List<Object> args, Map<String, Object> kwargs, Options.Call options,
      boolean progress, CallFuture future) {
    Outgoing call = new Outgoing(options, future);
    Map<String, Object> wire = options.toMap(session.dealerOffers("call_timeout"));
    if (progress) {
      wire.put("progress", true);
    }
    session.sendRequest(id -> new Call(id, wire, procedure, Payload.of(args, kwargs)), id -> {
      call.id = id;
      inFlight.put(id, call);
    }).exceptionally(failure -> {
      if (call.id == 0 || inFlight.remove(call.id, call)) { // never sent, or lost on the way
        call.fail(failure);
      }
      return null;
    });
    if (session.ended()) {
      end(call, new ConnectionLostException("the session ended"));
    }
    call.future.bind(call);
    if (options.timeout() != null) {
      long millis = clientWaitMillis(options);
      call.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      watch(call, millis);
    }
    return call;
  }

  /** How long the client's own timer waits for a call with a timeout: the timeout, plus the grace where the router enforces it. */
  private long clientWaitMillis(Options.Call options) {
    return options.timeout().toMillis() + (session.dealerOffers("call_timeout") ? GRACE_MILLIS : 0);
  }

  /** A further piece of a call sent in pieces; false when the call has ended (the piece is not sent). */
  boolean piece(Outgoing call, String procedure, List<Object> args, Map<String, Object> kwargs, boolean last) {
    if (inFlight.get(call.id) != call) {
      return false;
    }
    Map<String, Object> options = new HashMap<>();
    if (!last) {
      options.put("progress", true);
    }
    session.send(new Call(call.id, options, procedure, Payload.of(core.values.args(args), core.values.kwargs(kwargs))));
    return true;
  }

  private void watch(Outgoing call, long millis) {
    core.schedule(() -> {
      if (inFlight.get(call.id) != call) {
        return;
      }
      long left = call.deadline - System.nanoTime();
      if (left > 0) {
        watch(call, TimeUnit.NANOSECONDS.toMillis(left) + 1);
        return;
      }
      if (inFlight.remove(call.id, call)) {
        call.fail(new ApplicationException("wamp.error.timeout",
            List.of("no result within " + call.options.timeout().toMillis() + " ms"), Map.of()));
        if (session.dealerOffers("call_canceling")) {
          session.send(new Cancel(call.id, Map.of("mode", "killnowait")));
        }
      }
    }, millis, TimeUnit.MILLISECONDS);
  }

  /** RESULT (the I/O thread): a progressive result goes to the call's progress handler, a final one ends the call. */
  void result(Result result) {
    Values values = new Values(result.payload().args(), result.payload().kwargs(), result.details(), core.values);
    if (values.isProgress()) {
      Outgoing call = inFlight.get(result.requestId());
      Handlers.ProgressHandler handler = call == null ? null : call.options.onProgress();
      if (handler != null) {
        if (call.deadline != 0) {
          call.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(clientWaitMillis(call.options));
        }
        call.order.execute(() -> {
          try {
            handler.onProgress(values);
          } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(OutgoingCalls.class).warn("progress handler failed", e);
          }
        });
      }
      return;
    }
    Outgoing call = inFlight.remove(result.requestId());
    if (call != null) {
      call.order.execute(() -> call.future.complete(values));
    }
  }

  /** ERROR for a CALL (the I/O thread). */
  void error(ErrorMessage error) {
    Outgoing call = inFlight.remove(error.requestId());
    if (call != null) {
      call.fail(new ApplicationException(error.error(), error.payload().args(), error.payload().kwargs()));
    }
  }

  /** The session ended: every call in flight fails with {@code cause}. */
  void endAll(ConnectionLostException cause) {
    for (Outgoing call : List.copyOf(inFlight.values())) {
      end(call, cause);
    }
  }

  private void end(Outgoing call, ConnectionLostException cause) {
    if (inFlight.remove(call.id, call)) {
      call.fail(cause);
    }
  }
}
