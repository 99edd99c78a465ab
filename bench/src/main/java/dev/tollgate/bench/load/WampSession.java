package dev.tollgate.bench.load;

/**
 * A WAMP session over one {@link WsConnection}: sends HELLO (v2) or waits for the router's WELCOME (v1), then hands
 * every message with its type to a {@link Handler}. Threading as for the connection: callbacks on the loop thread,
 * {@link #send} from any thread.
 */
final class WampSession implements WsConnection.Listener {
    /** What a scenario does with a session; all on the loop thread. */
    interface Handler {
        default void onWelcome(WampSession s) {
        }

        void onMessage(WampSession s, int type, byte[] b, int off, int len);

        default void onClose(WampSession s, String reason) {
        }
    }

    final Dialect dialect;
    final WsConnection conn;
    private final String realm;
    private final Handler handler;
    private final Fleet fleet;
    private boolean welcomed;
    /** Set once by the fleet when the scenario declared the session ready (welcomed, subscribed, registered…). */
    boolean ready;
    /** Scenario-owned state, touched on the loop thread only. */
    long counter;
    final int index;

    WampSession(Fleet fleet, int index, Target target, Dialect dialect, String realm, Handler handler) {
        this.fleet = fleet;
        this.index = index;
        this.dialect = dialect;
        this.realm = realm;
        this.handler = handler;
        this.conn = new WsConnection(target, dialect.subprotocol, this);
    }

    void send(byte[] message) {
        conn.send(message, dialect.binary);
    }

    void close() {
        conn.close();
    }

    @Override
    public void onOpen(WsConnection c) {
        if (dialect != Dialect.V1) send(Wire.hello(dialect, realm));
    }

    @Override
    public void onMessage(WsConnection c, byte[] buf, int off, int len) {
        int type = Wire.type(dialect, buf, off, len);
        if (!welcomed) {
            if (type == (dialect == Dialect.V1 ? Wire.V1_WELCOME : Wire.WELCOME)) {
                welcomed = true;
                handler.onWelcome(this);
            } else {
                fleet.noteUnexpected("expected WELCOME but was " + Wire.text(dialect, buf, off, len));
                c.closeNow("no WELCOME");
            }
            return;
        }
        handler.onMessage(this, type, buf, off, len);
    }

    @Override
    public void onClose(WsConnection c, String reason) {
        fleet.closed(this, reason);
        handler.onClose(this, reason);
    }
}
