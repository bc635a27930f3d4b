package io.quicksilver.http;

import io.quicksilver.config.Cidr;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code Forwarded} (RFC 7239) and {@code X-Forwarded-Proto}, {@code -Host}, {@code -For}, honoured only from
 * the peers of {@code http.trusted_proxies}; from anyone else they are ignored, as any client can send them.
 *
 * <p>What a trusted proxy says replaces what the connection says: the scheme and the host (so the derived
 * resource identifier, the RFC 9728 metadata and the demo's {@code Secure} cookie follow the public URL) and the
 * client address (the access log). {@code Forwarded} wins over the {@code X-Forwarded-*} headers when both
 * are present. Through a chain of proxies, the hops are read from the nearest one back, past every hop whose
 * address is trusted as well: the first untrusted one is the client, and the scheme and host are those that
 * hop's proxy recorded ({@code Forwarded}) or the last values of the lists ({@code X-Forwarded-*}: proxies
 * that pass them on). A scheme other than {@code http} or {@code https}, or a host that is no valid authority,
 * is ignored.
 */
public final class TrustedProxies {

  /** What a trusted proxy said about a request; null fields: the connection's own value stands. */
  record Forwarded(String scheme, HostAndPort host, String client) {
  }

  private final List<Cidr> trusted;

  public TrustedProxies(List<Cidr> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  /** The request as the trusted proxy describes it, or the request itself when no trusted proxy forwarded it. */
  public HttpServerRequest apply(HttpServerRequest request) {
    if (trusted.isEmpty()) {
      return request;
    }
    SocketAddress peer = request.remoteAddress();
    if (peer == null || !trusts(peer.hostAddress())) {
      return request;
    }
    Forwarded f = read(request.headers());
    return f == null ? request : ForwardedRequest.wrap(request, f);
  }

  /** Whether the address (a literal) is one of the trusted proxies. */
  boolean trusts(String address) {
    InetAddress a = literal(address);
    if (a == null) {
      return false;
    }
    for (Cidr c : trusted) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /** Reads the forwarding headers of a request from a trusted peer; null when it has none. */
  Forwarded read(MultiMap headers) {
    List<String> forwarded = headers.getAll("Forwarded");
    if (!forwarded.isEmpty()) {
      return fromForwarded(elements(String.join(",", forwarded)));
    }
    List<String> xfProto = list(headers.getAll("X-Forwarded-Proto"));
    List<String> xfHost = list(headers.getAll("X-Forwarded-Host"));
    List<String> xfFor = list(headers.getAll("X-Forwarded-For"));
    if (xfProto.isEmpty() && xfHost.isEmpty() && xfFor.isEmpty()) {
      return null;
    }
    String client = null;
    for (int i = xfFor.size() - 1; i >= 0; i--) {
      client = address(xfFor.get(i));
      if (client == null || i == 0 || !trusts(client)) {
        break;
      }
    }
    return new Forwarded(scheme(last(xfProto)), host(last(xfHost)), client);
  }

  private Forwarded fromForwarded(List<List<String[]>> elements) {
    if (elements.isEmpty()) {
      return null;
    }
    int hop = elements.size() - 1;
    while (hop > 0 && trusts(address(param(elements.get(hop), "for")))) {
      hop--;
    }
    String proto = null;
    String host = null;
    for (int i = hop; i < elements.size() && (proto == null || host == null); i++) { // the hop's, else the next proxy's
      proto = proto != null ? proto : param(elements.get(i), "proto");
      host = host != null ? host : param(elements.get(i), "host");
    }
    return new Forwarded(scheme(proto), host(host), address(param(elements.get(hop), "for")));
  }

  /** Splits a {@code Forwarded} value into elements of {@code name=value} pairs (quoted strings unquoted). */
  static List<List<String[]>> elements(String value) {
    List<List<String[]>> out = new ArrayList<>();
    List<String[]> element = new ArrayList<>();
    StringBuilder name = new StringBuilder();
    StringBuilder val = new StringBuilder();
    boolean inValue = false;
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < value.length()) {
          val.append(value.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        } else {
          val.append(c);
        }
      } else if (c == '"' && inValue) {
        quoted = true;
      } else if (c == '=' && !inValue) {
        inValue = true;
      } else if (c == ';' || c == ',') {
        pair(element, name, val);
        inValue = false;
        if (c == ',') {
          out.add(element);
          element = new ArrayList<>();
        }
      } else if (c != ' ' && c != '\t') {
        (inValue ? val : name).append(c);
      }
    }
    pair(element, name, val);
    out.add(element);
    out.removeIf(List::isEmpty);
    return out;
  }

  private static void pair(List<String[]> element, StringBuilder name, StringBuilder val) {
    if (name.length() > 0) {
      element.add(new String[] {name.toString().toLowerCase(Locale.ROOT), val.toString()});
    }
    name.setLength(0);
    val.setLength(0);
  }

  private static String param(List<String[]> element, String name) {
    for (String[] p : element) {
      if (p[0].equals(name)) {
        return p[1];
      }
    }
    return null;
  }

  private static List<String> list(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  private static String last(List<String> values) {
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }

  private static String scheme(String proto) {
    if (proto == null) {
      return null;
    }
    String p = proto.toLowerCase(Locale.ROOT);
    return p.equals("http") || p.equals("https") ? p : null;
  }

  private static HostAndPort host(String host) {
    return host == null || host.isEmpty() ? null : HostAndPort.parseAuthority(host, -1);
  }

  /** The IP address of a node ({@code 192.0.2.1}, {@code 192.0.2.1:80}, {@code [2001:db8::1]:80}); null for obfuscated or unknown ones. */
  static String address(String node) {
    if (node == null) {
      return null;
    }
    String n = node.trim();
    if (n.startsWith("[")) {
      int end = n.indexOf(']');
      n = end < 0 ? "" : n.substring(1, end);
    } else if (n.indexOf(':') >= 0 && n.indexOf(':') == n.lastIndexOf(':')) {
      n = n.substring(0, n.indexOf(':'));
    }
    InetAddress a = literal(n);
    return a == null ? null : a.getHostAddress();
  }

  private static InetAddress literal(String address) {
    if (address == null || !(address.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || address.contains(":") && address.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+"))) {
      return null;
    }
    try {
      return InetAddress.getByName(address); // a literal: no lookup
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }
}
