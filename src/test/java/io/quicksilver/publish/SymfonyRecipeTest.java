package io.quicksilver.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quicksilver.config.ConfigLoader;
import io.quicksilver.server.Hub;
import io.quicksilver.support.Http;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;




/**
 * The hub started with the environment of Symfony's Docker recipe for the Mercure bundle, unchanged but for
 * the port (its commented {@code SERVER_NAME: ':80'} line, with a free port), driven by the real
 * {@code symfony/mercure} client from Debian's packages ({@code src/test/php/symfony-flow.php}): the app's
 * {@code Authorization} service makes the {@code mercureAuthorization} cookie, a browser-like
 * {@code EventSourceHttpClient} subscribes with it from the app's origin, the app's {@code Hub} publishes a
 * public and a private update. Needs {@code php-cli}, {@code php-symfony-mercure},
 * {@code php-symfony-http-client} (installed by {@code .ci/run}); skipped without them outside CI.
 */
@Tag("symfony")
@Timeout(120)
class SymfonyRecipeTest {

  private static final Path SCRIPT = Path.of(System.getProperty("qs.project.dir", "."), "src", "test", "php", "symfony-flow.php");
  private static final String SECRET = "!ChangeThisMercureHubJWTSecretKey!";
  private static final String APP_ORIGIN = "http://127.0.0.1:8000";

  /** The recipe's environment: its 0.4 version (classic hub), or its 0.5 version (Mercure 1.0: issuer, playground). */
  private static Map<String, String> recipe(String version, int port) {
    Map<String, String> env = new HashMap<>();
    env.put("SERVER_NAME", ":" + port);
    env.put("MERCURE_PUBLISHER_JWT_KEY", SECRET);
    env.put("MERCURE_SUBSCRIBER_JWT_KEY", SECRET);
    if (version.equals("0.4")) {
      env.put("MERCURE_EXTRA_DIRECTIVES", "cors_origins " + APP_ORIGIN + "\n");
    } else {
      env.put("MERCURE_TRUSTED_ISSUERS", "https://localhost");
      env.put("MERCURE_EXTRA_DIRECTIVES", "playground\ncors_origins " + APP_ORIGIN + "\n");
    }
    return env;
  }

  /** Verifies that the recipe's environment starts the hub and the Symfony flow (publish, cookie, private update) works. */
  @ParameterizedTest(name = "recipe {0}")
  @ValueSource(strings = {"0.4", "0.5"})
  void symfonyFlow(String version) throws Exception {
    assumeTrue(Files.isRegularFile(Path.of("/usr/share/php/Symfony/Component/Mercure/Hub.php")) || System.getenv("CI") != null,
        "php-symfony-mercure is not installed (apt-get install php-cli php-symfony-mercure php-symfony-http-client)");
    int port = freePort();
    Hub hub = Hub.start(ConfigLoader.load(recipe(version, port), null)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      assertEquals(port, hub.port(), "SERVER_NAME gives the port");
      String hubUrl = "http://127.0.0.1:" + port + "/.well-known/mercure";
      List<JsonObject> lines = runPhp(hubUrl);

      JsonObject cookie = find(lines, "cookie").getJsonObject("cookie");
      assertEquals("mercureAuthorization", cookie.getString("name"));
      assertEquals("/.well-known/mercure", cookie.getString("path"));
      JsonObject cors = find(lines, "cors").getJsonObject("cors");
      assertEquals(200, cors.getInteger("status"));
      assertEquals(APP_ORIGIN, cors.getString("allowOrigin"), "cors_origins from MERCURE_EXTRA_DIRECTIVES");
      assertEquals("true", cors.getString("allowCredentials"));

      Map<String, String> published = new HashMap<>();
      lines.stream().filter(l -> l.containsKey("published")).forEach(l -> published.put(l.getString("published"), l.getString("id")));
      List<String> received = lines.stream().filter(l -> l.containsKey("event")).map(l -> l.getJsonObject("event").getString("id")).toList();
      assertEquals(List.of(published.get("public"), published.get("private"), "control-1"), received,
          "public and private (cookie) updates arrive, the private update of another topic does not, then the control");
      JsonObject privateEvent = lines.stream().filter(l -> l.containsKey("event")).map(l -> l.getJsonObject("event")).toList().get(1);
      assertEquals("alert", privateEvent.getString("type"));
      assertEquals("price alert", privateEvent.getString("data"));

      // The recipe does not let anonymous subscribers in; 0.5's playground does, and turns the hub UI on.
      int ui = Http.get(URI.create("http://127.0.0.1:" + port + "/.well-known/mercure/ui/"), Map.of()).statusCode();
      if (version.equals("0.4")) {
        assertEquals(401, Http.get(URI.create(hubUrl + "?topic=x"), Map.of("Accept", "text/event-stream")).statusCode());
        assertEquals(404, ui);
      } else {
        assertEquals(200, ui);
      }
    } finally {
      hub.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static List<JsonObject> runPhp(String hubUrl) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("php", SCRIPT.toString(), hubUrl, SECRET, APP_ORIGIN).redirectErrorStream(true).start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertTrue(done && p.exitValue() == 0, "the Symfony client failed:\n" + output);
    List<JsonObject> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("{")) {
        lines.add(new JsonObject(line));
      }
    }
    return lines;
  }

  private static JsonObject find(List<JsonObject> lines, String key) {
    return lines.stream().filter(l -> l.containsKey(key)).findFirst().orElseThrow(() -> new AssertionError("no " + key + " in " + lines));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
