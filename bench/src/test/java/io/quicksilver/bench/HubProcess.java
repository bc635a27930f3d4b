package io.quicksilver.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    ServerProcess.awaitOk(process, "http://127.0.0.1:" + port + "/healthz", dir.resolve("hub.log"), 90);
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
    ServerProcess.stop(process);
  }
}
