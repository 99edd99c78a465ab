package dev.tollgate.client;

import java.util.concurrent.CompletableFuture;

/** A live registration; it survives reconnection. */
public interface Registration {
  String procedure();

  /** Withdraws it. */
  CompletableFuture<Void> unregister();
}
