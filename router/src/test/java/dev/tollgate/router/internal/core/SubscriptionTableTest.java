package dev.tollgate.router.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.MatchPolicy;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The subscription table: one id per (pattern, policy), every matching subscription found, whole snapshots. */
class SubscriptionTableTest {

  /** A stand-in for a session: equal names are still different sessions. */
  private record Session(String name) {}

  private final SubscriptionTable<Session> table = new SubscriptionTable<>(new Ids.Sequence());
  private final Session alice = new Session("alice");
  private final Session bob = new Session("bob");

  @Test
  void membersOfTheSamePatternAndPolicyShareOneId() {
    SubscriptionTable.Added<Session> first = table.add("com.myapp.topic", MatchPolicy.EXACT, alice);
    SubscriptionTable.Added<Session> second = table.add("com.myapp.topic", MatchPolicy.EXACT, bob);
    assertTrue(first.created());
    assertFalse(second.created());
    assertFalse(second.alreadyMember());
    assertEquals(first.subscription().id(), second.subscription().id());
    assertEquals(List.of(alice, bob), second.subscription().members());
    assertSame(second.subscription(), table.byId(first.subscription().id()));
    assertSame(second.subscription(), table.find("com.myapp.topic", MatchPolicy.EXACT));
    assertEquals(1, table.size());
  }

  @Test
  void subscribingAgainReturnsTheSameSubscriptionAndChangesNothing() {
    Subscription<Session> before = table.add("com.myapp.topic", MatchPolicy.PREFIX, alice).subscription();
    SubscriptionTable.Added<Session> again = table.add("com.myapp.topic", MatchPolicy.PREFIX, alice);
    assertTrue(again.alreadyMember());
    assertFalse(again.created());
    assertSame(before, again.subscription());
    assertEquals(1, again.subscription().size());
  }

  @Test
  void membersAreComparedByIdentityNotByEquals() {
    Session alice2 = new Session("alice");
    table.add("t", MatchPolicy.EXACT, alice);
    Subscription<Session> both = table.add("t", MatchPolicy.EXACT, alice2).subscription();
    assertEquals(2, both.size());
    assertSame(alice, both.member(0));
    assertSame(alice2, both.member(1));
    Subscription<Session> left = table.remove(both.id(), alice2).subscription();
    assertSame(both, left, "the removal reports the subscription as it was");
    assertSame(alice, table.byId(both.id()).member(0));
    assertEquals(1, table.byId(both.id()).size());
  }

  @Test
  void theSamePatternUnderDifferentPoliciesIsADifferentSubscription() {
    long exact = table.add("com.myapp", MatchPolicy.EXACT, alice).subscription().id();
    long prefix = table.add("com.myapp", MatchPolicy.PREFIX, alice).subscription().id();
    long wildcard = table.add("com.myapp", MatchPolicy.WILDCARD, alice).subscription().id();
    assertEquals(3, Set.of(exact, prefix, wildcard).size());
    assertEquals(prefix, table.find("com.myapp", MatchPolicy.PREFIX).id());
    assertEquals(MatchPolicy.WILDCARD, table.byId(wildcard).policy());
    assertEquals(3, table.size());
    assertEquals(Set.of(exact, prefix, wildcard), ids(table.all()));
  }

