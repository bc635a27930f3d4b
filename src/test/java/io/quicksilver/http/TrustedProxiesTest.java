package io.quicksilver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.quicksilver.config.Cidr;
import io.quicksilver.demo.Passwords;
import io.quicksilver.support.Await;
import io.quicksilver.support.TestHub;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;



/**
 * {@code Forwarded} and {@code X-Forwarded-*} headers: honoured from the trusted proxies (resource identifier,
 * metadata document, the demo's {@code Secure} cookie, the access log's client) and ignored from any other peer.
 * Loopback gives two peers: 127.0.0.1 and a client bound to 127.0.0.2.
 */
@Timeout(60)
class TrustedProxiesTest {

  private static final Map<String, String> X_FORWARDED = Map.of(
      "X-Forwarded-Proto", "https", "X-Forwarded-Host", "hub.example.com", "X-Forwarded-For", "203.0.113.7");

  private record Answer(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null ? null : v.get(0);
    }
  }

  /** One HTTP/1.1 request from the given local address (a second loopback peer), read whole. */
  private static Answer request(String from, int port, String method, String path, Map<String, String> headers, String jsonBody) {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
      if (jsonBody != null) {
        req.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int headEnd = raw.indexOf("\r\n\r\n");
      String[] lines = raw.substring(0, headEnd).split("\r\n");
      Map<String, List<String>> h = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        h.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
      return new Answer(Integer.parseInt(lines[0].split(" ")[1]), h, raw.substring(headEnd + 4));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String resource(String from, TestHub hub, Map<String, String> headers) {
    Answer a = request(from, hub.port(), "GET", ProtectedResourceMetadata.PATH, headers, null);
    assertEquals(200, a.status(), a.body());
    String body = a.body().substring(a.body().indexOf('{'), a.body().lastIndexOf('}') + 1);
    return new JsonObject(body).getString("resource");
  }

  private static String loginCookie(String from, TestHub hub, Map<String, String> headers) {
    Answer a = request(from, hub.port(), "POST", "/api/login", headers, "{\"username\":\"alice\",\"password\":\"pw-alice\"}");
    assertEquals(200, a.status(), a.body());
    return a.headers().get("set-cookie").stream().filter(c -> c.startsWith("mercureAuthorization=")).findFirst().orElseThrow();
  }

  /** Verifies that a trusted peer's forwarded scheme, host and client are used, and another peer's are ignored. */
  @Test
  void honouredFromTrustedPeersOnly() {
    Logger access = (Logger) LoggerFactory.getLogger("io.quicksilver.access");
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    access.addAppender(log);
    try (TestHub hub = TestHub.start(Map.of("QS_TRUSTED_PROXIES", "127.0.0.1", "QS_ACCESS_LOG", "true", "QS_DEMO", "true",
        "QS_DEMO_USERS", "alice:Alice:" + Passwords.hash("pw-alice"), "QS_DEMO_INTERVAL", "1h"))) {
      String local = "http://127.0.0.1:" + hub.port() + "/.well-known/mercure";
      assertEquals("https://hub.example.com/.well-known/mercure", resource("127.0.0.1", hub, X_FORWARDED));
      assertEquals(local, resource("127.0.0.2", hub, X_FORWARDED), "127.0.0.2 is no trusted proxy");
      assertEquals("https://fw.example.com:8443/.well-known/mercure", resource("127.0.0.1", hub,
          Map.of("Forwarded", "for=\"[2001:db8::7]:4711\";proto=https;host=\"fw.example.com:8443\"", "X-Forwarded-Host", "ignored.example.com")));
      assertEquals(local, resource("127.0.0.1", hub, Map.of()), "nothing forwarded: the connection's own");

      // the RFC 6750 challenge names the metadata at the public URL too
      Answer challenge = request("127.0.0.1", hub.port(), "POST", "/.well-known/mercure", X_FORWARDED, null);
      assertTrue(challenge.header("WWW-Authenticate").contains("https://hub.example.com/.well-known/oauth-protected-resource/.well-known/mercure"),
          challenge.header("WWW-Authenticate"));

      assertTrue(loginCookie("127.0.0.1", hub, X_FORWARDED).contains("Secure"), "Secure behind a TLS-terminating proxy");
      assertFalse(loginCookie("127.0.0.2", hub, X_FORWARDED).contains("Secure"), "an untrusted peer cannot ask for it");

      request("127.0.0.1", hub.port(), "GET", "/healthz?from=trusted", X_FORWARDED, null);
      request("127.0.0.2", hub.port(), "GET", "/healthz?from=untrusted", X_FORWARDED, null);
      Await.until(() -> List.copyOf(log.list), l -> l.stream().filter(e -> e.getFormattedMessage().startsWith("GET /healthz")).count() == 2,
          Duration.ofSeconds(10), l -> "access log: " + l);
      List<ILoggingEvent> health = log.list.stream().filter(e -> e.getFormattedMessage().startsWith("GET /healthz")).toList();
      assertEquals("203.0.113.7", kv(health.get(0), "client").orElseThrow());
      assertEquals("127.0.0.2", kv(health.get(1), "client").orElseThrow());
      assertEquals(200, kv(health.get(0), "status").orElseThrow());
      assertEquals("/healthz", kv(health.get(0), "path").orElseThrow(), "never the query string");
      assertTrue(log.list.stream().noneMatch(e -> e.getFormattedMessage().contains("from=")), "never the query string");
    } finally {
      access.detachAppender(log);
    }
  }

  /** Verifies that a hub trusting only 10.0.0.0/8 ignores forwarding headers from 127.0.0.1. */
  @Test
  void ignoredWhenThePeerIsNotInTheList() {
    try (TestHub hub = TestHub.start(Map.of("QS_TRUSTED_PROXIES", "10.0.0.0/8"))) {
      assertEquals("http://127.0.0.1:" + hub.port() + "/.well-known/mercure", resource("127.0.0.1", hub, X_FORWARDED));
      assertEquals("http://127.0.0.1:" + hub.port() + "/.well-known/mercure", resource("127.0.0.1", hub,
          Map.of("Forwarded", "proto=https;host=evil.example")));
    }
  }

  private static Optional<Object> kv(ILoggingEvent e, String key) {
    return e.getKeyValuePairs() == null ? Optional.empty()
        : e.getKeyValuePairs().stream().filter(p -> p.key.equals(key)).map(p -> p.value).findFirst();
  }

  /** Verifies how the headers are read through a chain of proxies: past trusted hops to the first untrusted one. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // header | value | scheme | host | client
      "X-Forwarded-For|203.0.113.7, 10.1.1.1|-|-|203.0.113.7",
      "X-Forwarded-For|198.51.100.1, 203.0.113.7, 10.1.1.1|-|-|203.0.113.7",
      "X-Forwarded-For|10.2.2.2, 10.1.1.1|-|-|10.2.2.2",
      "X-Forwarded-For|unknown|-|-|-",
      "X-Forwarded-Proto|HTTPS|https|-|-",
      "X-Forwarded-Proto|gopher|-|-|-",
      "X-Forwarded-Host|bad host|-|-|-",
      "X-Forwarded-Host|a.example:8443|-|a.example:8443|-",
      "Forwarded|for=198.51.100.1;proto=http, for=203.0.113.7;proto=https;host=h.example, for=10.1.1.1|https|h.example|203.0.113.7",
      "Forwarded|for=203.0.113.7, for=10.1.1.1;proto=https;host=lb.example|https|lb.example|203.0.113.7",
      "Forwarded|for=_hidden;proto=https|https|-|-",
      "Forwarded|For=\"[2001:db8::1]:80\";Proto=https|https|-|2001:db8:0:0:0:0:0:1",
      "Forwarded|for=\"10.9.9.9\", for=\"a,b\";host=\"q.example\"|-|q.example|-"})
  void chains(String header, String value, String scheme, String host, String client) {
    TrustedProxies proxies = new TrustedProxies(List.of(Cidr.parse("10.0.0.0/8")));
    TrustedProxies.Forwarded f = proxies.read(MultiMap.caseInsensitiveMultiMap().add(header, value));
    assertEquals(scheme, f.scheme(), "scheme");
    assertEquals(host, f.host() == null ? null : f.host().toString(), "host");
    assertEquals(client, f.client(), "client");
  }

  /** Verifies that a request without forwarding headers is not described as forwarded. */
  @Test
  void nothingForwarded() {
    assertNull(new TrustedProxies(List.of(Cidr.parse("10.0.0.0/8"))).read(MultiMap.caseInsensitiveMultiMap().add("Host", "x")));
  }
}
