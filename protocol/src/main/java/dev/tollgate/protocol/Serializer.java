package dev.tollgate.protocol;

import dev.tollgate.protocol.internal.JacksonWampCodec;
import java.util.Optional;

/** The WAMP v2 serializers Tollgate speaks, each with its WebSocket subprotocol. */
public enum Serializer {
  JSON("wamp.2.json", false),
  MSGPACK("wamp.2.msgpack", true),
  CBOR("wamp.2.cbor", true);

  private final String subprotocol;
  private final boolean binary;
  private volatile WampCodec codec;

  Serializer(String subprotocol, boolean binary) {
    this.subprotocol = subprotocol;
    this.binary = binary;
  }

  /** The WebSocket subprotocol, e.g. {@code wamp.2.json}. */
  public String subprotocol() {
    return subprotocol;
  }

  /** Whether messages travel in binary WebSocket frames (text frames otherwise). */
  public boolean binary() {
    return binary;
  }

  /** The shared codec of this serializer. */
  public WampCodec codec() {
    WampCodec c = codec;
    if (c == null) {
      c = new JacksonWampCodec(this);
      codec = c;
    }
    return c;
  }

  public static Optional<Serializer> forSubprotocol(String subprotocol) {
    for (Serializer s : values()) {
      if (s.subprotocol.equals(subprotocol)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
