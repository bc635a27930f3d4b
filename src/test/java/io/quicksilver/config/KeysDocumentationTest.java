package io.quicksilver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The places that describe the configuration keys agree with {@link Keys}, where each key is defined once: README's
 * configuration table, {@code conf/quicksilver.yaml}, the Helm chart (its {@code config} values, their schema, and
 * the variables its templates set) and every {@code QS_*} name the documentation mentions.
 */
class KeysDocumentationTest {

  private static final Path PROJECT = Path.of(System.getProperty("qs.project.dir", "."));
  private static final Path CHART = PROJECT.resolve("helm/quicksilver");
  /** Names README gives as examples of what is refused (a typo, a mistyped key with a service link's name). */
  private static final Set<String> REFUSED_EXAMPLES = Set.of("QS_HEARTBEET", "QS_METRIC_PORT");
  private static final Pattern README_ROW = Pattern.compile("^\\| (`[^`]+`|—) \\| `([^`]+)` \\| (.*?) \\| (.*) \\|$");
  private static final Pattern QS_NAME = Pattern.compile("\\bQS_[A-Z0-9_]*[A-Z0-9]\\b");
  private static final Pattern ENV_NAME = Pattern.compile("\\b(?:QS|MERCURE)_[A-Z0-9_]*[A-Z0-9]\\b");

