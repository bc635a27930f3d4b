package io.quicksilver.config;

/** A configuration value that stops start-up; the message names the key and never holds a secret. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
