package dev.tollgate.router.internal.core;

import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.v1.V1Codec;
import dev.tollgate.protocol.v1.V1Message;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The form a peer reads messages in: one of the WAMP v2 serializers, WAMP v1, or (for in-process peers) the message
 * objects themselves. A publication is encoded at most once per format (see {@link Publication}).
 */
public enum WireFormat {
  JSON(Serializer.JSON),
  MSGPACK(Serializer.MSGPACK),
  CBOR(Serializer.CBOR),
  V1(null),
  /** An in-process peer: nothing is encoded, it reads {@link Publication#event()}. */
  OBJECTS(null);

  private final Serializer serializer;

  WireFormat(Serializer serializer) {
    this.serializer = serializer;
  }

  public static WireFormat of(Serializer serializer) {
    return switch (serializer) {
      case JSON -> JSON;
      case MSGPACK -> MSGPACK;
      case CBOR -> CBOR;
    };
  }

  /** Whether the bytes are binary (MessagePack, CBOR) rather than text. */
  public boolean binary() {
    return serializer != null && serializer.binary();
  }

  byte[] encodeEvent(Publication p) {
    if (serializer != null) {
      return serializer.codec().encode(p.event());
    }
    if (this == V1) {
      return V1Codec.encode(new V1Message.Event(p.topic(), v1Value(p.event().payload())));
    }
    throw new IllegalStateException("an in-process peer reads the event, not its bytes");
  }

  /**
   * A v2 payload as WAMP v1's single value: the one positional argument; the keyword arguments when there are only
   * those; null when there is nothing; else {@code {"args": […], "kwargs": {…}}}.
   */
  public static Object v1Value(Payload payload) {
    if (payload.isOpaque()) {
      return payload.opaque();
    }
    List<Object> args = payload.argsOrEmpty();
    Map<String, Object> kwargs = payload.kwargsOrEmpty();
    if (kwargs.isEmpty()) {
      return args.isEmpty() ? null : args.size() == 1 ? args.get(0) : both(args, kwargs);
    }
    return args.isEmpty() ? kwargs : both(args, kwargs);
  }

  private static Map<String, Object> both(List<Object> args, Map<String, Object> kwargs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("args", args);
    m.put("kwargs", kwargs);
    return m;
  }
}
