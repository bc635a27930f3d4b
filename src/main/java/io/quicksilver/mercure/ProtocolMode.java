package io.quicksilver.mercure;

import java.util.Locale;

/**
 * Which Mercure protocol versions the hub speaks: the classic protocol ({@code mercure} claim, {@code topic}
 * selectors), draft-08 ({@code at+jwt} access tokens with {@code authorization_details}, topic matchers), or both.
 */
public enum ProtocolMode {
  /** Both protocols, side by side. */
  BOTH("both"),
  /** The classic protocol only: every token is read by the classic rules. */
  CLASSIC("classic"),
  /** Draft-08 only: only {@code at+jwt} access tokens are accepted. */
  DRAFT_08("draft-08");

  private final String configName;

  ProtocolMode(String configName) {
    this.configName = configName;
  }

  /** Whether classic tokens and requests are accepted. */
  public boolean classicEnabled() {
    return this != DRAFT_08;
  }

  /** Whether draft-08 access tokens and requests are accepted. */
  public boolean draft08Enabled() {
    return this != CLASSIC;
  }

  /**
   * The mode named in configuration, compared case-insensitively.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static ProtocolMode parse(String name) {
    for (ProtocolMode mode : values()) {
      if (mode.configName.equalsIgnoreCase(name.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException("not a protocol mode: \"" + name + "\" (both, classic, draft-08)");
  }

  @Override
  public String toString() {
    return configName;
  }
}
