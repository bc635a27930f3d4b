package io.quicksilver.bench;

import io.vertx.core.http.HttpClientResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The classic Mercure protocol (draft-dunglas-mercure-07): subscribe with {@code GET <hub>?topic=<url>&...},
 * publish with a form-encoded {@code POST <hub>} ({@code topic}, {@code data}) and a bearer token; a hub that
 * no longer knows a {@code Last-Event-ID} answers with the header {@code Last-Event-ID: earliest}.
 */
final class MercureProtocol implements HubProtocol {

  private final HubTarget target;
  private final Layout layout;

  MercureProtocol(HubTarget target, Layout layout) {
    this.target = target;
    this.layout = layout;
  }

  private String topicUrl(int topic) {
    return topic == WARMUP_TOPIC ? layout.topicBase + "warmup" : layout.topicUrl(topic);
  }

  @Override
  public String subscribeUri(int[] topics) {
    StringBuilder sb = new StringBuilder(target.path);
    char sep = target.path.indexOf('?') >= 0 ? '&' : '?';
    for (int t : topics) {
      sb.append(sep).append("topic=").append(URLEncoder.encode(topicUrl(t), StandardCharsets.UTF_8));
      sep = '&';
    }
    return sb.toString();
  }

  @Override
  public String publishUri(int topic) {
    return target.path;
  }

  @Override
  public String publishContentType() {
    return "application/x-www-form-urlencoded";
  }

  @Override
  public String publishBody(int topic, String data) {
    return "topic=" + URLEncoder.encode(topicUrl(topic), StandardCharsets.UTF_8)
        + "&data=" + URLEncoder.encode(data, StandardCharsets.UTF_8);
  }

  @Override
  public boolean bearerTokens() {
    return true;
  }

  @Override
  public boolean cursorLost(HttpClientResponse response) {
    return "earliest".equals(response.getHeader("Last-Event-ID"));
  }
}
