package io.quicksilver.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, owned by one test. Can be stopped and
 * started again on the same port (from its own {@code dump.rdb} when one was saved), flushed, paused and
 * frozen. {@code DEBUG} is enabled (for {@code DEBUG SLEEP}).
 */
public final class RedisServer implements AutoCloseable {

  private final int port;
  private final Path dir;
  private final List<String> extraArgs;
  /** Options redis-cli needs to reach it (TLS). */
  private final List<String> cliOptions;
  private Process process;

  private RedisServer(int port, Path dir, List<String> extraArgs, List<String> cliOptions) {
    this.port = port;
    this.dir = dir;
    this.extraArgs = List.copyOf(extraArgs);
    this.cliOptions = List.copyOf(cliOptions);
  }

  /** Starts a server on a free port. */
  public static RedisServer start() {
    return start(List.of());
  }

  /** Starts a server on a free port with further {@code redis-server} arguments (e.g. {@code --replicaof host port}). */
  public static RedisServer start(List<String> extraArgs) {
    try {
      RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("qs-redis"), extraArgs, List.of());
      server.startProcess();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts a server that speaks only TLS on a free port, with a certificate (PEM) for 127.0.0.1 and
   * localhost; clients are not asked for certificates.
   */
  public static RedisServer startTls(Path certificate, Path privateKey) {
    try {
      int port = freePort();
      RedisServer server = new RedisServer(port, Files.createTempDirectory("qs-redis"),
          List.of("--port", "0", "--tls-port", String.valueOf(port), "--tls-cert-file", certificate.toString(),
              "--tls-key-file", privateKey.toString(), "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no"),
          List.of("--tls", "--cacert", certificate.toString()));
      server.startProcess();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The directory holding its {@code dump.rdb} and log. */
  public Path dir() {
    return dir;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Starts the process again (after {@link #stop}). Nothing is saved automatically; a {@code dump.rdb}
   * written by {@code SAVE} is loaded.
   */
  public void startProcess() {
    List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--enable-debug-command", "yes"));
    cmd.addAll(extraArgs);
    launch(cmd, port);
  }

  private void launch(List<String> cmd, int awaitPort) {
    try {
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
          .start();
      awaitPort(awaitPort, true, Duration.ofSeconds(10));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (is it installed?)", e);
    }
  }

  /** Stops the process abruptly (like a crash). */
  public void stop() {
    if (process != null) {
      process.destroyForcibly();
      awaitExit();
    }
  }

  /** {@code SHUTDOWN NOSAVE}: the process exits without writing what changed since the last {@code SAVE}. */
  public void shutdownNoSave() {
    cli("SHUTDOWN", "NOSAVE");
    awaitExit();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
    awaitPort(port, false, Duration.ofSeconds(10));
  }

  /** Freezes ({@code true}, SIGSTOP) or thaws ({@code false}, SIGCONT) the process. */
  public void freeze(boolean frozen) {
    try {
      Process kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", String.valueOf(process.pid())).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a redis-cli command against this server and returns its output. */
  public String cli(String... args) {
    List<String> all = new ArrayList<>(cliOptions);
    all.addAll(List.of(args));
    return cli(port, all.toArray(String[]::new));
  }

  /** Runs a redis-cli command (options first) against a server on a loopback port and returns its output. */
  public static String cli(int port, String... args) {
    try {
      List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  static void awaitPort(int port, boolean open, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean isOpen;
      try (Socket s = new Socket("127.0.0.1", port)) {
        isOpen = true;
      } catch (IOException e) {
        isOpen = false;
      }
      if (isOpen == open) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("redis port " + port + " did not become " + (open ? "open" : "closed"));
  }

  /** A free loopback port. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
