package dev.tollgate.bench.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A router under test: its WebSocket URL, the pid of its process (0 if unknown: no CPU or memory figures), a label
 * for the table, and the serializers it speaks.
 *
 * <p>A router of several nodes is one target with a URL per node and a pid per process (the nodes, and Redis): its
 * CPU is theirs together, and its sessions are spread by role ({@link #at}).
 */
record Target(String label, String url, String host, int port, String path, long pid, java.util.Set<String> serializers,
              List<Target> nodes, long[] pids) {

    /** @param urls one URL, or several separated by commas (the nodes of one router); pids likewise */
    static Target parse(String label, String urls, String pids, java.util.Set<String> serializers) {
        List<Target> nodes = new ArrayList<>();
        String[] pidList = pids.isEmpty() ? new String[0] : pids.split(",");
        long[] allPids = new long[pidList.length];
        for (int i = 0; i < pidList.length; i++) allPids[i] = Long.parseLong(pidList[i].trim());
        String[] urlList = urls.split(",");
        for (int i = 0; i < urlList.length; i++) {
            URI u = URI.create(urlList[i].trim());
            if (!"ws".equals(u.getScheme())) throw new IllegalArgumentException("--url: expected ws://host:port/path but was " + u);
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            if (u.getRawQuery() != null) path += "?" + u.getRawQuery();
            long pid = i < allPids.length ? allPids[i] : 0;
            nodes.add(new Target(label, u.toString(), u.getHost(), u.getPort() < 0 ? 80 : u.getPort(), path, pid,
                    serializers, List.of(), new long[] {pid}));
        }
        Target first = nodes.get(0);
        return new Target(label, first.url(), first.host(), first.port(), first.path(), first.pid(), serializers,
                List.copyOf(nodes), allPids.length == 0 ? new long[] {0} : allPids);
    }

    boolean speaks(Dialect d) {
        return serializers.contains(d.serializerName());
    }

    /**
     * Where the {@code index}-th session of fleet {@code fleet} connects. On one node, there. On several: publishers
     * and callees on the first node, callers on the others in turn (so that every call crosses nodes), everything
     * else (subscribers) on all nodes in turn.
     */
    Target at(String fleet, int index) {
        if (nodes.size() <= 1) return this;
        return switch (fleet) {
            case "pub", "callee" -> nodes.get(0);
            case "caller" -> nodes.get(1 + index % (nodes.size() - 1));
            default -> nodes.get(index % nodes.size());
        };
    }
}
