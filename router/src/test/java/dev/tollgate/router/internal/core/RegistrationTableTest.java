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
import dev.tollgate.protocol.WampErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The registration table: the spec's precedence, today's conflict rules, the invocation policies, whole snapshots. */
class RegistrationTableTest {

  /** A stand-in for a session: equal names are still different sessions. */
  private record Session(String name) {}

  private final RegistrationTable<Session> table = new RegistrationTable<>(new Ids.Sequence());
  private final Session a = new Session("a");
  private final Session b = new Session("b");
  private final Session c = new Session("c");

  @Test
  void anExactRegistrationWinsOverEveryPrefixAndWildcard() {
    table.add("com.myapp", MatchPolicy.PREFIX, InvocationPolicy.SINGLE, a);
    table.add("com.myapp.", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a);
    long exact = table.add("com.myapp.add", MatchPolicy.EXACT, InvocationPolicy.SINGLE, b).id();
    assertEquals(exact, table.match("com.myapp.add").id());
  }

  @Test
  void theLongestMatchingPrefixWinsOverShorterPrefixesAndWildcards() {
    long shorter = table.add("com.myapp", MatchPolicy.PREFIX, InvocationPolicy.SINGLE, a).id();
    long longer = table.add("com.myapp.obj1", MatchPolicy.PREFIX, InvocationPolicy.SINGLE, b).id();
    table.add("com.myapp.obj1.proc", MatchPolicy.PREFIX, InvocationPolicy.SINGLE, c);
    table.add("com.myapp.obj1.", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, c);
    assertEquals(longer, table.match("com.myapp.obj1.pro").id(), "a longer pattern that is no prefix does not count");
    assertEquals(longer, table.match("com.myapp.obj1-sub").id());
    assertEquals(shorter, table.match("com.myapp.obj2.proc").id());
  }

  @Test
  void aWildcardServesOnlyWhatNoExactOrPrefixRegistrationMatches() {
    long wildcard = table.add("com.myapp..proc", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a).id();
    long prefix = table.add("com.myapp.obj1", MatchPolicy.PREFIX, InvocationPolicy.SINGLE, b).id();
    assertEquals(prefix, table.match("com.myapp.obj1.proc").id());
    assertEquals(wildcard, table.match("com.myapp.obj2.proc").id());
    assertNull(table.match("com.myapp.obj2.proc.sub"));
    assertNull(table.match("com.other.obj2.proc"));
  }

  @Test
  void amongWildcardsTheLongerFirstRunOfFixedComponentsWinsThenTheNext() {
    // The spec: "for call URI a1.b2.c3.d4 registration a1.b2..d4 has higher priority than registration a1...d4",
    // although a1..c3.d4 fixes as many components; and a pattern fixing more components, but only from the second
    // on, loses to one fixing the first.
    long earlier = table.add("a1.b2..d4", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a).id();
    table.add("a1...d4", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a);
    table.add("a1..c3.d4", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a);
    assertEquals(earlier, table.match("a1.b2.c3.d4").id());
    long moreLater = table.add(".b2.c3.d4.e5", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a).id();
    long fixedFirst = table.add("a1....", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a).id();
    assertNotEquals(moreLater, fixedFirst);
    assertEquals(fixedFirst, table.match("a1.b2.c3.d4.e5").id(), "the first portion decides before the count does");
  }

  @Test
  void theSpecsPrecedenceExamplesRouteAsTheSpecSays() {
    long rpc1 = table.add("a1.b2.c3.d4.e55", MatchPolicy.EXACT, InvocationPolicy.SINGLE, a).id();
    long rpc2 = table.add("a1.b2.c3", MatchPolicy.PREFIX, InvocationPolicy.SINGLE, a).id();
    long rpc3 = table.add("a1.b2.c3.d4", MatchPolicy.PREFIX, InvocationPolicy.SINGLE, a).id();
    long rpc4 = table.add("a1.b2..d4.e5", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a).id();
    long rpc5 = table.add("a1.b2.c33..e5", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a).id();
    long rpc6 = table.add("a1.b2..d4.e5..g7", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a).id();
    table.add("a1.b2..d4..f6.g7", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, a);
    assertEquals(rpc1, table.match("a1.b2.c3.d4.e55").id());
    assertEquals(rpc2, table.match("a1.b2.c3.d98.e74").id());
    assertEquals(rpc3, table.match("a1.b2.c3.d4.e325").id());
    assertEquals(rpc4, table.match("a1.b2.c55.d4.e5").id());
    assertEquals(rpc6, table.match("a1.b2.c88.d4.e5.f6.g7").id());
    assertNull(table.match("a2.b2.c2.d2.e2"));
    // The spec says RPC 5 and "no prefix match" here, but 'a1.b2.c3' is a plain string prefix of 'a1.b2.c33.d4.e5',
    // as its own prefix examples define it, and a prefix match outranks the wildcards. See PatternIndex#bestMatch.
    assertEquals(rpc2, table.match("a1.b2.c33.d4.e5").id());
    table.remove(rpc2, a);
    assertEquals(rpc5, table.match("a1.b2.c33.d4.e5").id(), "without that prefix: the longer first portion");
  }

