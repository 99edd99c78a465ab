package dev.tollgate.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryNonceStoreTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void isBoundedAndForgetsExpiredClaims() {
    InMemoryNonceStore store = new InMemoryNonceStore(2);
    assertTrue(store.claim("a", T0.plusSeconds(10), T0, false));
    assertTrue(store.claim("b", T0.plusSeconds(10), T0, false));
    assertFalse(store.claim("c", T0.plusSeconds(10), T0, false), "full: fail closed");
    assertFalse(store.claim("a", T0.plusSeconds(10), T0.plusSeconds(5), false));
    assertTrue(store.claim("c", T0.plusSeconds(30), T0.plusSeconds(11), false), "expired claims make room");
    assertTrue(store.claim("a", T0.plusSeconds(30), T0.plusSeconds(11), false));
    assertEquals(2, store.size());
  }
}
