package dev.tollgate.client;

import java.util.concurrent.CompletableFuture;

/** A live subscription; it survives reconnection. */
public interface Subscription {
  String topic();

  /** Ends it; its handler gets no event after the future completes. */
  CompletableFuture<Void> unsubscribe();

  /**
   * Completes when the subscription ends: normally when unsubscribed, exceptionally with the router's refusal when the
   * client could not make it again after reconnecting (a rule changed while the client was away, say). The listener
   * hears of the latter too ({@link WampClient.Listener#onSubscriptionLost}).
   */
  CompletableFuture<Void> ended();
}
