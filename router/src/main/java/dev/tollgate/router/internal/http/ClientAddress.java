package dev.tollgate.router.internal.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The address of the client behind a request: the peer's own address, unless the peer is a trusted reverse proxy
 * (nginx in front of Oro), in which case the proxy's {@code Forwarded} or {@code X-Forwarded-For} header names it.
 *
 * <p>Those headers are a list that every proxy appends to, and a client may send one of its own with anything in
 * it; only the entries appended by trusted proxies can be believed. So the list is read from the right, skipping
 * trusted proxies, and the first entry that is not one is the client (RFC 7239 section 7.4: "the last proxy in the
 * chain is the only one ... the recipient can trust"). From a peer that is not trusted, the headers are ignored.
 */
public final class ClientAddress {
  /** An address range: a network prefix of {@code bits} bits. */
  record Range(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Range> trusted;

  public ClientAddress(List<String> trustedProxies) {
    this.trusted = parseRanges(trustedProxies);
  }

  /** The client's address for an HTTP request (an upgrade or a ticket request). */
  public String of(org.eclipse.jetty.server.Request request) {
    var headers = request.getHeaders();
    List<String> xff = headers.getValuesList(org.eclipse.jetty.http.HttpHeader.X_FORWARDED_FOR);
    List<String> forwarded = headers.getValuesList(org.eclipse.jetty.http.HttpHeader.FORWARDED);
    return resolve(org.eclipse.jetty.server.Request.getRemoteAddr(request),
        forwarded.isEmpty() ? null : String.join(",", forwarded), xff.isEmpty() ? null : String.join(",", xff));
  }

  /** Parses {@code 10.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}; a bad entry fails, naming it. */
  public static List<Range> parseRanges(List<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      int slash = entry.indexOf('/');
      String host = slash < 0 ? entry : entry.substring(0, slash);
      byte[] network = literal(host);
      if (network == null) {
        throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR range");
      }
      int bits = network.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > network.length * 8) {
          throw new IllegalArgumentException("'" + entry + "' has a bad prefix length");
        }
      }
      ranges.add(new Range(network, bits));
    }
    return ranges;
  }

  /**
   * The client's address.
   *
   * @param peer the TCP peer's IP address
   * @param forwarded the {@code Forwarded} header, or null
   * @param xForwardedFor the {@code X-Forwarded-For} header (all of its lines joined with commas), or null
   */
  String resolve(String peer, String forwarded, String xForwardedFor) {
    if (!isTrusted(peer)) {
      return peer;
    }
    List<String> chain = forwarded != null ? forwardedFor(forwarded) : xForwardedFor != null ? split(xForwardedFor) : List.of();
    for (int i = chain.size() - 1; i >= 0; i--) {
      String hop = chain.get(i);
      if (literal(hop) == null) {
        // "unknown", an obfuscated name or garbage: nothing before it can be trusted, and it names no address.
        return peer;
      }
      if (!isTrusted(hop)) {
        return normalize(hop);
      }
    }
    return chain.isEmpty() ? peer : normalize(chain.get(0));
  }

  boolean isTrusted(String address) {
    byte[] bytes = literal(address);
    if (bytes == null) {
      return false;
    }
    for (Range r : trusted) {
      if (r.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code for=} values of an RFC 7239 header, in order: {@code for=192.0.2.60, for="[2001:db8::1]:4711"}. */
  private static List<String> forwardedFor(String header) {
    List<String> hops = new ArrayList<>();
    for (String element : header.split(",")) {
      for (String pair : element.split(";")) {
        String p = pair.strip();
        if (p.regionMatches(true, 0, "for=", 0, 4)) {
          hops.add(stripPort(unquote(p.substring(4).strip())));
        }
      }
    }
    return hops;
  }

  private static List<String> split(String header) {
    List<String> hops = new ArrayList<>();
    for (String hop : header.split(",")) {
      if (!hop.isBlank()) {
        hops.add(stripPort(hop.strip()));
      }
    }
    return hops;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  /** {@code [2001:db8::1]:4711} → {@code 2001:db8::1}; {@code 192.0.2.60:80} → {@code 192.0.2.60}. */
  private static String stripPort(String hop) {
    if (hop.startsWith("[")) {
      int end = hop.indexOf(']');
      return end > 0 ? hop.substring(1, end) : hop;
    }
    int colon = hop.indexOf(':');
    return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
  }

  private static String normalize(String address) {
    try {
      return InetAddress.getByAddress(literal(address)).getHostAddress();
    } catch (UnknownHostException e) {
      return address;
    }
  }

  /** The bytes of an IP literal, or null for anything else; never a DNS lookup. */
  static byte[] literal(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    boolean v6 = s.indexOf(':') >= 0;
    if (!v6) {
      String[] parts = s.split("\\.", -1);
      if (parts.length != 4) {
        return null;
      }
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
          return null;
        }
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          return null;
        }
        b[i] = (byte) v;
      }
      return b;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return null; // a zone id or a name: not an address we compare
      }
    }
    try {
      // Only hex digits, colons and dots: InetAddress parses it as a literal and never resolves a name.
      byte[] b = InetAddress.getByName(s).getAddress();
      return b;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Whether an address this class gave is a loopback one (a literal, so no lookup happens). */
  static boolean isLoopback(String address) {
    try {
      return java.net.InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