  /** Verifies that README's table has one row per key, in order, with the key's variable, default and meaning. */
  @Test
  void readmeTableMatchesTheKeys() throws IOException {
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(PROJECT.resolve("README.md"), StandardCharsets.UTF_8)) {
      Matcher m = README_ROW.matcher(line);
      if (!m.matches()) {
        continue;
      }
      if (m.group(1).equals("—")) {
        assertEquals(ConfigLoader.CONFIG_ENV, m.group(2), "the one row without a key is the configuration file's: " + line);
        continue;
      }
      String name = m.group(1).substring(1, m.group(1).length() - 1);
      Key<?> key = Keys.named(name).orElse(null);
      if (key == null) {
        fail("README documents a key the hub does not have: " + line);
      }
      rows.add(name);
      assertEquals(key.env(), m.group(2), "variable of " + name);
      if (key.defaultValue() == null) {
        assertTrue(m.group(3).startsWith("(required"), "a key without default is required: " + line);
      } else {
        assertEquals(readmeDefault(key), m.group(3), "default of " + name + "; expected row:\n" + readmeRow(key));
      }
      assertEquals(key.help(), plain(m.group(4)), "meaning of " + name + " (without its Markdown); expected row:\n" + readmeRow(key));
    }
    List<String> names = Keys.ALL.stream().map(Key::name).toList();
    assertEquals(names, rows, "README's configuration table lists every key once, in the order of Keys");
  }

  /** Verifies that the laptop configuration file names known keys, each commented with its own variable. */
  @Test
  void projectFileNamesKeysWithTheirVariables() throws IOException {
    Path file = PROJECT.resolve("conf/quicksilver.yaml");
    for (String name : ConfigFile.read(file).keySet()) {
      assertTrue(Keys.named(name).isPresent(), "conf/quicksilver.yaml sets an unknown key " + name);
    }
    List<String> path = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      Matcher m = Pattern.compile("^( *)([a-z_]+):(.*?)(?:#\\s*(.*))?$").matcher(line);
      if (!m.matches()) {
        continue;
      }
      int depth = m.group(1).length() / 2;
      path.subList(Math.min(depth, path.size()), path.size()).clear();
      path.add(m.group(2));
      Matcher env = ENV_NAME.matcher(m.group(4) == null ? "" : m.group(4));
      if (env.lookingAt()) {
        String name = String.join(".", path);
        assertEquals(Keys.named(name).map(Key::env).orElse("(no such key)"), env.group(), "the variable named beside " + name);
      }
    }
  }

  /** Verifies that every configuration value of the chart is a key of the hub, with the hub's default unless told otherwise. */
  @Test
  void chartValuesAreKeysWithTheirDefaults() throws IOException {
    Map<String, Object> values = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(CHART.resolve("values.yaml")));
    Map<String, String> config = ConfigFile.texts((Map<?, ?>) values.get("config"));
    for (Map.Entry<String, String> e : config.entrySet()) {
      Key<?> key = Keys.named(e.getKey()).orElse(null);
      if (key == null) {
        fail("the chart's config." + e.getKey() + " is no key of the hub");
      }
      assertEquals(key.parse(key.defaultValue()), key.parse(e.getValue()), "the chart's config." + e.getKey() + " differs from the hub's default");
    }
  }

  /** Verifies that the chart's schema for {@code config} admits only keys of the hub (or their former names), each with a type its kind can take. */
  @Test
  void chartSchemaDescribesKeys() throws IOException {
    JsonObject schema = new JsonObject(Files.readString(CHART.resolve("values.schema.json")));
    Map<String, JsonObject> leaves = new LinkedHashMap<>();
    leaves("", schema.getJsonObject("properties").getJsonObject("config"), leaves);
    assertTrue(leaves.size() > 20, "the schema's config properties were found: " + leaves.keySet());
    for (Map.Entry<String, JsonObject> e : leaves.entrySet()) {
      Key<?> key = Keys.named(e.getKey()).or(() -> Keys.formerName(e.getKey()).map(Keys.Alias::key)).orElse(null);
      if (key == null) {
        fail("the chart's schema admits config." + e.getKey() + ", which is no key of the hub");
      }
      Object type = e.getValue().getValue("type");
      List<?> types = type instanceof JsonArray list ? list.getList() : List.of(Objects.requireNonNull(type, e.getKey() + " has a type"));
      assertTrue(types.contains(schemaType(key.kind())), "config." + e.getKey() + " is a " + key.kind() + ": its schema type " + type
          + " must include " + schemaType(key.kind()));
    }
  }

  /** Verifies that the variables the chart sets and mentions are the hub's. */
  @Test
  void chartVariablesAreKnown() throws IOException {
    Set<String> unknown = new TreeSet<>();
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(yaml|tpl|txt|json)")).toList()) {
        Matcher m = ENV_NAME.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) {
          if (!known(m.group())) {
            unknown.add(m.group() + " in " + CHART.relativize(f));
          }
        }
      }
    }
    assertEquals(Set.of(), unknown);
  }

  /** Verifies that every QS_ name the documentation mentions is a variable the hub reads. */
  @Test
  void documentedVariablesExist() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(PROJECT.resolve("README.md"), PROJECT.resolve("Dockerfile"), PROJECT.resolve("conf/quicksilver.yaml")));
    try (Stream<Path> files = Files.list(PROJECT.resolve("docs"))) {
      files.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
    }
    Set<String> unknown = new TreeSet<>();
    for (Path f : docs) {
      Matcher m = QS_NAME.matcher(Files.readString(f, StandardCharsets.UTF_8));
      while (m.find()) {
        if (!known(m.group()) && !REFUSED_EXAMPLES.contains(m.group())) {
          unknown.add(m.group() + " in " + PROJECT.relativize(f));
        }
      }
    }
    assertEquals(Set.of(), unknown);
  }

  /** The configuration file's variable, a key's, or a key's former one. */
  private static boolean known(String env) {
    return env.equals(ConfigLoader.CONFIG_ENV) || Keys.ofEnv(env).isPresent() || Keys.isFormerEnv(env);
  }

  /** The schema's leaf properties under {@code node}, by dotted name. */
  private static void leaves(String prefix, JsonObject node, Map<String, JsonObject> out) {
    JsonObject properties = node.getJsonObject("properties");
    for (String name : properties.fieldNames()) {
      JsonObject child = properties.getJsonObject(name);
      if ("object".equals(child.getValue("type")) && child.containsKey("properties")) {
        leaves(prefix + name + ".", child, out);
      } else {
        out.put(prefix + name, child);
      }
    }
  }

  private static String schemaType(Key.Kind kind) {
    return switch (kind) {
      case BOOLEAN -> "boolean";
      case INTEGER -> "integer";
      case NUMBER -> "number";
      case LIST, MAPS -> "array";
      case TEXT, SECRET, DURATION, SIZE, FILE -> "string";
    };
  }

  private static String readmeDefault(Key<?> key) {
    if (key.defaultValue() == null) {
      return "(required)";
    }
    return key.defaultValue().isEmpty() ? "(empty)" : "`" + key.defaultValue() + "`";
  }

  private static String readmeRow(Key<?> key) {
    return "| `" + key.name() + "` | `" + key.env() + "` | " + readmeDefault(key) + " | " + key.help() + " |";
  }

  /** README's Markdown without code spans and links: {@code `x`} is x, {@code [text](#anchor)} is text. */
  private static String plain(String markdown) {
    return markdown.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
  }
}