  @Test
  void aTopicReachesItsExactPrefixAndWildcardSubscriptionsOnceEachAndNoOthers() {
    String topic = "com.myapp.topic.emergency.11";
    long exact = table.add(topic, MatchPolicy.EXACT, alice).subscription().id();
    long shortPrefix = table.add("com.myapp", MatchPolicy.PREFIX, alice).subscription().id();
    long longPrefix = table.add("com.myapp.topic.emergency", MatchPolicy.PREFIX, bob).subscription().id();
    long wholePrefix = table.add(topic, MatchPolicy.PREFIX, bob).subscription().id();
    long wildcard = table.add("com.myapp..emergency.", MatchPolicy.WILDCARD, alice).subscription().id();
    long allWild = table.add("....", MatchPolicy.WILDCARD, bob).subscription().id();
    // near misses of every kind
    table.add("com.myapp.topic.emergency", MatchPolicy.EXACT, alice);
    table.add("com.myapp.topic.emergency.111", MatchPolicy.PREFIX, alice);
    table.add("com.myapp2", MatchPolicy.PREFIX, alice);
    table.add("com.myapp.topic.", MatchPolicy.WILDCARD, alice);
    table.add("com.myapp.topic.emergency.11.", MatchPolicy.WILDCARD, alice);
    table.add("com.myapp..emergency.12", MatchPolicy.WILDCARD, alice);
    table.add("...", MatchPolicy.WILDCARD, alice);

    List<Subscription<Session>> found = new ArrayList<>();
    table.forEachMatch(topic, found::add);
    List<Long> foundIds = found.stream().map(Subscription::id).toList();
    assertEquals(6, foundIds.size(), () -> "each once: " + found);
    assertEquals(List.of(exact, shortPrefix, longPrefix, wholePrefix), foundIds.subList(0, 4),
        "the exact one, then prefixes from the shortest");
    assertEquals(Set.of(wildcard, allWild), Set.copyOf(foundIds.subList(4, 6)));
    assertEquals(foundIds, table.matching(topic).stream().map(Subscription::id).toList());
    assertEquals(List.of(), table.matching("org.other.topic.emergency.11.x"));
  }

  @Test
  void aMemberOfTwoMatchingSubscriptionsIsInBoth() {
    // the spec: "a given event might be sent multiple times to the same client under different subscriptions"
    table.add("com.myapp.topic", MatchPolicy.EXACT, alice);
    table.add("com.myapp", MatchPolicy.PREFIX, alice);
    table.add("com.myapp", MatchPolicy.PREFIX, bob);
    List<Subscription<Session>> found = table.matching("com.myapp.topic");
    assertEquals(2, found.size());
    assertNotEquals(found.get(0).id(), found.get(1).id());
    assertTrue(found.get(0).contains(alice));
    assertTrue(found.get(1).contains(alice));
    assertFalse(found.get(0).contains(bob));
    assertTrue(found.get(1).contains(bob));
  }

  @Test
  void removingAMemberKeepsTheOthersInOrderUnderTheSameId() {
    Session carol = new Session("carol");
    table.add("t", MatchPolicy.WILDCARD, alice);
    table.add("t", MatchPolicy.WILDCARD, bob);
    long id = table.add("t", MatchPolicy.WILDCARD, carol).subscription().id();
    SubscriptionTable.Removed<Session> removed = table.remove(id, bob);
    assertFalse(removed.deleted());
    assertEquals(List.of(alice, bob, carol), removed.subscription().members(), "as it was");
    assertEquals(List.of(alice, carol), table.byId(id).members());
    assertEquals(List.of(alice, carol), table.find("t", MatchPolicy.WILDCARD).members());
    assertEquals(List.of(alice, carol), table.matching("t").get(0).members());
  }

  @Test
  void removingWhatIsNotThereReportsNothing() {
    long id = table.add("t", MatchPolicy.EXACT, alice).subscription().id();
    assertNull(table.remove(id, bob));
    assertNull(table.remove(id + 1, alice));
    assertEquals(List.of(alice), table.byId(id).members());
  }

  @Test
  void theLastMemberLeavingDeletesTheSubscriptionAndANewOneGetsANewId() {
    for (MatchPolicy policy : MatchPolicy.values()) {
      long id = table.add("com.myapp", policy, alice).subscription().id();
      table.add("com.myapp", policy, bob);
      assertFalse(table.remove(id, alice).deleted());
      SubscriptionTable.Removed<Session> last = table.remove(id, bob);
      assertTrue(last.deleted());
      assertEquals(List.of(bob), last.subscription().members());
      assertNull(table.byId(id));
      assertNull(table.find("com.myapp", policy));
      assertEquals(List.of(), table.matching("com.myapp"));
      assertEquals(0, table.size());

      SubscriptionTable.Added<Session> again = table.add("com.myapp", policy, alice);
      assertTrue(again.created());
      assertNotEquals(id, again.subscription().id(), policy + " gets a fresh id");
      assertNull(table.remove(id, alice), "the old id is gone for good");
      table.remove(again.subscription().id(), alice);
    }
  }

