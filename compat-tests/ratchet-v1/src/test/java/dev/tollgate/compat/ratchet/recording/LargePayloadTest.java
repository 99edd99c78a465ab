package dev.tollgate.compat.ratchet.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LargePayloadTest {

  private static LargePayload kept(String payload, int head, int tail) {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return new LargePayload(bytes.length, payload.length(), LargePayload.sha256Hex(bytes),
        payload.substring(0, head), payload.substring(payload.length() - tail), null);
  }

  @Test
  void aPayloadWhoseHeadAndTailMeetOrOverlapIsRebuiltWhole() {
    String p = "[7,\"t\",\"" + "abcdefghij".repeat(10) + "\"]";
    assertEquals(p, kept(p, 60, p.length() - 60).rebuild());
    assertEquals(p, kept(p, 80, 80).rebuild());
  }

  @Test
  void aGapThatRepeatsWhatTheHeadOrTheTailShowsIsRebuiltWhenTheSha256ProvesIt() {
    String ones = "[7,\"bulk/feed\",\"" + "x".repeat(1_000_000) + "\"]";
    assertEquals(ones, kept(ones, 64, 64).rebuild());
    String units = "[7,\"t\",\"" + "ab€".repeat(50_000) + "\"]"; // a three-character unit, one of them 3 bytes
    assertEquals(units, kept(units, 38, 2).rebuild());
    assertNull(kept(units, 40, 4).rebuild(), "a gap that is no whole number of units is not guessed at");
    String fromTail = "[7,\"t\",\"" + "z".repeat(10_000) + "\"]";
    assertEquals(fromTail, kept(fromTail, 8, 64).rebuild(), "the head shows no repetition, the tail does");
  }

  @Test
  void aGapThatDoesNotRepeatIsNotGuessed() {
    String p = "[7,\"t\",\"" + "x".repeat(5_000) + "y" + "x".repeat(5_000) + "\"]";
    assertNull(kept(p, 64, 64).rebuild(), "one y in the middle: the SHA-256 refuses the guess");
  }

  @Test
  void sameBytesMeansTheSameLengthAndSha256() {
    String p = "[8,\"t\",\"" + "x".repeat(10_000) + "\"]";
    LargePayload recorded = kept(p, 64, 64);
    assertTrue(recorded.sameBytes(p.getBytes(StandardCharsets.UTF_8)));
    assertFalse(recorded.sameBytes(p.replace("[8,\"t\"", "[8,\"u\"").getBytes(StandardCharsets.UTF_8)));
    assertTrue(recorded.describe().startsWith("a payload of " + p.length() + " bytes (SHA-256 "));
  }
}
