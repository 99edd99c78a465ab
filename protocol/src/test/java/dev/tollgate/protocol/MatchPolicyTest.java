package dev.tollgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The one definition of exact, prefix and wildcard matching, checked against the examples of the Advanced Profile's
 * pattern-based subscription and registration sections, and at the edges those examples leave open.
 */
class MatchPolicyTest {

  @Test
  void exactMatchesOnlyTheSameUri() {
    assertTrue(MatchPolicy.EXACT.matches("com.myapp.topic", "com.myapp.topic"));
    assertFalse(MatchPolicy.EXACT.matches("com.myapp.topic", "com.myapp.topic.1"));
    assertFalse(MatchPolicy.EXACT.matches("com.myapp.topic", "com.myapp.topi"));
    assertFalse(MatchPolicy.EXACT.matches("com.myapp.topic", "COM.MYAPP.TOPIC"));
  }

  @Test
  void prefixIsAPlainStringPrefixAsInTheSpecsEmergencyExample() {
    String pattern = "com.myapp.topic.emergency";
    assertTrue(MatchPolicy.PREFIX.matches(pattern, "com.myapp.topic.emergency.11"));
    assertTrue(MatchPolicy.PREFIX.matches(pattern, "com.myapp.topic.emergency-low"));
    assertTrue(MatchPolicy.PREFIX.matches(pattern, "com.myapp.topic.emergency.category.severe"));
    assertTrue(MatchPolicy.PREFIX.matches(pattern, "com.myapp.topic.emergency"));
    assertFalse(MatchPolicy.PREFIX.matches(pattern, "com.myapp.topic.emerge"));
  }

  @Test
  void prefixFollowsTheSpecsRegistrationExample() {
    String pattern = "com.myapp.myobject1";
    assertTrue(MatchPolicy.PREFIX.matches(pattern, "com.myapp.myobject1.myprocedure1"));
    assertTrue(MatchPolicy.PREFIX.matches(pattern, "com.myapp.myobject1-mysubobject1"));
    assertTrue(MatchPolicy.PREFIX.matches(pattern, "com.myapp.myobject1.mysubobject1.myprocedure1"));
    assertTrue(MatchPolicy.PREFIX.matches(pattern, "com.myapp.myobject1"));
    assertFalse(MatchPolicy.PREFIX.matches(pattern, "com.myapp.myobject2"));
    assertFalse(MatchPolicy.PREFIX.matches(pattern, "com.myapp.myobject"));
  }

  @Test
  void wildcardFollowsTheSpecsSubscriptionExample() {
    String pattern = "com.myapp..userevent";
    assertTrue(MatchPolicy.WILDCARD.matches(pattern, "com.myapp.foo.userevent"));
    assertTrue(MatchPolicy.WILDCARD.matches(pattern, "com.myapp.bar.userevent"));
    assertTrue(MatchPolicy.WILDCARD.matches(pattern, "com.myapp.a12.userevent"));
    assertFalse(MatchPolicy.WILDCARD.matches(pattern, "com.myapp.foo.userevent.bar"));
    assertFalse(MatchPolicy.WILDCARD.matches(pattern, "com.myapp.foo.user"));
    assertFalse(MatchPolicy.WILDCARD.matches(pattern, "com.myapp2.foo.userevent"));
  }

  @Test
  void wildcardFollowsTheSpecsRegistrationExample() {
    String pattern = "com.myapp..myprocedure1";
    assertTrue(MatchPolicy.WILDCARD.matches(pattern, "com.myapp.myobject1.myprocedure1"));
    assertTrue(MatchPolicy.WILDCARD.matches(pattern, "com.myapp.myobject2.myprocedure1"));
    assertFalse(MatchPolicy.WILDCARD.matches(pattern, "com.myapp.myobject1.myprocedure1.mysubprocedure1"));
    assertFalse(MatchPolicy.WILDCARD.matches(pattern, "com.myapp.myobject1.myprocedure2"));
    assertFalse(MatchPolicy.WILDCARD.matches(pattern, "com.myapp2.myobject1.myprocedure1"));
  }

