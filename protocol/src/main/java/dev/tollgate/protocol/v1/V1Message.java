package dev.tollgate.protocol.v1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One message of WAMP v1, the dialect of AutobahnJS 0.8, Ratchet, GosWebSocketBundle and OroSyncBundle
 * (WebSocket subprotocol {@code wamp}), always JSON. Fields that Ratchet tolerates missing are null here; the router
 * decides what a missing one means.
 */
public sealed interface V1Message {
  int WELCOME = 0;
  int PREFIX = 1;
  int CALL = 2;
  int CALLRESULT = 3;
  int CALLERROR = 4;
  int SUBSCRIBE = 5;
  int UNSUBSCRIBE = 6;
  int PUBLISH = 7;
  int EVENT = 8;

  /** The elements as they go on the wire. */
  List<Object> toList();

  /** {@code [WELCOME, sessionId, protocolVersion, serverIdent]}, from the server. */
  record Welcome(String sessionId, String serverIdent) implements V1Message {
    @Override
    public List<Object> toList() {
      return List.of(WELCOME, sessionId, 1, serverIdent);
    }
  }

  /** {@code [PREFIX, prefix, uri]}, from the client: {@code prefix:suffix} then stands for {@code uri + suffix}. */
  record Prefix(String prefix, String uri) implements V1Message {
    @Override
    public List<Object> toList() {
      return Arrays.asList(PREFIX, prefix, uri);
    }
  }

  /** {@code [CALL, callId, procUri, arg…]}, from the client; the call id is a string or a number, echoed as is. */
  record Call(Object callId, String procUri, List<Object> args) implements V1Message {
    @Override
    public List<Object> toList() {
      List<Object> l = new ArrayList<>(Arrays.asList(CALL, callId, procUri));
      l.addAll(args);
      return l;
    }
  }

  /** {@code [CALLRESULT, callId, result]}, from the server. */
  record CallResult(Object callId, Object result) implements V1Message {
    @Override
    public List<Object> toList() {
      return Arrays.asList(CALLRESULT, callId, result);
    }
  }

  /** {@code [CALLERROR, callId, errorUri, errorDesc(, errorDetails)]}, from the server; details null = omitted. */
  record CallError(Object callId, String errorUri, String errorDesc, Object errorDetails) implements V1Message {
    @Override
    public List<Object> toList() {
      List<Object> l = new ArrayList<>(Arrays.asList(CALLERROR, callId, errorUri, errorDesc));
      if (errorDetails != null) {
        l.add(errorDetails);
      }
      return l;
    }
  }

  /** {@code [SUBSCRIBE, topicUri]}, from the client. */
  record Subscribe(String topic) implements V1Message {
    @Override
    public List<Object> toList() {
      return Arrays.asList(SUBSCRIBE, topic);
    }
  }

  /** {@code [UNSUBSCRIBE, topicUri]}, from the client. */
  record Unsubscribe(String topic) implements V1Message {
    @Override
    public List<Object> toList() {
      return Arrays.asList(UNSUBSCRIBE, topic);
    }
  }

  /**
   * {@code [PUBLISH, topicUri, event(, excludeMe | exclude(, eligible))]}, from the client.
   *
   * @param excludeMe whether the publisher is excluded (element 3 when it is not a list)
   * @param exclude session ids not to deliver to (element 3 when it is a list), never null
   * @param eligible session ids to deliver to (element 4), empty meaning everyone, never null
   */
  record Publish(String topic, Object event, boolean excludeMe, List<String> exclude, List<String> eligible)
      implements V1Message {
    @Override
    public List<Object> toList() {
      return Arrays.asList(PUBLISH, topic, event, exclude.isEmpty() ? excludeMe : exclude, eligible);
    }
  }

  /** {@code [EVENT, topicUri, event]}, from the server. */
  record Event(String topic, Object event) implements V1Message {
    @Override
    public List<Object> toList() {
      return Arrays.asList(EVENT, topic, event);
    }
  }
}
