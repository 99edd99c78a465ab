package dev.tollgate.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  void oneNodeTakesEverySession() {
    Target one = Target.parse("tollgate", "ws://127.0.0.1:1/ws", "42", Set.of("json"));
    assertSame(one, one.at("caller", 3));
    assertSame(one, one.at("sub", 7));
    assertArrayEquals(new long[] {42}, one.pids());
  }

  @Test
  void severalNodesTakePublishersAndCalleesOnTheFirstCallersOnTheOthersAndSubscribersOnAll() {
    Target three = Target.parse("3 nodes", "ws://127.0.0.1:1/ws,ws://127.0.0.1:2/ws,ws://127.0.0.1:3/ws",
        "11,12,13,99", Set.of("json"));
    assertEquals(1, three.at("pub", 5).port());
    assertEquals(1, three.at("callee", 0).port());
    assertEquals(2, three.at("caller", 0).port());
    assertEquals(3, three.at("caller", 1).port());
    assertEquals(2, three.at("caller", 2).port());
    assertEquals(1, three.at("sub", 0).port());
    assertEquals(2, three.at("sub", 1).port());
    assertEquals(3, three.at("sub", 2).port());
    assertArrayEquals(new long[] {11, 12, 13, 99}, three.pids(), "the nodes' and Redis's CPU count together");
    assertEquals(12, three.at("sub", 1).pid());
  }
}
