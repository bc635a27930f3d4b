package io.quicksilver.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * Logback encoder writing one JSON object a line, for log pipelines: {@code timestamp} (ISO-8601, UTC,
 * milliseconds), {@code level}, {@code logger}, {@code thread}, {@code message}, then the event's SLF4J key-value
 * pairs as fields of their own (the access log's {@code method}, {@code path}, {@code status},
 * {@code duration_ms}, {@code client}), and {@code exception} with the stack trace when there is one. A
 * multi-line message stays on its line (JSON escapes the line breaks).
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

  private static final byte[] NOTHING = new byte[0];
  private static final Set<String> RESERVED = Set.of("timestamp", "level", "logger", "thread", "message", "exception");

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    JsonObject line = new JsonObject()
        .put("timestamp", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(event.getTimeStamp())))
        .put("level", event.getLevel().toString())
        .put("logger", event.getLoggerName())
        .put("thread", event.getThreadName())
        .put("message", event.getFormattedMessage());
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        if (kv.key != null && !RESERVED.contains(kv.key)) {
          line.put(kv.key, kv.value instanceof Number || kv.value instanceof Boolean ? kv.value : String.valueOf(kv.value));
        }
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.put("exception", ThrowableProxyUtil.asString(thrown));
    }
    return (line.encode() + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
