package dev.tollgate.bench.load;

import java.net.URI;

/**
 * A router under test: its WebSocket URL, the pid of its process (0 if unknown: no CPU or memory figures), a label
 * for the table, and the serializers it speaks.
 */
record Target(String label, String url, String host, int port, String path, long pid, java.util.Set<String> serializers) {

    static Target parse(String label, String url, long pid, java.util.Set<String> serializers) {
        URI u = URI.create(url);
        if (!"ws".equals(u.getScheme())) throw new IllegalArgumentException("--url: expected ws://host:port/path but was " + url);
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (u.getRawQuery() != null) path += "?" + u.getRawQuery();
        return new Target(label, url, u.getHost(), u.getPort() < 0 ? 80 : u.getPort(), path, pid, serializers);
    }

    boolean speaks(Dialect d) {
        return serializers.contains(d.serializerName());
    }
}
