package io.quicksilver.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;



/**
 * Runs the browser suite of {@code frontend/} ({@code node --test test/}: Playwright driving Debian's
 * Chromium against hubs started from {@code target/quicksilver.jar}) and fails when it fails. The jar
 * must exist, so this runs after {@code package} (failsafe, integration-test phase). Needs Node.js and
 * {@code /usr/bin/chromium}; installs the npm dev dependencies with {@code npm ci} when missing.
 */
@Tag("browser")
class BrowserSuiteTest {

  private static final Path PROJECT = Path.of(System.getProperty("qs.project.dir", ".")).toAbsolutePath().normalize();
  private static final Path FRONTEND = PROJECT.resolve("frontend");

  /** Verifies that every test of the browser suite passes. */
  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void browserSuitePasses() throws Exception {
    Path jar = PROJECT.resolve("target").resolve("quicksilver.jar");
    // Run by failsafe after `package`; under surefire in a clean build the jar does not exist yet.
    assumeTrue(Files.isRegularFile(jar), jar + " is missing: the browser suite runs after `package`");
    assertTrue(Files.isExecutable(Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"))),
        "Chromium is missing: apt-get install -y chromium");
    if (!Files.isDirectory(FRONTEND.resolve("node_modules").resolve("playwright-core"))) {
      assertEquals(0, run(List.of("npm", "ci", "--no-audit", "--no-fund"), 10), "npm ci failed");
    }
    assertEquals(0, run(List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec", "test/"), 18),
        "the browser suite failed (see the output above; hub logs in frontend/test-results/)");
  }

  /** Runs a command in frontend/, its output streamed to the test log; returns the exit code. */
  private static int run(List<String> command, long timeoutMinutes) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(FRONTEND.toFile()).redirectErrorStream(true);
    pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    pb.environment().put("QS_JAR", PROJECT.resolve("target").resolve("quicksilver.jar").toString());
    Process p = pb.start();
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          System.out.println("[frontend] " + line);
        }
      } catch (IOException ignored) {
        // process gone
      }
    }, "browser-suite-output");
    pump.setDaemon(true);
    pump.start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      pump.join(5_000);
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutMinutes + " minutes");
    }
    pump.join(10_000);
    return p.exitValue();
  }
}
