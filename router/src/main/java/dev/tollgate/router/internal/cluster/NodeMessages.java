package dev.tollgate.router.internal.cluster;

import dev.tollgate.protocol.MatchPolicy;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampCodec;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.router.internal.core.Cluster;
import dev.tollgate.router.internal.core.InvocationPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What nodes tell each other besides publications, as bytes: a header (kind, sending node, realm) and then, for a
 * call's message, the callee and the WAMP message in MessagePack; for a registration, who registered what.
 */
final class NodeMessages {
  static final byte CALL = 1;
  static final byte REGISTERED = 2;
  static final byte UNREGISTERED = 3;
  /** A node stops: the others drop its stand-ins now rather than when its heartbeat expires. */
  static final byte NODE_GONE = 4;
  /** End a session of the receiving node ({@code wamp.session.kill} on another). */
  static final byte KILL = 5;
  /** A session in the shared session directory: what {@code wamp.session.get} tells of it. */
  static final byte SESSION = 6;
  /** An authentication failed on the sending node, from the address in {@code realm}'s place. */
  static final byte AUTH_FAILURE = 7;

  private static final WampCodec CODEC = Serializer.MSGPACK.codec();

  /** A decoded message: what each kind carries, the rest null or 0. */
  record Decoded(byte kind, long node, String realm, long session, WampMessage message,
      Cluster.RemoteRegistration registration, long registrationId, Map<String, Object> details) {
    Decoded(byte kind, long node, String realm, long session, WampMessage message,
        Cluster.RemoteRegistration registration, long registrationId) {
      this(kind, node, realm, session, message, registration, registrationId, null);
    }
  }

  private NodeMessages() {}

  static byte[] call(long node, String realm, long callee, WampMessage message) {
    return write(CALL, node, realm, out -> {
      out.writeLong(callee);
      out.write(CODEC.encode(message));
    });
  }

  static byte[] registered(long node, String realm, Cluster.RemoteRegistration r) {
    return write(REGISTERED, node, realm, out -> {
      out.writeLong(r.session());
      out.writeUTF(r.authid());
      out.writeInt(r.roles().size());
      for (String role : r.roles()) {
        out.writeUTF(role);
      }
      out.writeBoolean(r.cancels());
      out.writeBoolean(r.progress());
      out.writeBoolean(r.streams());
      out.writeLong(r.registrationId());
      out.writeUTF(r.procedure());
      out.writeUTF(r.match().name());
      out.writeUTF(r.invoke().name());
      out.writeBoolean(r.forwardTimeout());
    });
  }

  static byte[] unregistered(long node, String realm, long session, long registrationId) {
    return write(UNREGISTERED, node, realm, out -> {
      out.writeLong(session);
      out.writeLong(registrationId);
    });
  }

  static byte[] nodeGone(long node) {
    return write(NODE_GONE, node, "", out -> {});
  }

  /** A KILL's reason and message travel as a session's details: {@code reason}, {@code message} (may be absent). */
  static byte[] kill(long node, String realm, long session, String reason, String message) {
    return write(KILL, node, realm, out -> {
      out.writeLong(session);
      out.writeUTF(reason);
      out.writeUTF(message == null ? "" : message);
    });
  }

  static byte[] authFailure(long node, String address) {
    return write(AUTH_FAILURE, node, address, out -> {});
  }

  /** {@code details} as {@code SessionMetaApi.details} makes them. */
  static byte[] session(long node, String realm, Map<String, Object> details) {
    return write(SESSION, node, realm, out -> {
      out.writeLong(((Number) details.get("session")).longValue());
      for (String key : SESSION_STRINGS) {
        out.writeUTF(String.valueOf(details.get(key)));
      }
      Object transport = details.get("transport");
      out.writeUTF(transport instanceof Map<?, ?> t ? String.valueOf(t.get("protocol")) : "");
    });
  }

  private static final List<String> SESSION_STRINGS = List.of("authid", "authrole", "authmethod", "authprovider");

  /** The message in {@code bytes}; an {@link IllegalArgumentException} when no Tollgate node wrote it. */
  static Decoded decode(byte[] bytes) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      byte kind = in.readByte();
      long node = in.readLong();
      String realm = in.readUTF();
      switch (kind) {
        case CALL -> {
          long callee = in.readLong();
          int at = bytes.length - in.available();
          WampMessage message = CODEC.decode(ByteBuffer.wrap(bytes, at, bytes.length - at));
          return new Decoded(kind, node, realm, callee, message, null, 0);
        }
        case REGISTERED -> {
          long session = in.readLong();
          String authid = in.readUTF();
          int n = in.readInt();
          List<String> roles = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            roles.add(in.readUTF());
          }
          Cluster.RemoteRegistration r = new Cluster.RemoteRegistration(session, authid, roles, in.readBoolean(),
              in.readBoolean(), in.readBoolean(), in.readLong(), in.readUTF(), MatchPolicy.valueOf(in.readUTF()),
              InvocationPolicy.valueOf(in.readUTF()), in.readBoolean());
          return new Decoded(kind, node, realm, session, null, r, r.registrationId());
        }
        case UNREGISTERED -> {
          long session = in.readLong();
          return new Decoded(kind, node, realm, session, null, null, in.readLong());
        }
        case NODE_GONE -> {
          return new Decoded(kind, node, realm, 0, null, null, 0);
        }
        case KILL -> {
          long session = in.readLong();
          String reason = in.readUTF();
          String message = in.readUTF();
          Map<String, Object> how = new HashMap<>();
          how.put("reason", reason);
          if (!message.isEmpty()) {
            how.put("message", message);
          }
          return new Decoded(kind, node, realm, session, null, null, 0, how);
        }
        case AUTH_FAILURE -> {
          return new Decoded(kind, node, realm, 0, null, null, 0);
        }
        case SESSION -> {
          long session = in.readLong();
          Map<String, Object> details = new HashMap<>();
          details.put("session", session);
          for (String key : SESSION_STRINGS) {
            details.put(key, in.readUTF());
          }
          details.put("transport", Map.of("type", "websocket", "protocol", in.readUTF()));
          return new Decoded(kind, node, realm, session, null, null, 0, details);
        }
        default -> throw new IllegalArgumentException("unknown kind " + kind);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a Tollgate node's message: " + e.getMessage(), e);
    }
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] write(byte kind, long node, String realm, Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(kind);
      out.writeLong(node);
      out.writeUTF(realm);
      body.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
