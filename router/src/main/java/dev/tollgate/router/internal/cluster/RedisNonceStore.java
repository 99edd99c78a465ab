package dev.tollgate.router.internal.cluster;

import dev.tollgate.auth.NonceStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The used tickets of every node in Redis, so that a ticket accepted by one node is refused by all: each claim is one
 * key, {@code tollgate:ticket:<SHA-256 of the ticket's key>} (the ticket itself is never stored), changed by one Lua
 * script at a time, which makes a claim atomic across nodes as {@code SET NX} would, with the reusable claims of
 * backend tickets ({@link NonceStore}) on top.
 *
 * <p>A key holds {@code held:reusable:expiry:instance:node}; it expires in Redis a while after its claim does (by
 * Redis's clock, so with a margin for clocks that differ), except while a session holds a reusable claim, which must
 * outlive the ticket. Which node holds a claim lets a restarted node release its own claims and no other's; which run
 * of it ({@code instance}, whose heartbeat key {@code tollgate:node:<instance>} lives while it does) lets the others
 * take a claim whose holder died as released from then on: Oro's backend publisher, cut off by a node killed under
 * it, reconnects to another node with the ticket it has, within {@code auth.backend-reconnect-grace}.
 *
 * <p>When Redis cannot be reached, every method throws: a ticket login then fails as "try again" (fail closed),
 * unless {@code cluster.tickets-when-redis-down=local} (see {@link FallbackNonceStore}).
 */
final class RedisNonceStore implements NonceStore {
  static final String PREFIX = "tollgate:ticket:";
  /** Kept past a claim's expiry, for Redis's clock being behind this node's. */
  private static final long MARGIN_SECONDS = 600;

  /**
   * The state of a claim, read through {@code adopt}: a held reusable claim whose holder is gone counts (and is
   * stored) as released at {@code now}, claimable again for {@code grace} seconds.
   */
  private static final String STATE = """
      local function state(v)
        local held, reusable, expiry, instance, node = string.match(v, '^(%d):(%d):(%d+):(%d+):(.*)$')
        return held == '1', reusable == '1', tonumber(expiry), instance, node
      end
      local function put(held, reusable, expiry, instance, node)
        local value = (held and '1' or '0') .. ':' .. (reusable and '1' or '0') .. ':' .. expiry .. ':' .. instance
            .. ':' .. node
        if held and reusable then
          redis.call('SET', KEYS[1], value)
        else
          redis.call('SET', KEYS[1], value, 'EXAT', expiry + MARGIN)
        end
      end
      local function adopt(v, now, grace)
        local held, reusable, expiry, instance, node = state(v)
        if held and reusable and redis.call('EXISTS', 'tollgate:node:' .. instance) == 0 then
          expiry = math.max(expiry, now + grace)
          put(false, true, expiry, instance, node)
          held = false
        end
        return held, reusable, expiry, instance, node
      end
      """.replace("MARGIN", Long.toString(MARGIN_SECONDS));

  /** ARGV: expiry, now, reusable (0/1), instance, node, grace. 1 when claimed. */
  private static final String CLAIM = STATE + """
      local expiry, now, reusable = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1'
      local v = redis.call('GET', KEYS[1])
      if not v then put(true, reusable, expiry, ARGV[4], ARGV[5]) return 1 end
      local held, wasReusable, was = adopt(v, now, tonumber(ARGV[6]))
      if was < now and not (held and wasReusable) then put(true, reusable, expiry, ARGV[4], ARGV[5]) return 1 end
      if wasReusable and not held and was >= now then
        put(true, reusable, math.max(was, expiry), ARGV[4], ARGV[5]) return 1
      end
      return 0
      """;

  /** ARGV: now, grace. 2 when released and claimable again, 1 when taken, 0 when free. */
  private static final String INSPECT = STATE + """
      local now = tonumber(ARGV[1])
      local v = redis.call('GET', KEYS[1])
      if not v then return 0 end
      local held, reusable, expiry = adopt(v, now, tonumber(ARGV[2]))
      if reusable and not held and expiry >= now then return 2 end
      if expiry < now and not (held and reusable) then return 0 end
      return 1
      """;

  /** ARGV: reusable until, node ('' for any). 1 when released. */
  private static final String RELEASE = STATE + """
      local v = redis.call('GET', KEYS[1])
      if not v then return 0 end
      local held, reusable, expiry, instance, node = state(v)
      if ARGV[2] ~= '' and (node ~= ARGV[2] or not held) then return 0 end
      if reusable then expiry = math.max(expiry, tonumber(ARGV[1])) end
      put(false, reusable, expiry, instance, node)
      return 1
      """;

  private final RedisCommands<String, String> redis;
  private final String instance;
  private final String node;
  private final String graceSeconds;

  /**
   * @param instance this run of this node (its heartbeat key's id)
   * @param node this node's name
   * @param grace how long a backend ticket whose session ended may come back ({@code auth.backend-reconnect-grace})
   */
  RedisNonceStore(StatefulRedisConnection<String, String> connection, long instance, String node,
      java.time.Duration grace) {
    this.redis = connection.sync();
    this.instance = Long.toString(instance);
    this.node = node;
    this.graceSeconds = Long.toString(grace.toSeconds());
  }

  @Override
  public boolean claim(String key, Instant expiresAt, Instant now, boolean reusable) {
    Long claimed = redis.eval(CLAIM, ScriptOutputType.INTEGER, new String[] {redisKey(key)},
        Long.toString(expiresAt.getEpochSecond()), Long.toString(now.getEpochSecond()), reusable ? "1" : "0", instance,
        node, graceSeconds);
    return claimed == 1;
  }

  @Override
  public boolean isSpent(String key, Instant now) {
    return inspect(key, now) == 1;
  }

  @Override
  public boolean isReleased(String key, Instant now) {
    return inspect(key, now) == 2;
  }

  private long inspect(String key, Instant now) {
    Long state = redis.eval(INSPECT, ScriptOutputType.INTEGER, new String[] {redisKey(key)},
        Long.toString(now.getEpochSecond()), graceSeconds);
    return state;
  }

  @Override
  public void release(String key, Instant reusableUntil) {
    redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {redisKey(key)},
        Long.toString(reusableUntil.getEpochSecond()), "");
  }

  /** Only this node's claims: the other nodes' sessions still hold theirs. */
  @Override
  public void releaseAll(Instant reusableUntil) {
    ScanArgs match = ScanArgs.Builder.matches(PREFIX + "*").limit(1000);
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = redis.scan(cursor, match);
      for (String k : page.getKeys()) {
        redis.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {k},
            Long.toString(reusableUntil.getEpochSecond()), node);
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  static String redisKey(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
