package dev.tollgate.router.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.auth.internal.InMemoryNonceStore;
import dev.tollgate.router.LocalRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The used tickets in a real Redis, as two nodes see them: each store has its own connection and node name, as each
 * node has. The Redis stop runs in its own test with its own server.
 */
class RedisNonceStoreTest {
  private static final Instant T0 = Instant.now();
  private static final Duration GRACE = Duration.ofSeconds(60);
  private static LocalRedis redis;
  private static RedisClient client;
  private static RedisNonceStore nodeA;
  private static RedisNonceStore nodeB;

  @BeforeAll
  static void start() throws Exception {
    redis = LocalRedis.start();
    client = RedisClient.create(redis.url());
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    // Live nodes have their heartbeat key (Nodes sets it every second; here it stays).
    redis.command("SET tollgate:node:1001 a");
    redis.command("SET tollgate:node:1002 b");
    nodeA = new RedisNonceStore(client.connect(), 1001, "a", GRACE);
    nodeB = new RedisNonceStore(client.connect(), 1002, "b", GRACE);
  }

  @AfterAll
  static void stop() throws Exception {
    client.shutdown();
    redis.close();
  }

  @Test
  void aTicketClaimedByOneNodeIsTakenForEveryNode() {
    assertTrue(nodeA.claim("user;n1;t", T0.plusSeconds(300), T0, false));
    assertFalse(nodeB.claim("user;n1;t", T0.plusSeconds(300), T0, false));
    assertFalse(nodeA.claim("user;n1;t", T0.plusSeconds(300), T0, false));
    assertTrue(nodeB.isSpent("user;n1;t", T0));
    nodeA.release("user;n1;t", T0.plusSeconds(60));
    assertTrue(nodeB.isSpent("user;n1;t", T0.plusSeconds(1)), "a user's ticket stays spent once its session ended");
    assertFalse(nodeB.isReleased("user;n1;t", T0.plusSeconds(1)));
    assertTrue(nodeB.claim("user;n1;t", T0.plusSeconds(900), T0.plusSeconds(301), false),
        "forgotten once expired (the verifier refuses such an old ticket anyway)");
  }

  @Test
  void aBackendTicketMayComeBackOnAnyNodeWithinTheGraceOnceItsSessionEnded() {
    String key = "anonymous;n2;t";
    assertTrue(nodeA.claim(key, T0.plusSeconds(300), T0, true));
    assertFalse(nodeB.claim(key, T0.plusSeconds(300), T0, true), "held by a session on node a");
    assertTrue(nodeB.isSpent(key, T0.plusSeconds(400)), "held past its lifetime: it stays taken");
    nodeA.release(key, T0.plusSeconds(460));
    assertTrue(nodeB.isReleased(key, T0.plusSeconds(450)));
    assertTrue(nodeB.claim(key, T0.plusSeconds(300), T0.plusSeconds(450), true), "the publisher reconnects to b");
    assertFalse(nodeA.claim(key, T0.plusSeconds(300), T0.plusSeconds(451), true), "and holds it there");
  }

  @Test
  void aRestartedNodeReleasesItsOwnHeldClaimsAndNoOtherNodes() {
    assertTrue(nodeA.claim("anonymous;n3;t", T0.plusSeconds(300), T0, true));
    assertTrue(nodeB.claim("anonymous;n4;t", T0.plusSeconds(300), T0, true));
    nodeA.releaseAll(T0.plusSeconds(60));
    assertTrue(nodeB.isReleased("anonymous;n3;t", T0.plusSeconds(10)), "a's sessions ended with its last run");
    assertTrue(nodeA.isSpent("anonymous;n4;t", T0.plusSeconds(10)), "b's session still holds its ticket");
  }

  @Test
  void aBackendTicketHeldByANodeThatDiedMayComeBackOnAnotherWithinTheGrace() {
    redis.command("SET tollgate:node:1003 c");
    RedisNonceStore nodeC = new RedisNonceStore(client.connect(), 1003, "c", GRACE);
    String key = "anonymous;n5;t";
    assertTrue(nodeC.claim(key, T0.plusSeconds(300), T0, true));
    assertFalse(nodeB.claim(key, T0.plusSeconds(300), T0.plusSeconds(400), true), "its holder lives");
    redis.command("DEL tollgate:node:1003"); // node c was killed: its heartbeat expired
    assertTrue(nodeB.isReleased(key, T0.plusSeconds(400)), "released as of the first look after the holder died");
    assertTrue(nodeB.claim(key, T0.plusSeconds(300), T0.plusSeconds(401), true), "the publisher reconnects to b");
    assertFalse(nodeA.claim(key, T0.plusSeconds(300), T0.plusSeconds(402), true), "and holds it there");
    String user = "user;n6;t";
    redis.command("SET tollgate:node:1003 c");
    assertTrue(nodeC.claim(user, T0.plusSeconds(300), T0, false));
    redis.command("DEL tollgate:node:1003");
    assertTrue(nodeB.isSpent(user, T0.plusSeconds(10)), "a user's ticket stays spent whoever held it");
  }

  @Test
  void theTicketItselfIsNotStored() {
    assertTrue(nodeA.claim("alice;secret-nonce;2026", T0.plusSeconds(300), T0, false));
    String keys = redis.command("KEYS *secret-nonce*");
    assertTrue(keys.equals("*0"), "no key names the ticket: " + keys);
    assertTrue(redis.command("EXISTS " + RedisNonceStore.redisKey("alice;secret-nonce;2026")).equals(":1"));
  }

  @Test
  void whenRedisIsAwayAClaimFailsOrFallsBackToTheNodesOwnStoreAsConfigured() throws Exception {
    try (LocalRedis own = LocalRedis.start()) {
      RedisClient c = RedisClient.create(own.url());
      c.setOptions(ClientOptions.builder()
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .timeoutOptions(io.lettuce.core.TimeoutOptions.enabled(java.time.Duration.ofSeconds(1))).build());
      try (StatefulRedisConnection<String, String> connection = c.connect()) {
        RedisNonceStore shared = new RedisNonceStore(connection, 1001, "a", GRACE);
        FallbackNonceStore fallback = new FallbackNonceStore(shared, new InMemoryNonceStore(100));
        own.down();
        assertThrows(RedisException.class, () -> shared.claim("k;1;t", T0.plusSeconds(300), T0, false),
            "fail closed: the caller answers 503");
        assertTrue(fallback.claim("k;1;t", T0.plusSeconds(300), T0, false), "local: this node's own store");
        assertFalse(fallback.claim("k;1;t", T0.plusSeconds(300), T0, false), "which refuses a replay on this node");
      } finally {
        c.shutdown();
      }
    }
  }
}
