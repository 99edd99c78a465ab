package dev.tollgate.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tollgate.protocol.ProtocolViolationException;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampCodec;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.v1.V1Codec;
import dev.tollgate.protocol.v1.V1Message;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of every decoder a peer's bytes reach: WAMP v2 in JSON, MessagePack and CBOR, and WAMP v1.
 * The promise each one keeps ({@link WampCodec}): any input decodes to a message or is refused with a
 * {@link ProtocolViolationException}; no other exception, no hang, no runaway memory. A decoded message must also
 * survive its own encoding: what the router sends on is what it read.
 *
 * <p>Every build runs each method on the inputs under {@code DecoderFuzzTestInputs/<method>/} (the corpus and every
 * past finding); {@code .ci/fuzz} fuzzes each for a bounded time, and README's "Fuzzing" says how to fuzz longer.
 */
class DecoderFuzzTest {
  /** The router refuses larger messages before decoding (limits.max-message-size is 1 MiB by default). */
  private static final int LARGEST = 1 << 20;

  @FuzzTest(maxDuration = "30s")
  void json(byte[] input) {
    decodesOrRefuses(Serializer.JSON.codec(), input);
  }

  @FuzzTest(maxDuration = "30s")
  void msgpack(byte[] input) {
    decodesOrRefuses(Serializer.MSGPACK.codec(), input);
  }

  @FuzzTest(maxDuration = "30s")
  void cbor(byte[] input) {
    decodesOrRefuses(Serializer.CBOR.codec(), input);
  }

  @FuzzTest(maxDuration = "30s")
  void v1(byte[] input) {
    if (input.length > LARGEST) {
      return;
    }
    V1Message message;
    try {
      message = V1Codec.decode(ByteBuffer.wrap(input));
    } catch (ProtocolViolationException refused) {
      return;
    }
    // what a client sends is never sent on as is, but it must encode (Tollgate echoes PREFIX and CALL ids back)
    byte[] once = V1Codec.encode(message);
    assertArrayEquals(once, V1Codec.encode(V1Codec.decode(ByteBuffer.wrap(once))), "v1 re-encoding is stable");
    // the head of an oversized CALL is read by another parser: it must not throw either
    V1Codec.callIdOfCallHead(Arrays.copyOf(input, Math.min(input.length, 256)));
  }

  private static void decodesOrRefuses(WampCodec codec, byte[] input) {
    if (input.length > LARGEST) {
      return;
    }
    // the head of a message too large to read whole: any first bytes, never an exception
    codec.head(Arrays.copyOf(input, Math.min(input.length, 256)));
    WampMessage message;
    try {
      message = codec.decode(ByteBuffer.wrap(input));
    } catch (ProtocolViolationException refused) {
      return;
    }
    byte[] once = codec.encode(message);
    WampMessage again = codec.decode(ByteBuffer.wrap(once));
    assertArrayEquals(once, codec.encode(again), () -> "re-encoding " + message + " is not stable");
  }
}
