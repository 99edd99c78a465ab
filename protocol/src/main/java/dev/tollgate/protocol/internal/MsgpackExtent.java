package dev.tollgate.protocol.internal;

/**
 * Where the first MessagePack value in a byte range ends, found by skipping over it without decoding anything.
 *
 * <p>The codec uses it to tell trailing bytes after a message: asking Jackson's MessagePack parser for a next token
 * at the end of input throws an exception, which cost three times the whole decode.
 */
final class MsgpackExtent {
  private MsgpackExtent() {}

  /** The offset just after the value that starts at {@code from}, or -1 if the bytes up to {@code to} hold no whole value. */
  static int end(byte[] b, int from, int to) {
    int p = from;
    long pending = 1; // values still to skip: nested arrays and maps add their elements
    while (pending > 0) {
      if (p >= to || pending > to - p) {
        return -1; // every value takes at least one byte
      }
      int type = b[p] & 0xff;
      pending--;
      long skip;
      if (type <= 0x7f || type >= 0xe0 || type == 0xc0 || type == 0xc2 || type == 0xc3) {
        skip = 1;
      } else if (type <= 0x8f) {
        skip = 1;
        pending += 2L * (type & 0x0f);
      } else if (type <= 0x9f) {
        skip = 1;
        pending += type & 0x0f;
      } else if (type <= 0xbf) {
        skip = 1 + (type & 0x1f);
      } else {
        switch (type) {
          case 0xc4, 0xd9 -> skip = 2 + length(b, p + 1, 1, to);
          case 0xc5, 0xda -> skip = 3 + length(b, p + 1, 2, to);
          case 0xc6, 0xdb -> skip = 5 + length(b, p + 1, 4, to);
          case 0xc7 -> skip = 3 + length(b, p + 1, 1, to);
          case 0xc8 -> skip = 4 + length(b, p + 1, 2, to);
          case 0xc9 -> skip = 6 + length(b, p + 1, 4, to);
          case 0xca, 0xce, 0xd2 -> skip = 5;
          case 0xcb, 0xcf, 0xd3 -> skip = 9;
          case 0xcc, 0xd0 -> skip = 2;
          case 0xcd, 0xd1 -> skip = 3;
          case 0xd4 -> skip = 3;
          case 0xd5 -> skip = 4;
          case 0xd6 -> skip = 6;
          case 0xd7 -> skip = 10;
          case 0xd8 -> skip = 18;
          case 0xdc -> {
            skip = 3;
            pending += length(b, p + 1, 2, to);
          }
          case 0xdd -> {
            skip = 5;
            pending += length(b, p + 1, 4, to);
          }
          case 0xde -> {
            skip = 3;
            pending += 2 * length(b, p + 1, 2, to);
          }
          case 0xdf -> {
            skip = 5;
            pending += 2 * length(b, p + 1, 4, to);
          }
          default -> {
            return -1; // 0xc1 is never used
          }
        }
      }
      if (skip < 0 || skip > to - p) {
        return -1;
      }
      p += (int) skip;
    }
    return p;
  }

  /** A big-endian unsigned length of {@code size} bytes at {@code at}; a huge negative number past the end. */
  private static long length(byte[] b, int at, int size, int to) {
    if (at + size > to) {
      return Integer.MIN_VALUE;
    }
    long n = 0;
    for (int i = 0; i < size; i++) {
      n = (n << 8) | (b[at + i] & 0xff);
    }
    return n;
  }
}
