package dev.tollgate.router.internal.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.protocol.WampErrors;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A browser's upgrade whose URL ticket was refused ({@link BrowserRefusal}). It sends one text frame,
 * {@code {"error":"wamp.error.authentication_failed","message":"ticket refused: …","status":401}} (the status the
 * HTTP answer would have had: 401, 429 or 503), and {@link #LINGER_MS} later drops the TCP connection without a close
 * frame. No WELCOME, no session: nothing else is ever sent, and what the page sends meanwhile is read and ignored.
 * AutobahnJS 0.8 ignores the frame (a JSON object, not a WAMP message); a script holding the socket reads it.
 */
final class RefusedConnection implements FrameHandler {
  /**
   * How long the connection stays open after the 101. Firefox 153 never fires {@code open} for a socket whose TCP
   * connection ends right after the 101 (7 of 10 times when it ended at once, 2 of 20 after 20 ms; none of 20 after
   * 50, 100 or 250 ms), and its page would see "could not be established" again. Ten times the shortest that sufficed.
   */
  static final long LINGER_MS = 500;
  private static final JsonFactory JSON = new JsonFactory();

  private final Scheduler scheduler;
  private final BrowserRefusal.Refused refused;
  private volatile CoreSession session;

  RefusedConnection(Scheduler scheduler, BrowserRefusal.Refused refused) {
    this.scheduler = scheduler;
    this.refused = refused;
  }

  @Override
  public void onOpen(CoreSession coreSession, Callback callback) {
    session = coreSession;
    callback.succeeded();
    coreSession.sendFrame(new Frame(OpCode.TEXT, reason(refused)), Callback.NOOP, false);
    // abort() closes the socket without a close frame: the page sees an unclean close (1006), which AutobahnJS
    // reports as a lost connection, not as CONNECTION_CLOSED, the one code after which Oro's wrapper gives up.
    scheduler.schedule(coreSession::abort, LINGER_MS, TimeUnit.MILLISECONDS);
    coreSession.demand();
  }

  @Override
  public void onFrame(Frame frame, Callback callback) {
    callback.succeeded();
    if (frame.getOpCode() != OpCode.CLOSE) {
      session.demand();
    }
  }

  @Override
  public void onError(Throwable cause, Callback callback) {
    callback.succeeded();
  }

  @Override
  public void onClosed(CloseStatus closeStatus, Callback callback) {
    callback.succeeded();
  }

  static String reason(BrowserRefusal.Refused refused) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("error", WampErrors.AUTHENTICATION_FAILED);
      g.writeStringField("message", refused.message());
      g.writeNumberField("status", refused.status());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
