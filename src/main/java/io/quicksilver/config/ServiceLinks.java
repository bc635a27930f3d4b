package io.quicksilver.config;

import java.util.regex.Pattern;

/**
 * Kubernetes service links: the variables the kubelet injects for every Service of the namespace (unless the
 * pod sets {@code enableServiceLinks: false}), named after the Service, so that a Service called {@code qs-…}
 * yields {@code QS_…} names the hub must not mistake for its own.
 *
 * <p>A variable is a service link only when its name and its value both have a service link's shape:
 * {@code <SVC>_SERVICE_HOST=10.0.0.1}, {@code <SVC>_SERVICE_PORT[_<NAME>]=80},
 * {@code <SVC>_PORT=tcp://10.0.0.1:80}, {@code <SVC>_PORT_80_TCP=tcp://10.0.0.1:80},
 * {@code <SVC>_PORT_80_TCP_PROTO=tcp}, {@code <SVC>_PORT_80_TCP_PORT=80}, {@code <SVC>_PORT_80_TCP_ADDR=10.0.0.1}.
 * Checking the value too keeps typos caught: {@code QS_METRIC_PORT=9090} has a link's name but not its value.
 */
final class ServiceLinks {

  private static final String ADDRESS = "(?:[0-9]{1,3}(?:\\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)";
  private static final String URL = "(?:tcp|udp|sctp)://(?:[0-9]{1,3}(?:\\.[0-9]{1,3}){3}|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}";
  private static final String DIGITS = "[0-9]{1,5}";

  private record Shape(Pattern name, Pattern value) {
    Shape(String name, String value) {
      this(Pattern.compile("[A-Z0-9_]+" + name), Pattern.compile(value));
    }
  }

  private static final Shape[] SHAPES = {
      new Shape("_SERVICE_HOST", ADDRESS),
      new Shape("_SERVICE_PORT(?:_[A-Z0-9_]+)?", DIGITS),
      new Shape("_PORT", URL),
      new Shape("_PORT_[0-9]{1,5}_(?:TCP|UDP|SCTP)", URL),
      new Shape("_PORT_[0-9]{1,5}_(?:TCP|UDP|SCTP)_PROTO", "tcp|udp|sctp"),
      new Shape("_PORT_[0-9]{1,5}_(?:TCP|UDP|SCTP)_PORT", DIGITS),
      new Shape("_PORT_[0-9]{1,5}_(?:TCP|UDP|SCTP)_ADDR", ADDRESS),
  };

  private ServiceLinks() {
  }

  /** Whether the variable is one Kubernetes injects for a Service (its name and its value both say so). */
  static boolean isServiceLink(String name, String value) {
    if (value == null) {
      return false;
    }
    for (Shape shape : SHAPES) {
      if (shape.name().matcher(name).matches() && shape.value().matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }
}
