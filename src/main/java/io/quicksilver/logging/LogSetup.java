package io.quicksilver.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.quicksilver.config.HubConfig;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Applies the configured root level and format to the logging that {@code logback.xml} set up: the console
 * appender keeps its text pattern (with the date), or gets the {@link JsonLineEncoder} for {@code json}. Runs
 * once, in {@code main}, before the hub starts.
 */
public final class LogSetup {

  private LogSetup() {
  }

  /** Sets the root level and, for {@code json}, the JSON encoder on every console appender. */
  public static void apply(String level, HubConfig.Logging logging) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J binding: its own configuration applies
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level));
    if (!"json".equals(logging.format())) {
      return;
    }
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        appender.stop();
        appender.setEncoder(encoder);
        appender.start();
      }
    }
  }
}
