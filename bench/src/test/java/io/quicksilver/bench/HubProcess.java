package io.quicksilver.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real hub ({@code ../target/quicksilver.jar}) in a child process, on a free port, in a temp dir. */
final class HubProcess implements AutoCloseable {

  static final String PUBLISHER_KEY = "bench-test-publisher-key-0123456789abcdef";
  static final String SUBSCRIBER_KEY = "bench-test-subscriber-key-0123456789abcdef";

  final int port;
  final Process process;
  final Path dir;

  HubProcess() throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("quicksilver.jar", "../target/quicksilver.jar")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("hub jar not found at " + jar
          + ": build it first (cd .. && mvn -q -o package -DskipTests), or run bench/run-ci.sh");
    }
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    dir = Files.createTempDirectory("qs-bench-hub");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString()))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("hub.log").toFile());
    pb.environment().put("MERCURE_PUBLISHER_JWT_KEY", PUBLISHER_KEY);
    pb.environment().put("MERCURE_SUBSCRIBER_JWT_KEY", SUBSCRIBER_KEY);
    pb.environment().put("QS_HTTP_PORT", Integer.toString(port));
    pb.environment().put("QS_ANONYMOUS", "true");
    pb.environment().put("QS_DEMO", "false");
    pb.environment().put("QS_WARM_UP", "0"); // correctness runs: start at once
    pb.environment().put("QS_DRAIN_WINDOW", "1s"); // stop quickly at the end of the tests
    process = pb.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("hub exited: " + Files.readString(dir.resolve("hub.log")));
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException("hub not ready in 90 s");
      }
      Thread.sleep(200);
    }
  }

  String url() {
    return "http://127.0.0.1:" + port + "/.well-known/mercure";
  }

  long pid() {
    return process.pid();
  }

  /** Options pointing the harness at this hub. */
  Options options(String scenario) {
    return new Options()
        .set("scenario", scenario)
        .set("hub", url())
        .set("publisher-key", PUBLISHER_KEY)
        .set("hub-pid", pid())
        .set("quiet", true);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
