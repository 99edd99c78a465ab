package dev.tollgate.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.MatchPolicy;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthorizerTest {
  private static final Authorizer ORO = new Authorizer(Rule.preset("oro"));
  private static final Authorizer.Subject USER_42 = new Authorizer.Subject("realm1", List.of("user"), "john", 42L);
  private static final Authorizer.Subject BACKEND = new Authorizer.Subject("realm1", List.of("backend"), "anonymous-1", null);
  private static final Authorizer.Subject NOBODY = new Authorizer.Subject("realm1", List.of("anonymous"), "7", null);

  @Test
  void theOroPresetLetsAnyoneSubscribeToTheSharedTopics() {
    for (String topic : List.of("oro/ping", "oro/data/update", "oro/maintenance", "oro/outdated_user_page", "oro/message_queue_heartbeat")) {
      assertTrue(ORO.decide(USER_42, Action.SUBSCRIBE, topic).allowed(), topic);
      assertTrue(ORO.decide(NOBODY, Action.SUBSCRIBE, topic).allowed(), topic);
      assertFalse(ORO.decide(USER_42, Action.PUBLISH, topic).allowed(), "users never publish: " + topic);
    }
  }

  @Test
  void perUserTopicsAreOnlyForTheirOwnUser() {
    assertTrue(ORO.decide(USER_42, Action.SUBSCRIBE, "oro/email_event/42/1").allowed());
    assertFalse(ORO.decide(USER_42, Action.SUBSCRIBE, "oro/email_event/43/1").allowed());
    assertTrue(ORO.decide(USER_42, Action.SUBSCRIBE, "oro/reminder_remind/42").allowed());
    assertFalse(ORO.decide(USER_42, Action.SUBSCRIBE, "oro/reminder_remind/420").allowed());
    assertTrue(ORO.decide(USER_42, Action.SUBSCRIBE, "oro/imap_sync_fail/42").allowed());
    assertTrue(ORO.decide(USER_42, Action.SUBSCRIBE, "oro/imap_sync_fail/*").allowed());
    assertTrue(ORO.decide(USER_42, Action.SUBSCRIBE, "oro/attribute_import/42/7").allowed());
    assertFalse(ORO.decide(NOBODY, Action.SUBSCRIBE, "oro/reminder_remind/42").allowed(), "no user, no user_id");
  }

  @Test
  void theBackendPublishesCallsAndRegistersEverywhereButNeverSubscribes() {
    assertTrue(ORO.decide(BACKEND, Action.PUBLISH, "oro/data/update").allowed());
    assertTrue(ORO.decide(BACKEND, Action.PUBLISH, "oro/email_event/42/1").allowed());
    assertTrue(ORO.decide(BACKEND, Action.CALL, "sample/sum").allowed());
    assertTrue(ORO.decide(BACKEND, Action.REGISTER, "sample/sum").allowed());
    assertFalse(ORO.decide(BACKEND, Action.SUBSCRIBE, "oro/ping").allowed());
  }

  @Test
  void underTheOroPresetPagesCallAnApplicationsProceduresOnlyOnceItsRuleLineIsAdded() {
    assertFalse(ORO.decide(USER_42, Action.CALL, "acme/rpc/sum").allowed(), "the preset lets pages call nothing");
    // The README's line: ./tollgate rule add --role user --pattern acme/rpc/ --match prefix --actions call
    List<Rule> withTheLine = new java.util.ArrayList<>(Rule.preset("oro"));
    withTheLine.add(Rule.of("*", "user", "acme/rpc/", MatchPolicy.PREFIX, EnumSet.of(Action.CALL), null));
    Authorizer app = new Authorizer(withTheLine);
    assertTrue(app.decide(USER_42, Action.CALL, "acme/rpc/sum").allowed());
    assertFalse(app.decide(USER_42, Action.REGISTER, "acme/rpc/sum").allowed(), "a page never serves the procedure");
    assertFalse(app.decide(NOBODY, Action.CALL, "acme/rpc/sum").allowed(), "a page without a ticket calls nothing");
    assertFalse(app.decide(USER_42, Action.CALL, "acme/admin/wipe").allowed());
    assertTrue(app.decide(BACKEND, Action.REGISTER, "acme/rpc/sum").allowed());
  }

  @Test
  void aDatabaseMadeWithTheEarlierPresetLetsTheBackendRegisterAfterTheReadmesLine() {
    List<Rule> earlier = new java.util.ArrayList<>(Rule.preset("oro").subList(0, Rule.preset("oro").size() - 1));
    earlier.add(Rule.of("*", "backend", "", MatchPolicy.PREFIX, EnumSet.of(Action.PUBLISH, Action.CALL), "earlier preset"));
    assertFalse(new Authorizer(earlier).decide(BACKEND, Action.REGISTER, "acme/rpc/sum").allowed());
    // The README's line: ./tollgate rule add --role backend --pattern "" --match prefix --actions register
    earlier.add(Rule.of("*", "backend", "", MatchPolicy.PREFIX, EnumSet.of(Action.REGISTER), null));
    Authorizer upgraded = new Authorizer(earlier);
    assertTrue(upgraded.decide(BACKEND, Action.REGISTER, "acme/rpc/sum").allowed());
    assertTrue(upgraded.decide(BACKEND, Action.PUBLISH, "oro/data/update").allowed(), "equally specific rules add up");
    assertTrue(upgraded.decide(BACKEND, Action.CALL, "acme/rpc/sum").allowed());
  }

  @Test
  void theOroPresetKeepsTheMetaApiFromBrowsersAndGivesItToAdmins() {
    Authorizer oro = new Authorizer(Rule.preset("oro"));
    Authorizer.Subject user = new Authorizer.Subject("realm1", List.of("user"), "john", 7L);
    Authorizer.Subject anonymous = new Authorizer.Subject("realm1", List.of("anonymous"), "x", null);
    Authorizer.Subject admin = new Authorizer.Subject("realm1", List.of("admin"), "root", 1L);
    for (Authorizer.Subject browser : List.of(user, anonymous)) {
      assertFalse(oro.decide(browser, Action.CALL, "wamp.session.kill_all").allowed());
      assertFalse(oro.decide(browser, Action.CALL, "wamp.session.list").allowed());
      assertFalse(oro.decide(browser, Action.SUBSCRIBE, "wamp.session.on_join").allowed());
    }
    assertTrue(oro.decide(admin, Action.CALL, "wamp.session.kill").allowed());
    assertTrue(oro.decide(admin, Action.SUBSCRIBE, "wamp.session.on_leave").allowed());
    assertFalse(oro.decide(admin, Action.REGISTER, "wamp.session.count").allowed(), "nobody registers meta procedures");
  }

  @Test
  void exactBeatsPrefixBeatsWildcardAndTheLongestPrefixWins() {
    Authorizer a = new Authorizer(List.of(
        Rule.of("*", "r", "com.app.", MatchPolicy.PREFIX, EnumSet.of(Action.PUBLISH), "broad"),
        Rule.of("*", "r", "com.app.secret.", MatchPolicy.PREFIX, EnumSet.noneOf(Action.class), "deny the secret area"),
        Rule.of("*", "r", "com.app.secret.open", MatchPolicy.EXACT, EnumSet.of(Action.PUBLISH), "but this one"),
        Rule.of("*", "r", "com..status", MatchPolicy.WILDCARD, EnumSet.of(Action.SUBSCRIBE), "any app's status")));
    Authorizer.Subject r = new Authorizer.Subject("realm1", List.of("r"), "x", null);
    assertTrue(a.decide(r, Action.PUBLISH, "com.app.news").allowed());
    Authorizer.Decision secret = a.decide(r, Action.PUBLISH, "com.app.secret.plans");
    assertFalse(secret.allowed());
    assertEquals("deny the secret area", secret.decidedBy().note());
    assertTrue(a.decide(r, Action.PUBLISH, "com.app.secret.open").allowed());
    assertTrue(a.decide(r, Action.SUBSCRIBE, "com.other.status").allowed());
    assertFalse(a.decide(r, Action.SUBSCRIBE, "com.app.status").allowed(), "the prefix rule is more specific");
    Authorizer.Decision none = a.decide(r, Action.CALL, "org.elsewhere");
    assertFalse(none.allowed());
    assertNull(none.decidedBy(), "default deny");
  }

  @Test
  void aWildcardFixingMoreComponentsBeatsOneFixingFewer() {
    Authorizer a = new Authorizer(List.of(
        Rule.of("*", "r", "com...status", MatchPolicy.WILDCARD, EnumSet.of(Action.SUBSCRIBE), "any status"),
        Rule.of("*", "r", "com.app..status", MatchPolicy.WILDCARD, EnumSet.noneOf(Action.class), "not the app's")));
    Authorizer.Subject r = new Authorizer.Subject("realm1", List.of("r"), "x", null);
    assertTrue(a.decide(r, Action.SUBSCRIBE, "com.web.x.status").allowed());
    Authorizer.Decision app = a.decide(r, Action.SUBSCRIBE, "com.app.x.status");
    assertFalse(app.allowed());
    assertEquals("not the app's", app.decidedBy().note());
    assertNull(a.decide(r, Action.SUBSCRIBE, "com.web.status").decidedBy(), "a wildcard needs as many components");
  }

  @Test
  void realmAndAuthidPlaceholdersNarrowRules() {
    Authorizer a = new Authorizer(List.of(
        Rule.of("oro", "*", "private.{authid}", MatchPolicy.EXACT, EnumSet.of(Action.SUBSCRIBE), null)));
    assertTrue(a.decide(new Authorizer.Subject("oro", List.of("user"), "ann", 1L), Action.SUBSCRIBE, "private.ann").allowed());
    assertFalse(a.decide(new Authorizer.Subject("oro", List.of("user"), "bob", 2L), Action.SUBSCRIBE, "private.ann").allowed());
    assertFalse(a.decide(new Authorizer.Subject("other", List.of("user"), "ann", 1L), Action.SUBSCRIBE, "private.ann").allowed());
  }
}