  @Test
  void aSnapshotOnceTakenNeverChanges() {
    Subscription<Session> one = table.add("t", MatchPolicy.EXACT, alice).subscription();
    List<Session> members = one.members();
    table.add("t", MatchPolicy.EXACT, bob);
    table.remove(one.id(), alice);
    assertEquals(List.of(alice), members);
    assertEquals(1, one.size());
    assertSame(alice, one.member(0));
    assertThrows(UnsupportedOperationException.class, () -> members.add(bob));
  }

  @Test
  void withOnlyExactSubscriptionsAPublicationWalksNoTrie() {
    table.add("com.myapp.topic", MatchPolicy.EXACT, alice);
    List<Subscription<Session>> found = new ArrayList<>();
    assertEquals(0, table.visitMatches("com.myapp.topic", found::add));
    assertEquals(1, found.size());
    long prefix = table.add("com", MatchPolicy.PREFIX, alice).subscription().id();
    assertTrue(table.visitMatches("com.myapp.topic", s -> {}) > 0);
    table.remove(prefix, alice);
    assertEquals(0, table.visitMatches("com.myapp.topic", s -> {}), "back to one lookup once the last one left");
  }

  @Test
  void tenThousandPrefixPatternsThatDoNotMatchCostOnlyAWalkAlongTheTopic() {
    String topic = "com.myapp.topic.emergency.11";
    for (int i = 0; i < 10_000; i++) {
      // half diverge from the topic somewhere inside it, half run on past its end
      String pattern = i % 2 == 0 ? topic.substring(0, i % topic.length()) + "#" + i : topic + "." + i;
      table.add(pattern, MatchPolicy.PREFIX, alice);
    }
    long matching = table.add("com.myapp.topic", MatchPolicy.PREFIX, bob).subscription().id();
    List<Subscription<Session>> found = new ArrayList<>();
    int visited = table.visitMatches(topic, found::add);
    assertEquals(List.of(matching), found.stream().map(Subscription::id).toList());
    assertTrue(visited <= topic.length() + 1, () -> visited + " nodes visited for a topic of " + topic.length());
  }

  @Test
  void tenThousandWildcardPatternsThatDoNotMatchCostOnlyTheirSharedPath() {
    String topic = "com.myapp.user7.event";
    for (int i = 0; i < 10_000; i++) {
      table.add("com.myapp.user" + i + "x.event", MatchPolicy.WILDCARD, alice);
      table.add("com..user" + i + "x.event", MatchPolicy.WILDCARD, alice);
    }
    long matching = table.add("com...event", MatchPolicy.WILDCARD, bob).subscription().id();
    List<Subscription<Session>> found = new ArrayList<>();
    int visited = table.visitMatches(topic, found::add);
    assertEquals(List.of(matching), found.stream().map(Subscription::id).toList());
    // root, com, then myapp and "any" below it, then only "any" below each of those, then event: no user-i node
    assertTrue(visited <= 8, () -> visited + " nodes visited");
  }

