package io.quicksilver.bench;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Subscribers spread over N child JVMs of this same program ({@code --child-index k --child-count N}):
 * child k holds the subscribers i with i % N == k and its own share of the source addresses. Commands go
 * to each child's stdin as one JSON line; each child answers one line {@code @@{json}} on stdout (other
 * output is copied to this process's stderr). Large arguments (accepted sequence sets) travel in a file.
 */
public final class ChildFleet implements Fleet {

  private final List<Process> children = new ArrayList<>();
  private final List<BlockingQueue<JsonObject>> answers = new ArrayList<>();
  private final Path tmp;
  private final int subscribersPerChild;

  public ChildFleet(Options options, int procs) {
    subscribersPerChild = (options.integer("subscribers") + procs - 1) / procs;
    try {
      tmp = Files.createTempDirectory("qsbench");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    for (int k = 0; k < procs; k++) {
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      for (String o : options.str("child-jvm-opts").trim().split("\\s+")) {
        if (!o.isEmpty()) {
          cmd.add(o);
        }
      }
      cmd.add("-cp");
      cmd.add(cp);
      cmd.add(Main.class.getName());
      cmd.addAll(options.toArgs());
      cmd.add("--child-index=" + k);
      cmd.add("--child-count=" + procs);
      try {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(p);
        BlockingQueue<JsonObject> q = new LinkedBlockingQueue<>();
        answers.add(q);
        int index = k;
        Thread t = new Thread(() -> pump(index, p, q), "child-" + k + "-reader");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        close();
        throw new IllegalStateException("cannot start child process", e);
      }
    }
    // Every child says READY once its subscribers are built.
    for (int k = 0; k < procs; k++) {
      take(k, 120, "ready");
    }
  }

  private static void pump(int index, Process p, BlockingQueue<JsonObject> q) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("@@")) {
          q.add(new JsonObject(line.substring(2)));
        } else {
          System.err.println("[child " + index + "] " + line);
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("[child " + index + "] " + e);
    }
    q.add(new JsonObject().put("error", "child " + index + " exited"));
  }

  private JsonObject take(int k, long seconds, String what) {
    try {
      JsonObject a = answers.get(k).poll(seconds, TimeUnit.SECONDS);
      if (a == null) {
        throw new IllegalStateException("child " + k + " did not answer " + what + " within " + seconds + " s");
      }
      if (a.containsKey("error")) {
        throw new IllegalStateException(a.getString("error"));
      }
      return a;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public JsonObject call(JsonObject cmd) {
    JsonObject c = cmd.copy();
    if (c.containsKey("accepted")) {
      try {
        Path f = Files.createTempFile(tmp, "accepted", ".json");
        Files.writeString(f, c.getJsonObject("accepted").encode());
        c.remove("accepted");
        c.put("acceptedFile", f.toString());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    byte[] line = (c.encode() + "\n").getBytes(StandardCharsets.UTF_8);
    for (Process p : children) {
      try {
        OutputStream os = p.getOutputStream();
        os.write(line);
        os.flush();
      } catch (IOException e) {
        throw new IllegalStateException("child process gone", e);
      }
    }
    List<JsonObject> parts = new ArrayList<>();
    for (int k = 0; k < children.size(); k++) {
      parts.add(take(k, Fleet.boundSeconds(cmd, subscribersPerChild), cmd.getString("cmd")));
    }
    return Reports.merge(parts);
  }

  @Override
  public boolean inProcess() {
    return false;
  }

  @Override
  public void close() {
    for (Process p : children) {
      try {
        p.getOutputStream().write("{\"cmd\":\"exit\"}\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
      } catch (IOException ignored) {
        // already gone
      }
    }
    for (Process p : children) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try (var s = Files.list(tmp)) {
      s.forEach(f -> f.toFile().delete());
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