  @Test
  void aSingleRegistrationRefusesEveryOtherCallee() {
    table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.SINGLE, a);
    for (InvocationPolicy invoke : InvocationPolicy.values()) {
      RegistrationConflictException e = assertThrows(RegistrationConflictException.class,
          () -> table.add("com.x", MatchPolicy.EXACT, invoke, b));
      assertEquals(RegistrationConflictException.Kind.ALREADY_REGISTERED, e.kind());
      assertEquals("procedure 'com.x' is already registered", e.getMessage());
    }
    assertEquals(List.of(a), table.find("com.x", MatchPolicy.EXACT).members(), "nothing changed");
  }

  @Test
  void aSingleCalleeCannotJoinASharedRegistration() {
    table.add("com.x", MatchPolicy.PREFIX, InvocationPolicy.ROUNDROBIN, a);
    RegistrationConflictException e = assertThrows(RegistrationConflictException.class,
        () -> table.add("com.x", MatchPolicy.PREFIX, InvocationPolicy.SINGLE, b));
    assertEquals(RegistrationConflictException.Kind.ALREADY_REGISTERED, e.kind());
    assertEquals("procedure 'com.x' (match prefix) is already registered, with invocation policy 'roundrobin', "
        + "not 'single'", e.getMessage());
  }

  @Test
  void aSharedRegistrationRefusesAnotherInvocationPolicy() {
    table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.ROUNDROBIN, a);
    RegistrationConflictException e = assertThrows(RegistrationConflictException.class,
        () -> table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.RANDOM, b));
    assertEquals(RegistrationConflictException.Kind.DIFFERENT_INVOCATION_POLICY, e.kind());
    assertEquals("procedure 'com.x' is registered with invocation policy 'roundrobin', not 'random'", e.getMessage());
    assertEquals(WampErrors.PROCEDURE_EXISTS_WITH_DIFFERENT_INVOCATION_POLICY, e.kind().wampError());
    assertEquals(List.of(a), table.find("com.x", MatchPolicy.EXACT).members());
  }

  @Test
  void aCalleeCannotJoinOneRegistrationTwice() {
    Registration<Session> before = table.add("com.x", MatchPolicy.WILDCARD, InvocationPolicy.FIRST, a);
    RegistrationConflictException e = assertThrows(RegistrationConflictException.class,
        () -> table.add("com.x", MatchPolicy.WILDCARD, InvocationPolicy.FIRST, a));
    assertEquals(RegistrationConflictException.Kind.SAME_CALLEE_TWICE, e.kind());
    assertEquals("this session already registered procedure 'com.x' (match wildcard)", e.getMessage());
    assertEquals(WampErrors.PROCEDURE_ALREADY_EXISTS, e.kind().wampError());
    assertSame(before, table.find("com.x", MatchPolicy.WILDCARD));
  }

  @Test
  void theSamePatternUnderAnotherMatchPolicyIsAnotherRegistration() {
    long exact = table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.SINGLE, a).id();
    long prefix = table.add("com.x", MatchPolicy.PREFIX, InvocationPolicy.SINGLE, b).id();
    long wildcard = table.add("com.x", MatchPolicy.WILDCARD, InvocationPolicy.RANDOM, c).id();
    assertEquals(3, Set.of(exact, prefix, wildcard).size());
    assertEquals(3, table.size());
    assertEquals(List.of(b), table.byId(prefix).members());
    assertEquals(exact, table.match("com.x").id());
    assertEquals(prefix, table.match("com.x.y").id());
  }

  @Test
  void roundRobinTakesTheCalleesInTurnInTheOrderTheyRegistered() {
    table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.ROUNDROBIN, a);
    table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.ROUNDROBIN, b);
    table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.ROUNDROBIN, c);
    assertEquals(List.of(a, b, c, a, b, c, a), picks(7));
  }

  @Test
  void roundRobinKeepsItsTurnWhenACalleeJoinsOrLeaves() {
    table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.ROUNDROBIN, a);
    long id = table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.ROUNDROBIN, b).id();
    assertEquals(List.of(a), picks(1));
    table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.ROUNDROBIN, c);
    assertEquals(List.of(b, c, a), picks(3), "b's turn is not lost to the newcomer");
    // The turn counts calls, so after a callee leaves the rotation goes on from the count: here a, just called,
    // is called again first. It still alternates over those left, none starved.
    table.remove(id, b);
    assertEquals(List.of(a, c, a, c), picks(4));
  }

  @Test
  void firstAndLastPickTheOldestAndTheNewestCallee() {
    long first = table.add("com.first", MatchPolicy.EXACT, InvocationPolicy.FIRST, a).id();
    table.add("com.first", MatchPolicy.EXACT, InvocationPolicy.FIRST, b);
    long last = table.add("com.last", MatchPolicy.EXACT, InvocationPolicy.LAST, a).id();
    table.add("com.last", MatchPolicy.EXACT, InvocationPolicy.LAST, b);
    for (int i = 0; i < 3; i++) {
      assertSame(a, table.match("com.first").pick());
      assertSame(b, table.match("com.last").pick());
    }
    // hot standby: when the primary leaves, the next one in line takes over
    table.remove(first, a);
    assertSame(b, table.match("com.first").pick());
    table.remove(last, b);
    assertSame(a, table.match("com.last").pick());
  }

  @Test
  void randomPicksOnlyItsCalleesAndEachOfThem() {
    for (Session s : List.of(a, b, c)) {
      table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.RANDOM, s);
    }
    Set<Session> picked = new HashSet<>(picks(1_000));
    // a callee missed by 1,000 fair draws of 3 has a chance of 3 * (2/3)^1000: never
    assertEquals(Set.of(a, b, c), picked);
  }

  @Test
  void removingACalleeKeepsTheRegistrationAndItsIdForTheOthers() {
    table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.LAST, a);
    table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.LAST, b);
    long id = table.add("com.x", MatchPolicy.EXACT, InvocationPolicy.LAST, c).id();
    RegistrationTable.Removed<Session> removed = table.remove(id, b);
    assertFalse(removed.deleted());
    assertEquals(List.of(a, b, c), removed.registration().members(), "as it was");
    assertEquals(List.of(a, c), table.byId(id).members());
    assertEquals(id, table.match("com.x").id());
    assertNull(table.remove(id, b), "not a callee any more");
    assertNull(table.remove(id + 100, a), "no such registration");
  }

  @Test
  void theLastCalleeLeavingDeletesTheRegistrationAndANewOneGetsAFreshId() {
    for (MatchPolicy policy : MatchPolicy.values()) {
      long id = table.add("com.x", policy, InvocationPolicy.SINGLE, a).id();
      RegistrationTable.Removed<Session> removed = table.remove(id, a);
      assertTrue(removed.deleted());
      assertNull(table.byId(id));
      assertNull(table.find("com.x", policy));
      assertNull(table.match("com.x"));
      assertEquals(0, table.size());
      // the procedure is free again, for another callee and another invocation policy
      Registration<Session> again = table.add("com.x", policy, InvocationPolicy.ROUNDROBIN, b);
      assertNotEquals(id, again.id(), policy + " gets a fresh id");
      assertEquals(List.of(b), again.members());
      table.remove(again.id(), b);
    }
  }

  @Test
  void invocationPoliciesParseFromTheRegisterOptionIgnoringCase() {
    assertSame(InvocationPolicy.SINGLE, InvocationPolicy.of(null));
    assertSame(InvocationPolicy.SINGLE, InvocationPolicy.of("single"));
    assertSame(InvocationPolicy.ROUNDROBIN, InvocationPolicy.of("RoundRobin"));
    for (InvocationPolicy policy : InvocationPolicy.values()) {
      assertSame(policy, InvocationPolicy.of(policy.wireName()));
    }
    assertEquals("roundrobin", InvocationPolicy.ROUNDROBIN.wireName());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InvocationPolicy.of("fastest"));
    assertTrue(e.getMessage().contains("'fastest'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> InvocationPolicy.of(3));
    assertTrue(e.getMessage().contains("'3'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> InvocationPolicy.of(""));
  }

  @Test
  void callersOnOtherThreadsOnlyEverSeeWholeRegistrationsWhileTheOwnerChangesThem() throws Exception {
    // The owner keeps 'com.x' (exact, round robin) alive with a window of consecutively numbered callees, oldest
    // leaving first, and creates and deletes the prefix registration 'com' over and over, while the wildcard 'com.'
    // stays. So a call to 'com.x' always finds the same exact registration and picks one of its callees, and a call
    // to 'com.y' always finds the prefix or the wildcard one.
    final int window = 6;
    final int steps = 20_000;
    record Numbered(long n) {}
    RegistrationTable<Numbered> shared = new RegistrationTable<>(new Ids.Sequence());
    long next = 0;
    List<Numbered> live = new ArrayList<>();
    live.add(new Numbered(next++));
    long exactId = shared.add("com.x", MatchPolicy.EXACT, InvocationPolicy.ROUNDROBIN, live.get(0)).id();
    Numbered standby = new Numbered(-1);
    long wildcardId = shared.add("com.", MatchPolicy.WILDCARD, InvocationPolicy.SINGLE, standby).id();

    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicLong observed = new AtomicLong();
    CountDownLatch readersUp = new CountDownLatch(2);
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Thread reader = new Thread(() -> {
        readersUp.countDown();
        try {
          while (!done.get()) {
            Registration<Numbered> x = shared.match("com.x");
            if (x == null || x.id() != exactId) {
              failures.add("com.x went to " + x);
              continue;
            }
            List<Numbered> callees = x.members();
            if (callees.isEmpty() || callees.size() > window) {
              failures.add(callees.size() + " callees in " + x);
              continue;
            }
            for (int i = 1; i < callees.size(); i++) {
              if (callees.get(i).n() != callees.get(i - 1).n() + 1) {
                failures.add("not a window of consecutive callees: " + callees);
              }
            }
            Numbered picked = x.pick();
            if (picked == null || !x.contains(picked)) {
              failures.add("picked " + picked + " from " + callees);
            }
            Registration<Numbered> y = shared.match("com.y");
            if (y == null || !(y.policy() == MatchPolicy.PREFIX || y.id() == wildcardId)) {
              failures.add("com.y went to " + y);
            }
            observed.incrementAndGet();
          }
        } catch (Throwable t) {
          failures.add("reader failed: " + t);
        }
      }, "caller-" + r);
      reader.start();
      readers.add(reader);
    }
    readersUp.await();
    Numbered prefixCallee = new Numbered(-2);
    for (int step = 0; step < steps; step++) {
      if (live.size() == window) {
        assertFalse(shared.remove(exactId, live.remove(0)).deleted());
      }
      Numbered newest = new Numbered(next++);
      live.add(newest);
      assertEquals(exactId, shared.add("com.x", MatchPolicy.EXACT, InvocationPolicy.ROUNDROBIN, newest).id());
      Registration<Numbered> prefix = shared.find("com", MatchPolicy.PREFIX);
      if (prefix == null) {
        shared.add("com", MatchPolicy.PREFIX, InvocationPolicy.SINGLE, prefixCallee);
      } else {
        assertTrue(shared.remove(prefix.id(), prefixCallee).deleted());
      }
    }
    done.set(true);
    for (Thread reader : readers) {
      reader.join(60_000);
      assertFalse(reader.isAlive(), reader.getName() + " is stuck");
    }
    assertEquals(List.of(), List.copyOf(failures).subList(0, Math.min(5, failures.size())));
    assertTrue(observed.get() > 0, "the callers saw registrations");
  }

  private List<Session> picks(int calls) {
    List<Session> picked = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      picked.add(table.match("com.x").pick());
    }
    return picked;
  }
}
