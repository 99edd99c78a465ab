package dev.tollgate.protocol.internal;

import static dev.tollgate.protocol.MessageCodes.*;

import dev.tollgate.protocol.Abort;
import dev.tollgate.protocol.Authenticate;
import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Cancel;
import dev.tollgate.protocol.Challenge;
import dev.tollgate.protocol.ErrorMessage;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.EventReceived;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.Hello;
import dev.tollgate.protocol.Ids;
import dev.tollgate.protocol.Interrupt;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.ProtocolViolationException;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Published;
import dev.tollgate.protocol.Register;
import dev.tollgate.protocol.Registered;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Subscribe;
import dev.tollgate.protocol.Subscribed;
import dev.tollgate.protocol.Unregister;
import dev.tollgate.protocol.Unregistered;
import dev.tollgate.protocol.Unsubscribe;
import dev.tollgate.protocol.Unsubscribed;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Welcome;
import dev.tollgate.protocol.Yield;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Builds a message record from its wire list, checking every element. Error messages name the message, the element
 * (0-based, the type code being element 0) and what was wrong, e.g.
 * {@code SUBSCRIBE element 3 (Topic|uri): expected string but was integer 42}.
 */
public final class MessageDecoder {
  private MessageDecoder() {}

  public static WampMessage decode(Object wire) {
    if (!(wire instanceof List<?> list)) {
      throw new ProtocolViolationException("expected a message list but was " + Values.describe(wire));
    }
    if (list.isEmpty()) {
      throw new ProtocolViolationException("expected a message list but was an empty list");
    }
    Object first = list.get(0);
    if (!(first instanceof Integer || first instanceof Long)) {
      throw new ProtocolViolationException(
          "element 0 (message type): expected integer but was " + Values.describe(first));
    }
    long code = ((Number) first).longValue();
    Elements e = new Elements(list, code >= 0 && code <= Integer.MAX_VALUE ? MessageCodes.name((int) code) : "?");
    switch ((int) code) {
      case HELLO:
        e.arity(3, 3);
        return new Hello(e.string(1, "Realm|uri"), Options.check(e, "Details", e.dict(2, "Details|dict"), Options.HELLO));
      case WELCOME:
        e.arity(3, 3);
        return new Welcome(e.id(1, "Session|id"), e.dict(2, "Details|dict"));
      case ABORT:
        e.arity(3, 3);
        return new Abort(e.dict(1, "Details|dict"), e.string(2, "Reason|uri"));
      case CHALLENGE:
        e.arity(3, 3);
        return new Challenge(e.string(1, "AuthMethod|string"), e.dict(2, "Extra|dict"));
      case AUTHENTICATE:
        e.arity(3, 3);
        return new Authenticate(e.string(1, "Signature|string"), e.dict(2, "Extra|dict"));
      case GOODBYE:
        e.arity(3, 3);
        return new Goodbye(e.dict(1, "Details|dict"), e.string(2, "Reason|uri"));
      case ERROR: {
        e.arity(5, 7);
        Map<String, Object> details = e.dict(3, "Details|dict");
        return new ErrorMessage(
            e.integer(1, "REQUEST.Type|int"), e.id(2, "REQUEST.Request|id"), details,
            e.string(4, "Error|uri"), e.payload(5, details));
      }
      case PUBLISH: {
        e.arity(4, 6);
        Map<String, Object> options = Options.check(e, "Options", e.dict(2, "Options|dict"), Options.PUBLISH);
        return new Publish(e.id(1, "Request|id"), options, e.string(3, "Topic|uri"), e.payload(4, options));
      }
      case PUBLISHED:
        e.arity(3, 3);
        return new Published(e.id(1, "PUBLISH.Request|id"), e.id(2, "Publication|id"));
      case SUBSCRIBE:
        e.arity(4, 4);
        return new Subscribe(
            e.id(1, "Request|id"), Options.check(e, "Options", e.dict(2, "Options|dict"), Options.SUBSCRIBE),
            e.string(3, "Topic|uri"));
      case SUBSCRIBED:
        e.arity(3, 3);
        return new Subscribed(e.id(1, "SUBSCRIBE.Request|id"), e.id(2, "Subscription|id"));
      case UNSUBSCRIBE:
        e.arity(3, 3);
        return new Unsubscribe(e.id(1, "Request|id"), e.id(2, "SUBSCRIBED.Subscription|id"));
      case UNSUBSCRIBED:
        e.arity(2, 3);
        return new Unsubscribed(e.id(1, "UNSUBSCRIBE.Request|id"), e.size() > 2 ? e.dict(2, "Details|dict") : null);
      case EVENT: {
        e.arity(4, 6);
        Map<String, Object> details = Options.check(e, "Details", e.dict(3, "Details|dict"), Options.EVENT);
        return new Event(
            e.id(1, "SUBSCRIBED.Subscription|id"), e.id(2, "PUBLISHED.Publication|id"), details,
            e.payload(4, details));
      }
      case EVENT_RECEIVED:
        e.arity(2, 2);
        return new EventReceived(e.id(1, "EVENT.Publication|id"));
      case CALL: {
        e.arity(4, 6);
        Map<String, Object> options = Options.check(e, "Options", e.dict(2, "Options|dict"), Options.CALL);
        return new Call(e.id(1, "Request|id"), options, e.string(3, "Procedure|uri"), e.payload(4, options));
      }
      case CANCEL:
        e.arity(3, 3);
        return new Cancel(e.id(1, "CALL.Request|id"), Options.check(e, "Options", e.dict(2, "Options|dict"), Options.CANCEL));
      case RESULT: {
        e.arity(3, 5);
        Map<String, Object> details = Options.check(e, "Details", e.dict(2, "Details|dict"), Options.RESULT);
        return new Result(e.id(1, "CALL.Request|id"), details, e.payload(3, details));
      }
      case REGISTER:
        e.arity(4, 4);
        return new Register(
            e.id(1, "Request|id"), Options.check(e, "Options", e.dict(2, "Options|dict"), Options.REGISTER),
            e.string(3, "Procedure|uri"));
      case REGISTERED:
        e.arity(3, 3);
        return new Registered(e.id(1, "REGISTER.Request|id"), e.id(2, "Registration|id"));
      case UNREGISTER:
        e.arity(3, 3);
        return new Unregister(e.id(1, "Request|id"), e.id(2, "REGISTERED.Registration|id"));
      case UNREGISTERED:
        e.arity(2, 3);
        return new Unregistered(e.id(1, "UNREGISTER.Request|id"), e.size() > 2 ? e.dict(2, "Details|dict") : null);
      case INVOCATION: {
        e.arity(4, 6);
        Map<String, Object> details = Options.check(e, "Details", e.dict(3, "Details|dict"), Options.INVOCATION);
        return new Invocation(
            e.id(1, "Request|id"), e.id(2, "REGISTERED.Registration|id"), details, e.payload(4, details));
      }
      case INTERRUPT:
        e.arity(3, 3);
        return new Interrupt(e.id(1, "INVOCATION.Request|id"), Options.check(e, "Options", e.dict(2, "Options|dict"), Options.CANCEL));
      case YIELD: {
        e.arity(3, 5);
        Map<String, Object> options = Options.check(e, "Options", e.dict(2, "Options|dict"), Options.YIELD);
        return new Yield(e.id(1, "INVOCATION.Request|id"), options, e.payload(3, options));
      }
      default:
        throw new ProtocolViolationException("unknown message type " + code);
    }
  }

