package dev.tollgate.router.internal.transport;

import dev.tollgate.protocol.Abort;
import dev.tollgate.protocol.Goodbye;
import dev.tollgate.protocol.MessageCodes;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.router.RouterConfig;
import dev.tollgate.router.internal.core.Identity;
import dev.tollgate.router.internal.core.Peer;
import dev.tollgate.router.internal.core.Publication;
import dev.tollgate.router.internal.core.RouterSession;
import dev.tollgate.router.internal.core.WireFormat;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.CloseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection carrying WAMP, on Jetty's websocket-core; a subclass per dialect (v2, v1) decodes and
 * encodes.
 *
 * <p>Inbound: frames arrive one at a time on the selector's thread (the next only after {@code demand()}; see
 * {@link TollgateEndPoint}), are reassembled, decoded and handed to the {@link RouterSession} in order. Outbound: the
 * core hands this {@link Peer} messages, and publications encoded once per format; every message goes through a
 * bounded {@link OutboundQueue}, and whatever has gathered is framed ({@link ServerFrames}) into one pooled direct
 * buffer and written at once, by this connection's writer thread or by the thread whose read queued it
 * ({@link InlineFlushes}). Jetty's session still writes the control frames (close, ping, pong); its {@link Wire} takes
 * its writes and ours one at a time.
 *
 * <p>Threading: Jetty calls the frame handler methods one at a time; the {@link Peer} methods are called from any
 * thread, possibly while the caller holds a session's lock, so they only queue and never call into a session.
 */
