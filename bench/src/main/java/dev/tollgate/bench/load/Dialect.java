package dev.tollgate.bench.load;

/** The wire dialects the load generator speaks: WAMP v2 over JSON or MessagePack, and WAMP v1 (JSON). */
enum Dialect {
    JSON("wamp.2.json", "json", false),
    MSGPACK("wamp.2.msgpack", "msgpack", true),
    V1("wamp", "v1", false);

    final String subprotocol;
    private final String serializerName;
    final boolean binary;

    Dialect(String subprotocol, String serializerName, boolean binary) {
        this.subprotocol = subprotocol;
        this.serializerName = serializerName;
        this.binary = binary;
    }

    String serializerName() {
        return serializerName;
    }

    static Dialect of(String name) {
        for (Dialect d : values()) if (d.serializerName.equals(name)) return d;
        throw new IllegalArgumentException("serializer: expected json, msgpack or v1 but was " + name);
    }
}
