package io.quicksilver.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hub node in its own JVM ({@code io.quicksilver.Main} on the test class path), configured through the
 * environment like a deployment. Can be killed with SIGKILL, paused with SIGSTOP and resumed.
 */
public final class HubProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");

  private final Process process;
  private final int port;
  private final Path log;

  private HubProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts a node with the test hub's base environment plus {@code env}, and waits until it listens.
   *
   * @param name a label for its log file
   */
  public static HubProcess start(String name, Map<String, String> env) {
    return start(name, env, List.of());
  }

  /**
   * Starts a node with more JVM options, and waits until it listens.
   *
   * @param jvmOptions options before the main class, after the test hub's own
   */
  public static HubProcess start(String name, Map<String, String> env, List<String> jvmOptions) {
    try {
      Path log = Files.createTempFile("qs-node-" + name + "-", ".log");
      Process p = builder(env, jvmOptions).start();
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Thread pump = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.APPEND);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              port.complete(Integer.parseInt(m.group(1)));
            }
          }
        } catch (IOException ignored) {
          // process gone
        }
        port.completeExceptionally(new IllegalStateException("node exited before listening; log: " + log));
      }, "node-" + name + "-log");
      pump.setDaemon(true);
      pump.start();
      return new HubProcess(p, port.get(60, TimeUnit.SECONDS), log);
    } catch (Exception e) {
      throw new IllegalStateException("node " + name + " did not start", e);
    }
  }

  /** How a node that stopped by itself ended: its exit status and everything it printed. */
  public record Exited(int status, String output) {
  }

  /** Runs a node that is expected to stop by itself (a refused start), for at most {@code timeoutSeconds}. */
  public static Exited runToExit(Map<String, String> env, List<String> jvmOptions, long timeoutSeconds) {
    try {
      Process p = builder(env, jvmOptions).start();
      CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
        try {
          return p.getInputStream().readAllBytes();
        } catch (IOException e) {
          return new byte[0];
        }
      });
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("node still running after " + timeoutSeconds + " s");
      }
      return new Exited(p.exitValue(), new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException("node could not be run", e);
    }
  }

  /** {@code io.quicksilver.Main} on the test class path, in a directory without conf/, configured by the environment only. */
  private static ProcessBuilder builder(Map<String, String> env, List<String> jvmOptions) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "--add-modules", "java.se",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.quicksilver.Main"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("QS_") || k.startsWith("MERCURE_"));
    pb.environment().putAll(TestHub.baseEnv(env));
    pb.directory(Files.createTempDirectory("qs-node-cwd").toFile());
    return pb;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** The hub URL followed by {@code query}. */
  public URI hub(String query) {
    return URI.create("http://127.0.0.1:" + port + "/.well-known/mercure" + query);
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /** The node's output so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGKILL, and wait until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGSTOP: the JVM freezes, its sockets stay open. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT. */
  public void resume() {
    signal("CONT");
  }

  /** SIGTERM, then wait for the exit code. */
  public int terminate(long timeoutSeconds) {
    signal("TERM");
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new IllegalStateException("node did not exit within " + timeoutSeconds + " s");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  private void signal(String sig) {
    try {
      new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      resume();
      kill();
    }
  }
}
