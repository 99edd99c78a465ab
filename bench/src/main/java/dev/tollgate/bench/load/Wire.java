package dev.tollgate.bench.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the few WAMP messages the load generator sends and reads the few elements it needs from what arrives,
 * without building any object tree: a received message is scanned in place.
 *
 * <p>Every event payload is the argument list {@code [sendTimeNanos, sequence, "padding…"]}, so that the receive
 * side finds the send time among the first bytes. Times are {@link System#nanoTime()} minus a process-wide origin,
 * hence positive and below 2^53 (JavaScript routers keep them exact).
 */
final class Wire {
    static final int HELLO = 1, WELCOME = 2, ABORT = 3, ERROR = 8, PUBLISH = 16, PUBLISHED = 17, SUBSCRIBE = 32,
            SUBSCRIBED = 33, EVENT = 36, CALL = 48, RESULT = 50, REGISTER = 64, REGISTERED = 65, INVOCATION = 68,
            YIELD = 70;
    static final int V1_WELCOME = 0, V1_SUBSCRIBE = 5, V1_PUBLISH = 7, V1_EVENT = 8;
    private static final long ORIGIN = System.nanoTime() - 1_000_000_000L;

    private Wire() {
    }

    static long now() {
        return System.nanoTime() - ORIGIN;
    }

    static byte[] padding(int size) {
        byte[] p = new byte[size];
        for (int i = 0; i < size; i++) p[i] = (byte) ('a' + i % 26);
        return p;
    }

    // ---- encoding

    static byte[] hello(Dialect d, String realm) {
        if (d == Dialect.MSGPACK) {
            return new Mp().arr(3).i(HELLO).s(realm).map(1).s("roles").map(4).s("subscriber").map(0).s("publisher").map(0)
                    .s("caller").map(0).s("callee").map(0).bytes();
        }
        return ascii("[1,\"" + realm + "\",{\"roles\":{\"subscriber\":{},\"publisher\":{},\"caller\":{},\"callee\":{}}}]");
    }

    static byte[] subscribe(Dialect d, long req, String topic) {
        return switch (d) {
            case MSGPACK -> new Mp().arr(4).i(SUBSCRIBE).i(req).map(0).s(topic).bytes();
            case JSON -> ascii("[32," + req + ",{},\"" + topic + "\"]");
            case V1 -> ascii("[5,\"" + topic + "\"]");
        };
    }

    /** REGISTER; with an invocation policy (shared registration) when {@code invoke} is not null. */
    static byte[] register(Dialect d, long req, String procedure, String invoke) {
        if (d == Dialect.MSGPACK) {
            Mp w = new Mp().arr(4).i(REGISTER).i(req);
            w = invoke == null ? w.map(0) : w.map(1).s("invoke").s(invoke);
            return w.s(procedure).bytes();
        }
        String options = invoke == null ? "{}" : "{\"invoke\":\"" + invoke + "\"}";
        return ascii("[64," + req + "," + options + ",\"" + procedure + "\"]");
    }

    static byte[] call(Dialect d, long req, String procedure) {
        if (d == Dialect.MSGPACK) return new Mp().arr(4).i(CALL).i(req).map(0).s(procedure).bytes();
        return ascii("[48," + req + ",{},\"" + procedure + "\"]");
    }

    static byte[] yield(Dialect d, long invocationRequest) {
        if (d == Dialect.MSGPACK) return new Mp().arr(3).i(YIELD).i(invocationRequest).map(0).bytes();
        return ascii("[70," + invocationRequest + ",{}]");
    }

    /** PUBLISH (v2) or v1 PUBLISH of the event [time, seq, padding] into dst; returns its length. */
    static int publish(Dialect d, byte[] dst, long req, String topic, long time, long seq, byte[] padding) {
        if (d == Dialect.MSGPACK) {
            Mp w = new Mp().arr(5).i(PUBLISH).i(req).map(0).s(topic).arr(3).i(time).i(seq);
            w.str(padding);
            byte[] b = w.bytes();
            System.arraycopy(b, 0, dst, 0, b.length);
            return b.length;
        }
        int p = d == Dialect.V1 ? put(dst, 0, "[7,\"") : put(dst, put(dst, 0, "[16,"), Long.toString(req) + ",{},\"");
        p = put(dst, p, topic);
        p = put(dst, p, "\",[");
        p = put(dst, p, Long.toString(time));
        p = put(dst, p, ",");
        p = put(dst, p, Long.toString(seq));
        p = put(dst, p, ",\"");
        System.arraycopy(padding, 0, dst, p, padding.length);
        p += padding.length;
        return put(dst, p, "\"]]");
    }

    // ---- decoding

    /** The message type (element 0), or -1 if the message does not start like a WAMP message. */
    static int type(Dialect d, byte[] b, int off, int len) {
        if (len < 2) return -1;
        if (d == Dialect.MSGPACK) {
            int b1 = b[off + 1] & 0xff;
            return (b[off] & 0xf0) == 0x90 && b1 < 128 ? b1 : -1;
        }
        if (b[off] != '[') return -1;
        int v = 0, i = off + 1, end = off + len;
        while (i < end && b[i] == ' ') i++;
        int start = i;
        for (; i < end && b[i] >= '0' && b[i] <= '9'; i++) v = v * 10 + (b[i] - '0');
        return i == start ? -1 : v;
    }

    /** Element idx of the top-level array as an integer (it must be one). */
    static long element(Dialect d, byte[] b, int off, int len, int idx) {
        if (d == Dialect.MSGPACK) {
            int p = Mp.skipHeader(b, off);
            for (int i = 0; i < idx; i++) p = Mp.skip(b, p);
            return Mp.readLong(b, p);
        }
        int p = off + 1;
        for (int i = 0; i < idx; i++) p = Json.skipValue(b, p) + 1; // past the comma
        return Json.readLong(b, p);
    }

    /** The send time carried as first event argument: element 4 of a v2 EVENT, element 2 of a v1 EVENT. */
    static long eventTime(Dialect d, byte[] b, int off, int len) {
        int idx = d == Dialect.V1 ? 2 : 4;
        if (d == Dialect.MSGPACK) {
            int p = Mp.skipHeader(b, off);
            for (int i = 0; i < idx; i++) p = Mp.skip(b, p);
            return Mp.readLong(b, Mp.skipHeader(b, p));
        }
        int p = off + 1;
        for (int i = 0; i < idx; i++) p = Json.skipValue(b, p) + 1;
        p = Json.ws(b, p);
        return Json.readLong(b, p + 1);
    }

    static String text(Dialect d, byte[] b, int off, int len) {
        if (d == Dialect.MSGPACK) return "msgpack type " + type(d, b, off, len) + " (" + len + " bytes)";
        return new String(b, off, Math.min(len, 300), StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int put(byte[] d, int p, String s) {
        for (int i = 0; i < s.length(); i++) d[p++] = (byte) s.charAt(i);
        return p;
    }

    /** In-place JSON scanning: positions are indices into the message bytes. */
    static final class Json {
        static int ws(byte[] b, int p) {
            while (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t') p++;
            return p;
        }

        /** Returns the index just past the value starting at p (after whitespace). */
        static int skipValue(byte[] b, int p) {
            p = ws(b, p);
            byte c = b[p];
            if (c == '"') return skipString(b, p) ;
            if (c == '{' || c == '[') {
                int depth = 0;
                while (true) {
                    c = b[p];
                    if (c == '"') {
                        p = skipString(b, p);
                        continue;
                    }
                    if (c == '{' || c == '[') depth++;
                    else if (c == '}' || c == ']') {
                        if (--depth == 0) return ws(b, p + 1);
                    }
                    p++;
                }
            }
            while (b[p] != ',' && b[p] != ']' && b[p] != '}') p++;
            return p;
        }

        private static int skipString(byte[] b, int p) {
            p++;
            while (b[p] != '"') p += b[p] == '\\' ? 2 : 1;
            return ws(b, p + 1);
        }

        static long readLong(byte[] b, int p) {
            p = ws(b, p);
            boolean neg = b[p] == '-';
            if (neg) p++;
            long v = 0;
            int start = p;
            for (; b[p] >= '0' && b[p] <= '9'; p++) v = v * 10 + (b[p] - '0');
            if (p == start) throw new IllegalArgumentException("expected an integer at byte " + p);
            return neg ? -v : v;
        }
    }

    /** A tiny MessagePack writer and in-place reader. */
    static final class Mp {
        private final ByteArrayOutputStream o = new ByteArrayOutputStream(64);

        Mp arr(int n) {
            if (n < 16) o.write(0x90 | n);
            else {
                o.write(0xdc);
                o.write(n >> 8);
                o.write(n);
            }
            return this;
        }

        Mp map(int n) {
            o.write(0x80 | n);
            return this;
        }

        Mp i(long v) {
            if (v >= 0 && v < 128) o.write((int) v);
            else {
                o.write(v >= 0 ? 0xcf : 0xd3);
                for (int k = 7; k >= 0; k--) o.write((int) (v >>> (8 * k)));
            }
            return this;
        }

        Mp s(String s) {
            return str(s.getBytes(StandardCharsets.UTF_8));
        }

        Mp str(byte[] b) {
            if (b.length < 32) o.write(0xa0 | b.length);
            else if (b.length < 256) {
                o.write(0xd9);
                o.write(b.length);
            } else if (b.length < 65536) {
                o.write(0xda);
                o.write(b.length >> 8);
                o.write(b.length);
            } else {
                o.write(0xdb);
                for (int k = 3; k >= 0; k--) o.write(b.length >>> (8 * k));
            }
            o.write(b, 0, b.length);
            return this;
        }

        byte[] bytes() {
            return o.toByteArray();
        }

        /** Index of the first element of the array or map whose header starts at p. */
        static int skipHeader(byte[] b, int p) {
            int t = b[p] & 0xff;
            if ((t & 0xf0) == 0x90 || (t & 0xf0) == 0x80) return p + 1;
            if (t == 0xdc || t == 0xde) return p + 3;
            if (t == 0xdd || t == 0xdf) return p + 5;
            throw new IllegalArgumentException("expected an array or map but was type byte " + t);
        }

        static int skip(byte[] b, int p) {
            int t = b[p] & 0xff;
            if (t < 0x80 || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3) return p + 1;
            if ((t & 0xe0) == 0xa0) return p + 1 + (t & 0x1f);
            if ((t & 0xf0) == 0x90) return skipN(b, p + 1, t & 0x0f);
            if ((t & 0xf0) == 0x80) return skipN(b, p + 1, 2 * (t & 0x0f));
            return switch (t) {
                case 0xcc, 0xd0 -> p + 2;
                case 0xcd, 0xd1 -> p + 3;
                case 0xca, 0xce, 0xd2 -> p + 5;
                case 0xcb, 0xcf, 0xd3 -> p + 9;
                case 0xd9, 0xc4 -> p + 2 + (b[p + 1] & 0xff);
                case 0xda, 0xc5 -> p + 3 + u16(b, p + 1);
                case 0xdb, 0xc6 -> p + 5 + (int) u32(b, p + 1);
                case 0xdc -> skipN(b, p + 3, u16(b, p + 1));
                case 0xdd -> skipN(b, p + 5, (int) u32(b, p + 1));
                case 0xde -> skipN(b, p + 3, 2 * u16(b, p + 1));
                case 0xdf -> skipN(b, p + 5, 2 * (int) u32(b, p + 1));
                case 0xd4 -> p + 3;
                case 0xd5 -> p + 4;
                case 0xd6 -> p + 6;
                case 0xd7 -> p + 10;
                case 0xd8 -> p + 18;
                case 0xc7 -> p + 3 + (b[p + 1] & 0xff);
                case 0xc8 -> p + 4 + u16(b, p + 1);
                case 0xc9 -> p + 6 + (int) u32(b, p + 1);
                default -> throw new IllegalArgumentException("unknown msgpack type byte " + t);
            };
        }

        private static int skipN(byte[] b, int p, int n) {
            for (int i = 0; i < n; i++) p = skip(b, p);
            return p;
        }

        static long readLong(byte[] b, int p) {
            int t = b[p] & 0xff;
            if (t < 0x80) return t;
            if (t >= 0xe0) return (byte) t;
            int n = switch (t) {
                case 0xcc, 0xd0 -> 1;
                case 0xcd, 0xd1 -> 2;
                case 0xce, 0xd2 -> 4;
                case 0xcf, 0xd3 -> 8;
                default -> throw new IllegalArgumentException("expected an integer but was type byte " + t);
            };
            long v = 0;
            for (int i = 1; i <= n; i++) v = (v << 8) | (b[p + i] & 0xff);
            if (t >= 0xd0 && n < 8) v = (v << (64 - 8 * n)) >> (64 - 8 * n);
            return v;
        }

        private static int u16(byte[] b, int p) {
            return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
        }

        private static long u32(byte[] b, int p) {
            return ((long) u16(b, p) << 16) | u16(b, p + 2);
        }
    }
}
