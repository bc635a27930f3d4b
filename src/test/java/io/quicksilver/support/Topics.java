package io.quicksilver.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Topics and subscription queries for tests: fresh IRIs per test, so that tests sharing a hub never see each other's updates. */
public final class Topics {

  private Topics() {
  }

  /** A fresh topic IRI {@code https://example.com/<prefix>/<uuid>}, unique per call. */
  public static String unique(String prefix) {
    return "https://example.com/" + prefix + "/" + UUID.randomUUID();
  }

  /** A fresh base IRI {@code https://example.com/<uuid>/} under which a test makes its topics. */
  public static String base() {
    return "https://example.com/" + UUID.randomUUID() + "/";
  }

  /** Percent-encodes a query parameter value. */
  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** {@code ?topic=..&topic=..} for the given selectors. */
  public static String topics(String... selectors) {
    StringBuilder sb = new StringBuilder();
    for (String s : selectors) {
      sb.append(sb.length() == 0 ? '?' : '&').append("topic=").append(enc(s));
    }
    return sb.toString();
  }
}
