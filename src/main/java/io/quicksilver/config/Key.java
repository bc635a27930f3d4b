package io.quicksilver.config;

import java.util.function.Function;

/**
 * One configuration key, everything known about it in one place: its dotted name in the YAML file, its
 * environment variable, the kind of value it holds, its built-in default, the parser that turns its text into
 * the value the hub uses, and the line of README's configuration table that explains it. {@link Keys} holds every
 * key; README's table, {@code conf/quicksilver.yaml} and the Helm chart are checked against them by a test.
 *
 * @param name         the dotted name: {@code http.port} is {@code port} under {@code http} in the file
 * @param env          the environment variable, which wins over the file
 * @param kind         what the text holds (the chart's schema must give the key a matching type)
 * @param defaultValue the built-in default as text, or null when the key has none (it must then be set)
 * @param parser       reads the text (trimmed, except for {@link Kind#SECRET}); throws {@link IllegalArgumentException}
 *                     with a message that never quotes a secret
 * @param help         what the key does, one line (README's "meaning" column, without its Markdown)
 * @param <T>          the type of the parsed value
 */
public record Key<T>(String name, String env, Kind kind, String defaultValue, Function<String, T> parser, String help) {

  /** What a key's text holds. */
  public enum Kind {
    /** Free text, trimmed. */
    TEXT,
    /** Key material or a secret: used exactly as given (not trimmed), never quoted in a message. */
    SECRET,
    /** {@code true}/{@code false} (also {@code yes}/{@code no}, {@code on}/{@code off}, {@code 1}/{@code 0}). */
    BOOLEAN,
    /** A whole number. */
    INTEGER,
    /** A decimal number. */
    NUMBER,
    /** A duration: {@code 40s}, {@code 500ms}, {@code 10m}, {@code 1h} or {@code 0}. */
    DURATION,
    /** A size in bytes: {@code 1048576}, {@code 512KiB}, {@code 1MiB}. */
    SIZE,
    /** Words separated by spaces (in YAML, a list). */
    LIST,
    /** A list of maps: a YAML list, or the JSON array of its environment variable. */
    MAPS,
    /** The path of a readable file (empty: none). */
    FILE
  }

  /** Parses the text as this key's value; the text is trimmed first unless the key holds a secret. */
  T parse(String text) {
    return parser.apply(kind == Kind.SECRET ? text : text.trim());
  }
}
