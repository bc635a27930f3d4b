package io.quicksilver.bench;

import io.vertx.core.http.HttpClientResponse;

/**
 * nginx with the nchan module, as configured in {@code bench/nchan/nginx.conf.in}: one channel per topic,
 * named {@code <run id>-<topic index>}; subscribe with {@code GET <base>/sub/<channel>} (EventSource; two
 * topics are one multiplexed subscription {@code /sub/<a>,<b>}), publish with {@code POST <base>/pub/<channel>}
 * whose body is the data ({@code 201} with subscribers, {@code 202} without). No authentication.
 *
 * <p>nchan's event ids are {@code <time>:<n>} (multiplexed: {@code <time>:<n>,[<m>]}, the bracket marking the
 * channel the event came from); the harness sends the last one back as {@code Last-Event-ID} unchanged, and
 * nchan replays what followed from its per-channel buffer (100 messages in the template). nchan says nothing
 * when an id is no longer in the buffer, so {@link #cursorLost} is always false and such a gap shows as loss.
 */
final class NchanProtocol implements HubProtocol {

  private final HubTarget target;
  private final Layout layout;

  NchanProtocol(HubTarget target, Layout layout) {
    this.target = target;
    this.layout = layout;
  }

  /** The channel id of a topic: letters, digits and {@code -} only, so it needs no escaping in a path. */
  String channel(int topic) {
    return layout.runId + "-" + (topic == WARMUP_TOPIC ? "warmup" : Integer.toString(topic));
  }

  @Override
  public String subscribeUri(int[] topics) {
    StringBuilder sb = new StringBuilder(target.basePath).append("/sub/");
    for (int i = 0; i < topics.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(channel(topics[i]));
    }
    return sb.toString();
  }

  @Override
  public String publishUri(int topic) {
    return target.basePath + "/pub/" + channel(topic);
  }

  @Override
  public String publishContentType() {
    return "text/plain";
  }

  @Override
  public String publishBody(int topic, String data) {
    return data;
  }

  @Override
  public boolean bearerTokens() {
    return false;
  }

  @Override
  public boolean cursorLost(HttpClientResponse response) {
    return false;
  }
}
