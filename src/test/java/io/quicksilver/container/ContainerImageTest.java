package io.quicksilver.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quicksilver.support.Await;
import io.quicksilver.support.Http;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/**
 * Builds the project's image with podman from the local base images ({@code .ci/local-base-images.sh},
 * which {@code .ci/run} runs when they are missing) and runs it as users do: without keys it refuses to
 * start, with keys it refuses anonymous subscribers, serves no demo, runs as UID 10001, passes its own
 * HEALTHCHECK, and stops idle with exit code 0 well within {@code docker stop}'s 10 s; its JVM maps the
 * class-data archive the build trained (a JVM told {@code -Xshare:on} refuses to start otherwise).
 *
 * <p>Runs after {@code package} (failsafe). Without podman or the base images it is skipped, except under CI
 * ({@code CI=true}), where it fails.
 */
@Tag("container")
class ContainerImageTest {

  private static final Path PROJECT = Path.of(System.getProperty("qs.project.dir", ".")).toAbsolutePath().normalize();
  private static final String BUILD_BASE = "localhost/qs-build-base:bookworm";
  private static final String RUNTIME_BASE = "localhost/qs-runtime-base:bookworm";
  private static final String IMAGE = "localhost/quicksilver:container-test";
  private static final List<String> PODMAN = List.of("podman", "--runtime", "runc");
  private static final List<String> LIMITS = List.of("--ulimit", "nofile=10000:10000", "--ulimit", "nproc=1000:1000");
  private static final Path CACERTS = Path.of("/etc/ssl/certs/java/cacerts");

  private record Result(int exit, String output) {
  }

  /** Verifies the image end to end: build, refused without keys, production behaviour with keys, idle stop with 0. */
  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void imageBuildsAndRunsAsInProduction() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean ready = run(List.of("podman", "--version"), 60).exit() == 0
        && run(cmd("image", "exists", BUILD_BASE), 60).exit() == 0
        && run(cmd("image", "exists", RUNTIME_BASE), 60).exit() == 0;
    if (ci) {
      assertTrue(ready, "podman and the local base images are needed (.ci/run installs and builds them)");
    }
    assumeTrue(ready, "podman or the local base images are missing (bash .ci/local-base-images.sh builds the base images)");

    List<String> build = cmd("build", "--network=host", "--format", "docker",
        "--build-arg", "BUILD_IMAGE=" + BUILD_BASE, "--build-arg", "RUNTIME_IMAGE=" + RUNTIME_BASE, "-t", IMAGE);
    build.addAll(PODMAN.size() + 1, LIMITS);
    if (Files.isReadable(CACERTS)) { // the egress's CA, for Maven inside the build
      build.addAll(List.of("-v", CACERTS + ":" + CACERTS + ":ro"));
    }
    build.add(PROJECT.toString());
    long started = System.nanoTime();
    Result built = run(build, 900);
    assertEquals(0, built.exit(), built.output());
    System.out.printf("image built in %d s%n", (System.nanoTime() - started) / 1_000_000_000);

    Result labels = run(cmd("image", "inspect", "--format",
        "{{index .Config.Labels \"org.opencontainers.image.title\"}} {{.Config.User}} {{.Config.Healthcheck.Test}}", IMAGE), 60);
    assertTrue(labels.output().startsWith("Quicksilver 10001:10001"), labels.output());
    assertTrue(labels.output().contains("io.quicksilver.HealthCheck"), labels.output());

    List<String> shared = cmd("run", "--rm", "--network=none");
    shared.addAll(LIMITS);
    shared.addAll(List.of("-e", "JAVA_OPTS=-Xshare:on", IMAGE, "token", "--help"));
    Result mapped = run(shared, 120);
    assertEquals(0, mapped.exit(), "the image's class-data archive fits its JRE and jar (-Xshare:on): " + mapped.output());

