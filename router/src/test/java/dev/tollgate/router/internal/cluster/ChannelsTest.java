package dev.tollgate.router.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tollgate.protocol.MatchPolicy;
import org.junit.jupiter.api.Test;

class ChannelsTest {

  @Test
  void anExactSubscriptionListensToItsTopicsChannelAsPublicationsAreSentOnIt() {
    assertEquals(Channels.ofTopic("realm1", "com.app.news"),
        Channels.ofSubscription("realm1", "com.app.news", MatchPolicy.EXACT));
    assertEquals("tollgate:event:realm1:oro/data/update", Channels.ofTopic("realm1", "oro/data/update"));
  }

  @Test
  void prefixAndWildcardSubscriptionsBecomeRedisPatterns() {
    assertEquals("tollgate:event:realm1:com.app*", Channels.ofSubscription("realm1", "com.app", MatchPolicy.PREFIX));
    assertEquals("tollgate:event:realm1:com.*.news",
        Channels.ofSubscription("realm1", "com..news", MatchPolicy.WILDCARD));
    assertEquals("tollgate:event:realm1:*.a.*", Channels.ofSubscription("realm1", ".a.", MatchPolicy.WILDCARD));
  }

  @Test
  void whatRedisPatternsTakeAsSpecialIsEscapedInTopicsUnderTheLooseRules() {
    assertEquals("tollgate:event:realm1:a\\*b\\?\\[c\\]\\\\*",
        Channels.ofSubscription("realm1", "a*b?[c]\\", MatchPolicy.PREFIX));
    assertEquals("tollgate:event:r\\*:x.*", Channels.ofSubscription("r*", "x.", MatchPolicy.WILDCARD));
  }
}
