package io.quicksilver.config;

import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The YAML configuration file, read as the texts its keys would have in the environment: nested mappings become
 * dotted names ({@code port} under {@code http} is {@code http.port}), a list of words becomes the words separated
 * by spaces, a list of maps ({@code trusted_issuers}) the JSON array its variable would hold, and null the empty text.
 * Messages never quote the file's content (it may hold keys).
 */
final class ConfigFile {

  private ConfigFile() {
  }

  /** The file's keys and their texts, in the file's order. */
  static Map<String, String> read(Path file) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getClass().getSimpleName());
    }
    if (root == null) {
      return Map.of();
    }
    if (!(root instanceof Map<?, ?> map)) {
      throw new ConfigException("config file " + file + " must hold a mapping of keys");
    }
    return texts(map);
  }

  /** The keys of a YAML mapping, flattened to dotted names, and their texts. */
  static Map<String, String> texts(Map<?, ?> map) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", map, out);
    return out;
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = prefix + e.getKey();
      Object v = e.getValue();
      if (v instanceof Map<?, ?> nested) {
        flatten(name + ".", nested, out);
      } else if (v == null) {
        out.put(name, "");
      } else if (v instanceof List<?> list && list.stream().anyMatch(item -> item instanceof Map<?, ?>)) {
        out.put(name, jsonOf(list));
      } else if (v instanceof List<?> list) {
        out.put(name, String.join(" ", list.stream().map(String::valueOf).toList()));
      } else {
        out.put(name, String.valueOf(v));
      }
    }
  }

  private static String jsonOf(List<?> list) {
    try {
      return new JsonArray(new ArrayList<>(list)).encode();
    } catch (RuntimeException e) {
      return "[?]"; // not encodable: reported as malformed by the key's parser, without the values
    }
  }
}