    int port = freePort();
    Result refused = run(runCommand(List.of("--rm"), port, Map.of()), 120);
    assertNotEquals(0, refused.exit(), refused.output());
    assertTrue(refused.output().contains("MERCURE_PUBLISHER_JWT_KEY and MERCURE_SUBSCRIBER_JWT_KEY are required"), refused.output());

    String name = "qs-container-test-" + UUID.randomUUID().toString().substring(0, 8);
    Result started2 = run(runCommand(List.of("-d", "--name", name), port, Map.of(
        "MERCURE_PUBLISHER_JWT_KEY", TestHub.PUBLISHER_KEY, "MERCURE_SUBSCRIBER_JWT_KEY", TestHub.SUBSCRIBER_KEY)), 120);
    try {
      assertEquals(0, started2.exit(), started2.output());
      URI base = URI.create("http://127.0.0.1:" + port);
      Await.until(() -> health(base), s -> s == 200, Duration.ofSeconds(120), s -> "not healthy: " + run(cmd("logs", name), 30).output());

      assertEquals(401, Http.get(base.resolve("/.well-known/mercure?topic=x"), Map.of()).statusCode(), "anonymous subscribers refused");
      HttpResponse<String> published = Http.post(base.resolve("/.well-known/mercure"), Tokens.publisher("*"), Http.form("topic", "x", "data", "y"));
      assertEquals(200, published.statusCode(), "the hub works with the given keys");
      for (String path : List.of("/", "/index.html", "/dashboard.html", "/.well-known/mercure/ui/", "/api/me", "/api/stream/stock/AAPL")) {
        assertEquals(404, Http.get(base.resolve(path), Map.of()).statusCode(), path + ": no demo");
      }
      assertEquals("10001", run(cmd("exec", name, "id", "-u"), 60).output().trim(), "runs as UID 10001");
      Result health = run(cmd("healthcheck", "run", name), 120);
      assertEquals(0, health.exit(), "HEALTHCHECK: " + health.output());

      long stopping = System.nanoTime();
      Result stopped = run(cmd("stop", "-t", "10", name), 60);
      long stopMs = (System.nanoTime() - stopping) / 1_000_000;
      assertEquals(0, stopped.exit(), stopped.output());
      assertEquals("0", run(cmd("inspect", "--format", "{{.State.ExitCode}}", name), 60).output().trim(), "exit code after SIGTERM");
      assertTrue(stopMs < 10_000, "an idle hub stops before docker stop's 10 s: " + stopMs + " ms");
      String logs = run(cmd("logs", name), 60).output();
      assertTrue(logs.contains("drained; exiting"), logs);
      assertFalse(logs.contains("DEVELOPMENT KEYS"), logs);
      System.out.printf("idle container stopped in %d ms%n", stopMs);
    } finally {
      run(cmd("rm", "-f", name), 60);
    }
  }

  private static int health(URI base) {
    try {
      return Http.get(base.resolve("/healthz"), Map.of()).statusCode();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** {@code podman run} on the host network, bound to loopback on the given port, with the environment given. */
  private static List<String> runCommand(List<String> mode, int port, Map<String, String> env) {
    List<String> c = cmd("run");
    c.addAll(mode);
    c.add("--network=host");
    c.addAll(LIMITS);
    c.addAll(List.of("--health-interval", "disable", "-e", "QS_HTTP_HOST=127.0.0.1", "-e", "QS_HTTP_PORT=" + port));
    env.forEach((k, v) -> c.addAll(List.of("-e", k + "=" + v)));
    c.add(IMAGE);
    return c;
  }

  private static List<String> cmd(String... args) {
    List<String> c = new ArrayList<>(PODMAN);
    c.addAll(List.of(args));
    return c;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Result run(List<String> command, long timeoutSeconds) {
    try {
      Path out = Files.createTempFile("qs-podman-", ".log");
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        return new Result(-1, String.join(" ", command) + " timed out after " + timeoutSeconds + " s\n" + Files.readString(out));
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      Files.delete(out);
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }
}
