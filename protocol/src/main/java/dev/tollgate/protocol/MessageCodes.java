package dev.tollgate.protocol;

/** The type codes of WAMP v2 messages, from the spec's message table. */
public final class MessageCodes {
  public static final int HELLO = 1;
  public static final int WELCOME = 2;
  public static final int ABORT = 3;
  public static final int CHALLENGE = 4;
  public static final int AUTHENTICATE = 5;
  public static final int GOODBYE = 6;
  public static final int ERROR = 8;
  public static final int PUBLISH = 16;
  public static final int PUBLISHED = 17;
  public static final int SUBSCRIBE = 32;
  public static final int SUBSCRIBED = 33;
  public static final int UNSUBSCRIBE = 34;
  public static final int UNSUBSCRIBED = 35;
  public static final int EVENT = 36;
  public static final int CALL = 48;
  public static final int CANCEL = 49;
  public static final int RESULT = 50;
  public static final int REGISTER = 64;
  public static final int REGISTERED = 65;
  public static final int UNREGISTER = 66;
  public static final int UNREGISTERED = 67;
  public static final int INVOCATION = 68;
  public static final int INTERRUPT = 69;
  public static final int YIELD = 70;
  /** Provisional code of the acknowledged-event-delivery feature, pending ratification. */
  public static final int EVENT_RECEIVED = 337;

  private MessageCodes() {}

  /** The spec's name of a type code, or {@code "message type N"} for a code WAMP does not define. */
  public static String name(int code) {
    return switch (code) {
      case HELLO -> "HELLO";
      case WELCOME -> "WELCOME";
      case ABORT -> "ABORT";
      case CHALLENGE -> "CHALLENGE";
      case AUTHENTICATE -> "AUTHENTICATE";
      case GOODBYE -> "GOODBYE";
      case ERROR -> "ERROR";
      case PUBLISH -> "PUBLISH";
      case PUBLISHED -> "PUBLISHED";
      case SUBSCRIBE -> "SUBSCRIBE";
      case SUBSCRIBED -> "SUBSCRIBED";
      case UNSUBSCRIBE -> "UNSUBSCRIBE";
      case UNSUBSCRIBED -> "UNSUBSCRIBED";
      case EVENT -> "EVENT";
      case CALL -> "CALL";
      case CANCEL -> "CANCEL";
      case RESULT -> "RESULT";
      case REGISTER -> "REGISTER";
      case REGISTERED -> "REGISTERED";
      case UNREGISTER -> "UNREGISTER";
      case UNREGISTERED -> "UNREGISTERED";
      case INVOCATION -> "INVOCATION";
      case INTERRUPT -> "INTERRUPT";
      case YIELD -> "YIELD";
      case EVENT_RECEIVED -> "EVENT_RECEIVED";
      default -> "message type " + code;
    };
  }
}