abstract class WebSocketConnection implements FrameHandler, Peer {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);
  protected final Transport transport;
  protected final RouterConfig config;
  private final WireFormat format;
  protected final Wire endPoint;
  private final OutboundQueue queue;
  private final SocketWriter writer;
  private final AtomicBoolean closed = new AtomicBoolean();

  protected volatile CoreSession ws;
  protected volatile RouterSession session;
  private volatile long lastInboundNanos = System.nanoTime();
  /** Whole messages from frames; only the inbound thread touches it. */
  private final MessageAssembler assembler = new MessageAssembler(new MessageAssembler.Receiver() {
    @Override
    public CompletableFuture<?> message(ByteBuffer bytes, boolean binary) {
      return closed.get() ? null : onMessage(bytes, binary);
    }

    @Override
    public void skipped(byte[] head, long size, boolean binary) {
      dropOversized(head, size, binary);
    }
  });
  /** Why the router closed this connection, for the log line when it has closed; null when the peer did. */
  private volatile String closeCause;
  /** The client's address, proxies resolved; set before the connection opens. */
  private volatile String clientAddress;
  /** The peer, as the log names it; set when the connection opens. */
  private volatile String remoteText;
  /** The largest message this peer may send now: by its identity once known (see {@link #joined}). */
  private volatile int messageLimit;

  protected final Identity urlIdentity;

  /** @param urlIdentity who the upgrade request's ticket proved this peer to be, or null */
  WebSocketConnection(Transport transport, WireFormat format, Identity urlIdentity, Wire endPoint) {
    this.transport = transport;
    this.config = transport.config();
    this.urlIdentity = urlIdentity;
    this.format = format;
    this.endPoint = endPoint;
    this.queue = new OutboundQueue(config.outboundQueueBytes(), config.outboundQueueMessages());
    this.writer = new SocketWriter(this, queue, transport.writers(), format.binary());
    this.messageLimit = messageLimitFor(urlIdentity);
  }

  /** One whole inbound message; returns a future when the next may be read only after it completes, else null. */
  protected abstract CompletableFuture<?> onMessage(ByteBuffer bytes, boolean binaryFrame);

  /** Encodes a message for this peer. */
  protected abstract byte[] encode(WampMessage message);

  /** The connection is open and registered: start the session (v2 waits for HELLO, v1 joins at once). */
  protected abstract void opened();

  @Override
  public void onOpen(CoreSession coreSession, Callback callback) {
    this.ws = coreSession;
    // Kept for the log line of the close, when Jetty no longer knows it; with the client's address behind a proxy.
    String peer = String.valueOf(coreSession.getRemoteAddress());
    String client = clientAddress;
    this.remoteText = client == null || peer.contains(client) ? peer : client + " via " + peer;
    boolean v1 = format == WireFormat.V1;
    this.session = transport.core().openSession(this, urlIdentity, v1, !v1);
    transport.connections().opened(this);
    opened();
    callback.succeeded();
    coreSession.demand();
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    lastInboundNanos = System.nanoTime();
    CompletableFuture<?> pending = null;
    try {
      pending = switch (frame.getOpCode()) {
        case OpCode.TEXT, OpCode.BINARY -> assembler.first(frame, messageLimit);
        case OpCode.CONTINUATION -> assembler.continuation(frame, messageLimit);
        case OpCode.PING -> pong(frame);
        case OpCode.CLOSE -> answerEmptyClose(frame);
        default -> null; // PONG only proves liveness
      };
    } catch (RuntimeException | Error bug) {
      // A defect in the router must cost this connection at most, never the process or other sessions.
      LOG.error("internal error on connection from {}; closing it", remote(), bug);
      close(CloseStatus.SERVER_ERROR, "internal error");
    } finally {
      callback.succeeded();
    }
    if (frame.getOpCode() == OpCode.CLOSE) {
      return;
    }
    if (pending == null) {
      ws.demand();
    } else {
      // The session is waiting for a slow check (a ticket): the next message is read only after it is done.
      pending.whenComplete((x, e) -> ws.demand());
    }
  }

  /**
   * A close without a status code is answered with 1000, as Ratchet does, so browsers report a normal close rather
   * than 1005; any other close is echoed by Jetty.
   */
  private CompletableFuture<?> answerEmptyClose(Frame close) {
    if (close.getPayloadLength() == 0) {
      ws.close(CloseStatus.NORMAL, null, Callback.NOOP);
    }
    return null;
  }

  /** RFC 6455: a PONG with the PING's payload. Jetty's core leaves it to the frame handler. */
  private CompletableFuture<?> pong(Frame ping) {
    ByteBuffer payload = ByteBuffer.allocate(ping.getPayloadLength());
    if (ping.hasPayload()) {
      payload.put(ping.getPayload().duplicate()).flip();
    }
    ws.sendFrame(new Frame(OpCode.PONG, payload), Callback.NOOP, false);
    return null;
  }

  /** The limit for {@code who} (null: not joined yet); computed when the identity is known, not per frame. */
  private int messageLimitFor(Identity who) {
    return who != null && who.authrole().equals(config.get("auth.anonymous-ticket-role"))
        ? config.backendMaxMessageSize() : config.maxMessageSize();
  }

  /**
   * A message over the limit was read and dropped, not the connection: closing would lose what the peer sends next
   * (Oro's PHP publisher never reads, so it would not notice the close, and its next publications would vanish).
   * The peer is told where its protocol has an answer; the log names the session, the size and the setting.
   */
  private void dropOversized(byte[] head, long size, boolean binary) {
    transport.core().counters().oversizedMessages.increment();
    boolean backend = messageLimit != config.maxMessageSize();
    String setting = backend ? "limits.backend-max-message-size" : "limits.max-message-size";
    RouterSession s = session;
    Identity who = s.identity();
    LOG.warn("dropped a message of {} bytes from {} (session {}, {}): larger than {} bytes ({})", size,
        remote(), s.id(), who == null ? "not joined" : "authid " + who.authid() + ", role " + who.authrole(),
        messageLimit, setting);
    String message = "message of " + size + " bytes dropped: larger than " + messageLimit + " bytes ("
        + setting + ")";
    rejectOversized(head, binary, message);
  }

  /** Answers a message dropped for its size, from its first bytes, where the dialect has an answer. */
  protected abstract void rejectOversized(byte[] head, boolean binaryFrame, String message);

  @Override
  public void onError(Throwable cause, Callback callback) {
    if (cause instanceof CloseException close) {
      closeCause = close.getStatusCode() + " " + close.getMessage();
    }
    LOG.debug("connection from {} failed: {}", remote(), cause.toString());
    callback.succeeded();
  }

  @Override
  public void onClosed(CloseStatus closeStatus, Callback callback) {
    try {
      closed.set(true);
      queue.clear();
      logClose(closeStatus);
      session.transportClosed();
      transport.connections().closed(this);
    } finally {
      callback.succeeded();
    }
  }

  /** One line per closed connection, saying who closed it and why. */
  private void logClose(CloseStatus status) {
    RouterSession s = session;
    Identity who = s.identity() != null ? s.identity() : urlIdentity;
    String cause = closeCause;
    String by = cause != null ? "by the router: " + cause : "by the peer: " + status.getCode()
        + (status.getReason() == null || status.getReason().isEmpty() ? "" : " " + status.getReason());
    long joined = s.joinedNanos();
    String duration = joined == 0 ? "never joined"
        : String.format(java.util.Locale.ROOT, "joined for %.1f s", (System.nanoTime() - joined) / 1e9);
    LOG.info("connection from {} closed (session {}{}, {}, {}) {}", remote(), s.id(),
        who == null ? "" : ", authid " + who.authid() + ", role " + who.authrole(), dialect(), duration, by);
  }

  /** The session joined a realm: the identity sets the message limit; one line says who joined. */
  @Override
  public void joined(Identity who) {
    messageLimit = messageLimitFor(who);
    RouterSession s = session;
    LOG.info("session {} joined realm {} from {} (authid {}, role {}, {})", s.id(),
        s.realm() == null ? "?" : s.realm().name(), remote(), who.authid(), who.authrole(), dialect());
  }

  /** How the peer speaks, for the log: json, msgpack, cbor or v1. */
  private String dialect() {
    return session.dialect();
  }

  /**
   * Called by the router's periodic sweep: pings a quiet receiver, closes a silent one. A connection that receives
   * nothing (it holds no subscription, registration or call: Oro's backend publishers, which keep one connection for
   * the life of a process and never read from it, so never answer a PING) is never closed for silence: losing it
   * would lose its next publications without a word to it. TCP keep-alive finds such a peer when it is dead.
   */
  void checkLiveness(long nowNanos, long pingIntervalNanos, long idleTimeoutNanos) {
    RouterSession s = session;
    if (s == null || !s.expectsDeliveries()) {
      // Silence is counted only while the connection has something to receive.
      lastInboundNanos = nowNanos;
      return;
    }
    long quiet = nowNanos - lastInboundNanos;
    if (quiet > idleTimeoutNanos) {
      close(CloseStatus.SHUTDOWN, "idle timeout: nothing received for " + TimeUnit.NANOSECONDS.toMillis(quiet) + " ms"
          + " (session.idle-timeout) while holding subscriptions or registrations");
    } else if (pingIntervalNanos > 0 && quiet > pingIntervalNanos && !closed.get()) {
      ws.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
    }
  }

  /** Bytes waiting in this connection's outbound queue. */
  long queuedBytes() {
    return queue.queuedBytes();
  }

  RouterSession session() {
    return session;
  }

  /**
   * For Jetty's dump: who, to which path, which session, and what waits to be written. Of the query only its size: it
   * may hold a ticket (the WebSocket layer no longer keeps an accepted ticket's, see {@code UrlTicketHandler}, but a
   * page told of a refused ticket inside a WebSocket still has it in its URI).
   */
  @Override
  public String toString() {
    RouterSession s = session;
    CoreSession c = ws;
    String to = "?";
    if (c != null) {
      java.net.URI uri = c.getRequestURI();
      to = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?<query of " + uri.getRawQuery().length() + " chars>");
    }
    return format + " connection from " + remote() + " to " + to + " (session " + (s == null ? 0 : s.id()) + ", "
        + queue + ")";
  }

  @Override
  public WireFormat format() {
    return format;
  }

  @Override
  public void send(WampMessage message) {
    byte[] bytes = encode(message);
    if (bytes != null) {
      transport.core().counters().messageOut(message.code());
      sendBytes(bytes);
    }
  }

  /** Queues one message already encoded for this peer; for a dialect that encodes messages of its own making. */
  protected void sendBytes(byte[] bytes) {
    enqueue(bytes);
  }

  /** Whether the transport is closed or closing. */
  protected boolean isClosed() {
    return closed.get();
  }

  @Override
  public void deliver(Publication publication) {
    enqueue(publication.encoded(format));
  }

  @Override
  public void sendAndClose(WampMessage last) {
    if (closeCause == null) {
      closeCause = last instanceof Abort abort
          ? "ABORT " + abort.reason() + " " + abort.details().getOrDefault("message", "")
          : last instanceof Goodbye goodbye ? "GOODBYE " + goodbye.reason() : MessageCodes.name(last.code());
    }
    send(last);
    close(CloseStatus.NORMAL, null);
  }

  @Override
  public void sayGoodbye(Goodbye goodbye) {
    send(goodbye);
  }

  @Override
  public void close(Peer.Close how, String reason) {
    close(how == Peer.Close.NORMAL ? CloseStatus.NORMAL : CloseStatus.SHUTDOWN, reason);
  }

  @Override
  public String describe() {
    return remote();
  }

  @Override
  public String clientAddress() {
    return remoteAddress();
  }

  /** Closes the transport with a WebSocket close code and reason, after what is already queued. */
  void close(int closeCode, String reason) {
    if (closed.get()) {
      return;
    }
    if (closeCause == null) {
      closeCause = closeCode + (reason == null ? "" : " " + reason);
    }
    queue.offerClose(new OutboundQueue.CloseAfter(closeCode, reason));
    writer.schedule();
  }

  String remote() {
    String r = remoteText;
    if (r != null) {
      return r;
    }
    CoreSession s = ws;
    return s == null || s.getRemoteAddress() == null ? "?" : String.valueOf(s.getRemoteAddress());
  }

  /** The client's address as the upgrade request showed it, proxies resolved ({@link ClientAddress}). */
  void setClientAddress(String address) {
    this.clientAddress = address;
  }

  String remoteAddress() {
    String client = clientAddress;
    if (client != null) {
      return client;
    }
    CoreSession s = ws;
    if (s != null && s.getRemoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null) {
      return a.getAddress().getHostAddress();
    }
    return "?";
  }

  /**
   * Resets the connection at once, after the session's state is gone, without waiting for queued frames: for
   * shutdown, whose peers have had {@code server.shutdown-grace} to answer GOODBYE. The log line says why.
   */
  void abort(String why) {
    if (closeCause == null) {
      closeCause = "reset: " + why;
    }
    endPoint.resetConnection();
  }

  /**
   * Ends the connection without a close handshake, as WAMP v1 wants (AutobahnJS 0.8 reconnects only after an unclean
   * close): what the socket holds still goes, then a FIN, and a peer that has not closed within
   * {@code session.close-grace} is reset.
   */
  protected void closeWithoutHandshake(String why) {
    if (closed.compareAndSet(false, true)) {
      if (closeCause == null) {
        closeCause = why;
      }
      queue.clear();
      endPoint.shutdownOutputThenReset(config.closeGrace());
    }
  }


  private void enqueue(byte[] message) {
    if (closed.get()) {
      return;
    }
    if (!queue.offer(message)) {
      disconnectSlowConsumer();
      return;
    }
    writer.schedule();
  }

  private void disconnectSlowConsumer() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    transport.core().counters().slowConsumerDisconnects.increment();
    String reason = "slow consumer: more than " + queue.maxMessages() + " messages or " + queue.maxBytes()
        + " bytes queued (limits.outbound-queue-*)";
    LOG.info("disconnecting {} (session {}): {}", remote(), session.id(), reason);
    closeCause = "1008 " + reason;
    queue.clear();
    // RFC 6455 7.1.7: "the endpoint SHOULD send a Close frame with an appropriate status code (Section 7.4) before
    // proceeding to _Close the WebSocket Connection_". The frame waits for the write in progress, which a peer that
    // does not read never lets finish; so after the grace the connection is reset, which frees what the kernel holds
    // for it and tells the peer, where a FIN would wait behind the unread bytes. RFC 6455 7.1.1: "An endpoint MAY close
    // the connection via any means available when necessary, such as when under attack."
    // On the writer thread, not the sender's: the sender may hold its session's lock (see Peer), and closing may call
    // back into this connection's session. The session leaves at once, not when the close completes, so that
    // publishers stop finding it in the tables.
    writer.execute(() -> {
      ws.close(CloseStatus.POLICY_VIOLATION, reason, Callback.NOOP);
      endPoint.resetConnectionUnlessClosedWithin(config.closeGrace());
      session.transportClosed();
    });
  }

  CoreSession coreSession() {
    return ws;
  }

  Wire endPoint() {
    return endPoint;
  }

  java.time.Duration closeGrace() {
    return config.closeGrace();
  }

  /** The writer wrote the queued close's turn: the close frame goes now, and nothing after it. */
  void closedByWriter(int code, String reason) {
    closed.set(true);
    ws.close(code, reason, Callback.NOOP);
  }
}