  @Test
  void readersOnOtherThreadsOnlyEverSeeWholeSnapshotsWhileTheOwnerChangesThem() throws Exception {
    // The owner adds members with rising numbers and removes the oldest first, a window of at most WINDOW, and now
    // and then empties a subscription, which deletes it. So every snapshot the owner makes holds consecutive numbers
    // in rising order, and later subscriptions of one pattern have higher ids. A reader seeing anything else saw a
    // half-made change.
    final int window = 8;
    final int cycles = 400;
    String topic = "com.app.feed";
    Map<MatchPolicy, String> patterns = new EnumMap<>(Map.of(
        MatchPolicy.EXACT, topic, MatchPolicy.PREFIX, "com.app", MatchPolicy.WILDCARD, "com..feed"));
    record Numbered(long n) {}
    SubscriptionTable<Numbered> shared = new SubscriptionTable<>(new Ids.Sequence());
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicLong observed = new AtomicLong();
    CountDownLatch readersUp = new CountDownLatch(3);
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Thread reader = new Thread(() -> {
        Map<MatchPolicy, Long> lastId = new EnumMap<>(MatchPolicy.class);
        readersUp.countDown();
        try {
          while (!done.get()) {
            Set<MatchPolicy> seen = new HashSet<>();
            shared.forEachMatch(topic, s -> {
              if (!seen.add(s.policy())) {
                failures.add("twice in one publication: " + s);
              }
              if (!patterns.get(s.policy()).equals(s.pattern())) {
                failures.add("a subscription that does not match: " + s);
              }
              if (lastId.getOrDefault(s.policy(), 0L) > s.id()) {
                failures.add("an older subscription after a newer one: " + s);
              }
              lastId.put(s.policy(), s.id());
              int n = s.size();
              if (n < 1 || n > window || s.members().size() != n) {
                failures.add(n + " members in " + s);
                return;
              }
              for (int i = 0; i < n; i++) {
                Numbered m = s.member(i);
                if (m == null || (i > 0 && m.n() != s.member(i - 1).n() + 1)) {
                  failures.add("not a window of consecutive members: " + s.members());
                  return;
                }
              }
              observed.incrementAndGet();
            });
          }
        } catch (Throwable t) {
          failures.add("reader failed: " + t);
        }
      }, "reader-" + r);
      reader.start();
      readers.add(reader);
    }
    readersUp.await();
    long next = 0;
    List<Numbered> live = new ArrayList<>();
    for (int cycle = 0; cycle < cycles; cycle++) {
      for (int step = 0; step < 3 * window; step++) {
        if (live.size() == window) {
          Numbered oldest = live.remove(0);
          for (MatchPolicy policy : patterns.keySet()) {
            shared.remove(shared.find(patterns.get(policy), policy).id(), oldest);
          }
        }
        Numbered newest = new Numbered(next++);
        live.add(newest);
        for (Map.Entry<MatchPolicy, String> p : patterns.entrySet()) {
          shared.add(p.getValue(), p.getKey(), newest);
        }
      }
      while (!live.isEmpty()) {
        Numbered oldest = live.remove(0);
        for (MatchPolicy policy : patterns.keySet()) {
          shared.remove(shared.find(patterns.get(policy), policy).id(), oldest);
        }
      }
      assertEquals(0, shared.size());
    }
    done.set(true);
    for (Thread reader : readers) {
      reader.join(60_000);
      assertFalse(reader.isAlive(), reader.getName() + " is stuck");
    }
    assertEquals(List.of(), List.copyOf(failures).subList(0, Math.min(5, failures.size())));
    assertTrue(observed.get() > 0, "the readers saw subscriptions");
  }

  @Test
  void aSecondWriterWhileOneIsWritingIsRefused() throws Exception {
    SingleWriter writer = new SingleWriter("test table");
    writer.enter();
    try {
      Throwable[] thrown = new Throwable[1];
      Thread other = new Thread(() -> {
        try {
          writer.enter();
          writer.exit();
        } catch (Throwable t) {
          thrown[0] = t;
        }
      });
      other.start();
      other.join();
      assertTrue(thrown[0] instanceof ConcurrentModificationException, String.valueOf(thrown[0]));
    } finally {
      writer.exit();
    }
    // once the first write ended, the next one may start
    writer.enter();
    writer.exit();
  }

  private static Set<Long> ids(Iterable<? extends Subscription<?>> subscriptions) {
    Set<Long> ids = new HashSet<>();
    subscriptions.forEach(s -> ids.add(s.id()));
    return ids;
  }
}
