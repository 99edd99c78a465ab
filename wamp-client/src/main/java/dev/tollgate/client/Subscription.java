package dev.tollgate.client;

import java.util.concurrent.CompletableFuture;

/** A live subscription; it survives reconnection. */
public interface Subscription {
  String topic();

  /** Ends it; its handler gets no event after the future completes. */
  CompletableFuture<Void> unsubscribe();
}
