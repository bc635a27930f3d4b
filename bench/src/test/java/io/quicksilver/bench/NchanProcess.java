package io.quicksilver.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * nginx with the nchan module in a child process (in the foreground: the process is the master, the workers
 * its children), configured from {@code bench/nchan/nginx.conf.in} with two workers on a free port of
 * 127.0.0.1, in a temp directory.
 */
final class NchanProcess implements AutoCloseable {

  static final Path MODULE = Path.of(System.getProperty("nchan.module", "/usr/lib/nginx/modules/ngx_nchan_module.so"));
  static final int WORKERS = 2;

  final int port;
  final Process process;
  final Path dir;

  /** Whether nginx and the nchan module are installed (apt-get install -y nginx libnginx-mod-nchan). */
  static boolean installed() {
    if (!Files.isRegularFile(MODULE)) {
      return false;
    }
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, "nginx"))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin/nginx"));
  }

  NchanProcess() throws IOException, InterruptedException {
    Path template = Path.of(System.getProperty("nchan.conf", "nchan/nginx.conf.in")).toAbsolutePath().normalize();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    dir = Files.createTempDirectory("qs-bench-nchan");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // workers may run as nobody
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(dir.resolve("nginx.conf"), Files.readString(template)
        .replace("@PORT@", Integer.toString(port))
        .replace("@WORKERS@", Integer.toString(WORKERS))
        .replace("@NOFILE@", "4096"));
    String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
    process = new ProcessBuilder(List.of(nginx, "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
        "-e", dir.resolve("error.log").toString(), "-g", "daemon off;"))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.log").toFile())
        .start();
    ServerProcess.awaitOk(process, url() + "/nchan_status", dir.resolve("out.log"), 30);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Options pointing the harness at this nginx. */
  Options options(String scenario) {
    return new Options()
        .set("scenario", scenario)
        .set("protocol", "nchan")
        .set("hub", url())
        .set("hub-pid", process.pid())
        .set("quiet", true);
  }

  @Override
  public void close() {
    ServerProcess.stop(process); // SIGTERM: the master stops its workers and exits
  }
}
