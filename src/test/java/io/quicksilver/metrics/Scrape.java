package io.quicksilver.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quicksilver.support.Http;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;



/**
 * One Prometheus text exposition (format 0.0.4), parsed independently of the hub's code: samples by name and
 * labels, and every label value.
 */
public final class Scrape {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  private final String text;
  private final List<Sample> samples;

  private Scrape(String text, List<Sample> samples) {
    this.text = text;
    this.samples = samples;
  }

  /** GETs {@code uri} (a {@code /metrics} URL), expects 200 and parses the body. */
  public static Scrape of(URI uri, Map<String, String> headers) {
    HttpResponse<String> r = Http.get(uri, headers);
    assertEquals(200, r.statusCode(), r.body());
    return parse(r.body());
  }

  /** GETs {@code uri} without extra headers. */
  public static Scrape of(URI uri) {
    return of(uri, Map.of());
  }

  /** Parses an exposition. */
  public static Scrape parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      String name;
      Map<String, String> labels = new TreeMap<>();
      String rest;
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int i = brace + 1;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          String key = line.substring(i, eq);
          StringBuilder value = new StringBuilder();
          int j = eq + 2; // skip ="
          while (line.charAt(j) != '"') {
            char c = line.charAt(j);
            if (c == '\\') {
              char n = line.charAt(++j);
              value.append(n == 'n' ? '\n' : n);
            } else {
              value.append(c);
            }
            j++;
          }
          labels.put(key, value.toString());
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        rest = line.substring(i + 1).trim();
      } else {
        name = line.substring(0, space);
        rest = line.substring(space + 1).trim();
      }
      String v = rest.split(" ")[0];
      double value = switch (v) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(v);
      };
      out.add(new Sample(name, labels, value));
    }
    return new Scrape(text, out);
  }

  /** The raw text. */
  public String text() {
    return text;
  }

  /** Whether a sample of this name exists. */
  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /** Samples of this name. */
  public List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /**
   * The sum of the samples with this name whose labels include the given pairs (name, value, ...); 0 when
   * there is none (a meter not created yet).
   */
  public double value(String name, String... labelPairs) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      wanted.put(labelPairs[i], labelPairs[i + 1]);
    }
    double sum = 0;
    for (Sample s : samples(name)) {
      if (s.labels().entrySet().containsAll(wanted.entrySet())) {
        sum += s.value();
      }
    }
    return sum;
  }

  /** Every label value of every sample. */
  public List<String> labelValues() {
    List<String> out = new ArrayList<>();
    for (Sample s : samples) {
      out.addAll(s.labels().values());
    }
    return out;
  }
}
