package io.quicksilver.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** Plain HTTP requests to a hub (JDK client). */
public final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private Http() {
  }

  /** Form-encodes pairs given as name, value, name, value, ... (names may repeat). */
  public static String form(String... pairs) {
    StringJoiner j = new StringJoiner("&");
    for (int i = 0; i < pairs.length; i += 2) {
      j.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return j.toString();
  }

  /** POSTs a form body with a bearer token (null: none) and extra headers. */
  public static HttpResponse<String> post(URI uri, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::setHeader);
    return send(b.build());
  }

  /** POSTs a form body with a bearer token. */
  public static HttpResponse<String> post(URI uri, String token, String body) {
    return post(uri, token, body, Map.of());
  }

  /** Publishes and returns the id, failing unless the answer is 200. */
  public static String publish(HubEndpoint hub, String token, String... pairs) {
    HttpResponse<String> r = post(hub.hub(""), token, form(pairs));
    if (r.statusCode() != 200) {
      throw new AssertionError("publish answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /** GET with headers. */
  public static HttpResponse<String> get(URI uri, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).GET();
    headers.forEach(b::setHeader);
    return send(b.build());
  }

  public static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
