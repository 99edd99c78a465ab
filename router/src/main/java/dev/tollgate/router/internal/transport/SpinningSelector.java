package dev.tollgate.router.internal.transport;

import java.io.IOException;
import java.nio.channels.Selector;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;

/**
 * Jetty's selector, which after handling ready connections polls for a short while before it sleeps.
 *
 * <p>Why: WebSocket connections are read and answered on the selector's thread ({@link TollgateEndPoint}), so a call's
 * round trip through an idle router is the selector going to sleep in {@code epoll_wait} and being woken, twice; on
 * this kind of machine (a VM, two cores) that sleeping and waking was most of the router's part of the round trip
 * (78 % of its samples in the kernel, most of them in the scheduler). The answer to a message often comes back within
 * tens of microseconds (a callee's YIELD, a caller's next CALL), so the selector polls ({@code selectNow}) for up to
 * {@code server.selector-spin-micros} after the connections it handled before it blocks. An idle router never polls:
 * it blocks as before. A router under load finds connections ready at each poll. Traffic with longer gaps soon stops
 * the polling (each poll that finds nothing halves the next), and a sleep that ends soon after it began restores it.
 *
 * <p>No wake-up is lost: a poll that finds nothing returns 0 to Jetty's loop, which then applies the updates submitted
 * meanwhile (whose {@code wakeup()} the poll may have consumed) before it selects again; a call here either polls or
 * blocks, never both.
 */
final class SpinningSelector extends ManagedSelector {
  private final long maxSpinNanos;
  // Selector thread only:
  /** How long to poll after handling connections now: halved by each poll that finds nothing, down to none. */
  private long spinNanos;
  /** Whether the last selection found connections, so that the next one starts a poll. */
  private boolean handled;
  /** Whether a poll is under way, and until when. */
  private boolean polling;
  private long pollUntil;

  SpinningSelector(SelectorManager manager, int id, long maxSpinNanos) {
    super(manager, id);
    this.maxSpinNanos = maxSpinNanos;
    this.spinNanos = maxSpinNanos;
  }

  @Override
  protected int nioSelect(Selector selector, boolean now) throws IOException {
    if (now) {
      return selector.selectNow();
    }
    long time = System.nanoTime();
    if (handled && spinNanos > 0) {
      // measured from the end of the handling, which ran between the last selection and this one
      polling = true;
      pollUntil = time + spinNanos;
    }
    int ready;
    if (polling && time - pollUntil < 0) {
      ready = selector.selectNow();
      if (ready == 0) {
        Thread.onSpinWait();
      }
    } else {
      if (polling) {
        // Nothing came while polling: poll half as long next time. Traffic whose gaps are longer than the longest
        // poll stops polling within a few messages, so a router that is merely busy does not burn a core for nothing.
        polling = false;
        spinNanos = spinNanos > 1000 ? spinNanos / 2 : 0;
      }
      ready = selector.select();
      if (ready > 0 && System.nanoTime() - time < maxSpinNanos) {
        // It came soon after the sleep began: a poll would have caught it without the sleep and the wake-up.
        spinNanos = maxSpinNanos;
      }
    }
    handled = ready > 0;
    return ready;
  }
}