  @Test
  void wildcardNeedsTheSameNumberOfComponents() {
    assertFalse(MatchPolicy.WILDCARD.matches("a..c", "a.b.c.d"));
    assertFalse(MatchPolicy.WILDCARD.matches("a..c", "a.c"));
    assertFalse(MatchPolicy.WILDCARD.matches("a.b", "a.b.c"));
    assertFalse(MatchPolicy.WILDCARD.matches("a.b.c", "a.b"));
    // without any empty component it is exact matching
    assertTrue(MatchPolicy.WILDCARD.matches("a.b.c", "a.b.c"));
    assertFalse(MatchPolicy.WILDCARD.matches("a.b.c", "a.b.cc"));
  }

  @Test
  void anEmptyWildcardComponentMatchesAnyOneComponentAnywhere() {
    assertTrue(MatchPolicy.WILDCARD.matches(".b.c", "a.b.c"), "leading");
    assertTrue(MatchPolicy.WILDCARD.matches("a.b.", "a.b.c"), "trailing");
    assertTrue(MatchPolicy.WILDCARD.matches("a..", "a.b.c"), "two trailing");
    assertTrue(MatchPolicy.WILDCARD.matches("..", "x.y.z"), "all empty");
    assertFalse(MatchPolicy.WILDCARD.matches("..", "x.y"), "all empty, one component fewer");
    assertFalse(MatchPolicy.WILDCARD.matches(".b.c", "a.x.c"));
    assertFalse(MatchPolicy.WILDCARD.matches("a.b.", "x.b.c"));
    // the empty pattern is one empty component: any URI without a dot
    assertTrue(MatchPolicy.WILDCARD.matches("", "anything"));
    assertFalse(MatchPolicy.WILDCARD.matches("", "any.thing"));
  }

  @Test
  void aFixedWildcardComponentMustMatchWholeNotAsAPrefix() {
    assertFalse(MatchPolicy.WILDCARD.matches("com.my..x", "com.myapp.foo.x"));
    assertFalse(MatchPolicy.WILDCARD.matches("com.myapp..x", "com.my.foo.x"));
  }

  @Test
  void policiesParseFromTheirWireNamesIgnoringCase() {
    assertSame(MatchPolicy.EXACT, MatchPolicy.parse("exact"));
    assertSame(MatchPolicy.PREFIX, MatchPolicy.parse("Prefix"));
    assertSame(MatchPolicy.WILDCARD, MatchPolicy.parse(" WILDCARD "));
    assertSame(MatchPolicy.EXACT, MatchPolicy.ofOption(null));
    assertSame(MatchPolicy.PREFIX, MatchPolicy.ofOption("prefix"));
    for (MatchPolicy policy : MatchPolicy.values()) {
      assertSame(policy, MatchPolicy.parse(policy.wireName()));
    }
    assertEquals("wildcard", MatchPolicy.WILDCARD.wireName());
  }

  @Test
  void anUnknownPolicyIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MatchPolicy.parse("glob"));
    assertTrue(e.getMessage().contains("'glob'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MatchPolicy.ofOption("regex"));
    assertThrows(IllegalArgumentException.class, () -> MatchPolicy.parse(""));
  }

  @Test
  void fixedComponentsCountsTheNonEmptyOnes() {
    assertEquals(3, MatchPolicy.fixedComponents("a.b.c"));
    assertEquals(2, MatchPolicy.fixedComponents("a..c"));
    assertEquals(1, MatchPolicy.fixedComponents(".b."));
    assertEquals(0, MatchPolicy.fixedComponents(".."));
    assertEquals(0, MatchPolicy.fixedComponents(""));
    assertEquals(4, MatchPolicy.fixedComponents("a1.b2..d4.e5"));
    assertEquals(5, MatchPolicy.fixedComponents("a1.b2..d4.e5..g7"));
  }
}
