package dev.tollgate.client;

import java.util.concurrent.CompletableFuture;

/** A live registration; it survives reconnection. */
public interface Registration {
  String procedure();

  /** Withdraws it. */
  CompletableFuture<Void> unregister();

  /**
   * Completes when the registration ends: normally when unregistered, exceptionally with the router's refusal when the
   * client could not register it again after reconnecting (another callee took the procedure meanwhile, say). The
   * listener hears of the latter too ({@link WampClient.Listener#onRegistrationLost}).
   */
  CompletableFuture<Void> ended();
}
