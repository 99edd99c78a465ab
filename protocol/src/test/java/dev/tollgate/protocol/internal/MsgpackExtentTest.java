package dev.tollgate.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** The skipper finds the end of every kind of MessagePack value that msgpack-core writes, and no end in a cut one. */
class MsgpackExtentTest {

  @Test
  void findsTheEndOfRandomValuesAndNoEndInTheirPrefixes() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 3_000; round++) {
      MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
      writeValue(packer, random, 0);
      byte[] value = packer.toByteArray();
      byte[] withTrailer = new byte[value.length + 3];
      System.arraycopy(value, 0, withTrailer, 1, value.length);
      // at an offset, with bytes after it: the end is where the value ends
      assertEquals(1 + value.length, MsgpackExtent.end(withTrailer, 1, withTrailer.length), "round " + round);
      assertEquals(value.length, MsgpackExtent.end(value, 0, value.length));
      int cut = random.nextInt(value.length);
      assertEquals(-1, MsgpackExtent.end(value, 0, cut), "cut at " + cut + " of " + value.length);
    }
  }

  @Test
  void refusesTheNeverUsedTypeAndImpossibleCounts() {
    assertEquals(-1, MsgpackExtent.end(new byte[] {(byte) 0xc1}, 0, 1));
    // array32 claiming 2^32-1 elements in 5 bytes
    byte[] huge = {(byte) 0xdd, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertEquals(-1, MsgpackExtent.end(huge, 0, huge.length));
    // str32 claiming more bytes than there are
    byte[] longString = {(byte) 0xdb, 0, 0, 1, 0, 'a'};
    assertEquals(-1, MsgpackExtent.end(longString, 0, longString.length));
  }

  private static void writeValue(MessageBufferPacker p, Random r, int depth) throws IOException {
    int kind = r.nextInt(depth > 3 ? 9 : 12);
    switch (kind) {
      case 0 -> p.packNil();
      case 1 -> p.packBoolean(r.nextBoolean());
      case 2 -> p.packLong(r.nextInt(200) - 100);
      case 3 -> p.packLong(r.nextLong() >> r.nextInt(64));
      case 4 -> p.packDouble(r.nextDouble());
      case 5 -> p.packFloat(r.nextFloat());
      case 6 -> p.packString("x".repeat(r.nextInt(r.nextBoolean() ? 40 : 70_000)));
      case 7 -> {
        byte[] bin = new byte[r.nextInt(r.nextBoolean() ? 10 : 300)];
        p.packBinaryHeader(bin.length).writePayload(bin);
      }
      case 8 -> {
        int[] sizes = {1, 2, 4, 8, 16, 3, 300, 70_000};
        int size = sizes[r.nextInt(sizes.length)];
        p.packExtensionTypeHeader((byte) 5, size).writePayload(new byte[size]);
      }
      case 9, 10 -> {
        int n = r.nextInt(r.nextInt(10) == 0 ? 20 : 5);
        p.packArrayHeader(n);
        for (int i = 0; i < n; i++) {
          writeValue(p, r, depth + 1);
        }
      }
      default -> {
        int n = r.nextInt(r.nextInt(10) == 0 ? 20 : 5);
        p.packMapHeader(n);
        for (int i = 0; i < n; i++) {
          p.packString("k" + i);
          writeValue(p, r, depth + 1);
        }
      }
    }
  }
}