  /** Typed access to the elements of one wire list, with errors that say where and what. */
  static final class Elements {
    private final List<?> list;
    private final String message;

    Elements(List<?> list, String message) {
      this.list = list;
      this.message = message;
    }

    int size() {
      return list.size();
    }

    String message() {
      return message;
    }

    void arity(int min, int max) {
      int n = list.size();
      if (n < min || n > max) {
        String expected = min == max ? String.valueOf(min) : min + " to " + max;
        throw new ProtocolViolationException(
            message + ": expected " + expected + " elements but was " + n);
      }
    }

    ProtocolViolationException wrong(int index, String label, String expected) {
      return new ProtocolViolationException(
          message + " element " + index + " (" + label + "): expected " + expected + " but was "
              + Values.describe(list.get(index)));
    }

    long id(int index, String label) {
      Object v = list.get(index);
      if ((v instanceof Integer || v instanceof Long)) {
        long id = ((Number) v).longValue();
        if (id >= 0 && id <= Ids.MAX) {
          return id;
        }
      }
      if (v instanceof Double d && d == Math.rint(d) && d >= 0 && d <= Ids.MAX) {
        // Some JavaScript encoders (msgpackr, cbor-x) send integers of 2^32 and more as floats; the value is exact.
        return d.longValue();
      }
      if (v instanceof BigInteger || v instanceof Integer || v instanceof Long || v instanceof Double) {
        throw wrong(index, label, "an id in [0, 2^53]");
      }
      throw wrong(index, label, "integer");
    }

    int integer(int index, String label) {
      Object v = list.get(index);
      if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0 && ((Number) v).longValue() <= Integer.MAX_VALUE) {
        return ((Number) v).intValue();
      }
      throw wrong(index, label, "integer");
    }

    String string(int index, String label) {
      if (list.get(index) instanceof String s) {
        return s;
      }
      throw wrong(index, label, "string");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> dict(int index, String label) {
      if (list.get(index) instanceof Map<?, ?> m) {
        return (Map<String, Object>) m;
      }
      throw wrong(index, label, "dict");
    }

    /**
     * The trailing payload from {@code index} on: one opaque value when the options or details name an
     * {@code enc_algo} (payload passthru mode), else an optional args list and an optional kwargs dict.
     */
    @SuppressWarnings("unchecked")
    Payload payload(int index, Map<String, Object> optionsOrDetails) {
      int n = list.size();
      if (optionsOrDetails.containsKey("enc_algo")) {
        if (n != index + 1) {
          throw new ProtocolViolationException(
              message + ": expected exactly one payload element in payload passthru mode but was " + (n - index));
        }
        Object opaque = list.get(index);
        if (!(opaque instanceof byte[] || opaque instanceof String)) {
          throw wrong(index, "Payload|binary", "binary or string");
        }
        return Payload.opaque(opaque);
      }
      if (n <= index) {
        return Payload.EMPTY;
      }
      // Some JavaScript routers (fox-wamp) write null for absent arguments: null means absent.
      Object rawArgs = list.get(index);
      if (rawArgs != null && !(rawArgs instanceof List<?>)) {
        throw wrong(index, "Arguments|list", "list");
      }
      Map<String, Object> kwargs = n > index + 1 && list.get(index + 1) != null ? dict(index + 1, "ArgumentsKw|dict") : null;
      return Payload.of((List<Object>) rawArgs, kwargs);
    }
  }
}
