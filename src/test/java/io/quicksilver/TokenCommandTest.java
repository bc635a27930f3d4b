package io.quicksilver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.auth.AccessTokens;
import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.MercureClaims;
import io.quicksilver.auth.Role;
import io.quicksilver.auth.StaticKeys;
import io.quicksilver.auth.TokenVerifier;
import io.quicksilver.config.ConfigException;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import io.quicksilver.support.TestHub;
import io.quicksilver.support.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;



/** The command line: {@code --help}, usage errors, and the {@code token} command minting tokens the hub accepts. */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class TokenCommandTest {

  private static final String RESOURCE = "https://hub.example/.well-known/mercure";

  /** What a command printed, and its exit code. */
  private record Run(int code, String out, String err) {
  }

  private static HubConfig config() {
    return ConfigLoader.load(TestHub.baseEnv(Map.of("QS_DEFAULT_ISSUER", "https://app.example", "QS_RESOURCE_IDENTIFIER", RESOURCE)), null);
  }

  private static Run run(Supplier<HubConfig> config, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Main.commandLine(config);
    cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    cli.getSubcommands().values().forEach(sub -> sub.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)));
    int code = cli.execute(args);
    return new Run(code, out.toString().trim(), err.toString().trim());
  }

  private static String mint(HubConfig config, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "token";
    System.arraycopy(args, 0, all, 1, args.length);
    Run run = run(() -> config, all);
    assertEquals(0, run.code(), run.err());
    return run.out();
  }

  private static TokenVerifier verifier(Vertx vertx, JwtKey key) {
    return new TokenVerifier(new StaticKeys(vertx, key, Duration.ZERO));
  }

  /** Verifies that --help prints the commands and never starts the hub, nor loads the configuration. */
  @Test
  void helpPrintsUsage() {
    Supplier<HubConfig> none = () -> {
      throw new AssertionError("the configuration must not be loaded");
    };
    Run help = run(none, "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("token") && help.out().contains("hash-password") && help.out().contains("serve"), help.out());
    Run tokenHelp = run(none, "token", "--help");
    assertEquals(0, tokenHelp.code());
    for (String option : List.of("--publish", "--subscribe", "--ttl", "--subscriber", "--access-token", "--pattern", "--aud",
        "--key", "--kid", "--sub", "--payload", "--jwks")) {
      assertTrue(tokenHelp.out().contains(option), () -> option + " missing from\n" + tokenHelp.out());
    }
  }

  /** Verifies that a mistyped command or option is a usage error (exit 2), which never starts the hub. */
  @Test
  void usageErrors() {
    Supplier<HubConfig> none = () -> {
      throw new AssertionError("the configuration must not be loaded");
    };
    for (String[] args : List.of(new String[] {"tokn"}, new String[] {"--hepl"}, new String[] {"token", "--publsh", "*"},
        new String[] {"serve", "extra"}, new String[] {"token", "--ttl"})) {
      Run run = run(none, args);
      assertEquals(2, run.code(), () -> String.join(" ", args) + ": " + run.err());
      assertFalse(run.err().isEmpty());
    }
  }

  /** Verifies that a classic token carries the mercure claim, sub and payload, and verifies with the publisher key. */
  @Test
  void classicToken(Vertx vertx, VertxTestContext test) {
    HubConfig config = config();
    String token = mint(config, "--publish", "https://example.com/{id}", "--sub", "alice", "--payload", "{\"user\":\"alice\"}");
    verifier(vertx, config.auth().publisherKey()).verify(token).onComplete(test.succeeding(verified -> test.verify(() -> {
      MercureClaims claims = MercureClaims.of(verified);
      assertTrue(claims.mayPublishAll(List.of("https://example.com/1")));
      assertFalse(claims.draft08());
      assertEquals("alice", claims.subject());
      assertEquals(new JsonObject().put("user", "alice"), claims.payload());
      test.completeNow();
    })));
  }

  /** Verifies that an access token passes draft-08 validation for the resource identifier and grants its URL pattern. */
  @Test
  void accessToken(Vertx vertx, VertxTestContext test) {
    HubConfig config = config();
    String token = mint(config, "--access-token", "--subscriber", "--pattern", "--subscribe", "https://example.com/users/:id");
    new AccessTokens(config.protocol().issuers(), source -> verifier(vertx, source.key()))
        .validate(token, Role.SUBSCRIBER, RESOURCE)
        .onComplete(test.succeeding(claims -> test.verify(() -> {
          assertTrue(claims.draft08());
          assertTrue(claims.mayReceive(List.of("https://example.com/users/42")));
          assertFalse(claims.mayReceive(List.of("https://example.com/books/42")));
          test.completeNow();
        })));
  }

  /** Verifies that RS and ES tokens are signed with a PEM private key from a file, with the kid in the header, and that --jwks prints the key's public JWK Set. */
  @Test
  void privateKeyFromFile(@TempDir Path dir, Vertx vertx, VertxTestContext test) throws Exception {
    Checkpoint verified = test.checkpoint(2);
    for (String alg : List.of("RS256", "ES384")) {
      KeyPair pair = Tokens.generate(alg);
      Path pem = dir.resolve(alg + ".pem");
      Files.writeString(pem, Tokens.pem(pair.getPrivate()) + Tokens.pem(pair.getPublic()));
      String token = mint(config(), "--key", "@" + pem, "--kid", "k-" + alg, "--publish", "*");
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0])));
      assertEquals(alg, header.getString("alg"));
      assertEquals("k-" + alg, header.getString("kid"));
      JsonObject jwks = new JsonObject(mint(config(), "--key", "@" + pem, "--kid", "k-" + alg, "--jwks"));
      JsonObject jwk = jwks.getJsonArray("keys").getJsonObject(0);
      assertEquals(Tokens.jwk(pair.getPublic(), "k-" + alg, alg).put("use", "sig"), jwk);
      verifier(vertx, JwtKey.parse(alg, Tokens.pem(pair.getPublic()))).verify(token)
          .onComplete(test.succeeding(t -> test.verify(() -> {
            assertTrue(MercureClaims.of(t).mayPublishAll(List.of("https://example.com/x")));
            verified.flag();
          })));
    }
  }

  /** Verifies that --jwks derives the public key of an RSA private key alone, and asks for the public key of an EC one. */
  @Test
  void jwksFromPrivateKeys(@TempDir Path dir) throws Exception {
    KeyPair rsa = Tokens.generate("RS256");
    Path rsaFile = Files.writeString(dir.resolve("rsa.pem"), Tokens.pem(rsa.getPrivate()));
    Supplier<HubConfig> none = () -> {
      throw new ConfigException("no configuration");
    };
    Run run = run(none, "token", "--key", "@" + rsaFile, "--jwks", "--alg", "RS384");
    assertEquals(0, run.code(), run.err());
    assertEquals(new JsonObject().put("keys", new JsonArray().add(Tokens.jwk(rsa.getPublic(), null, "RS384").put("use", "sig"))),
        new JsonObject(run.out()).put("keys", new JsonArray().add(new JsonObject(run.out()).getJsonArray("keys").getJsonObject(0).putNull("kid"))));
    Path ecFile = Files.writeString(dir.resolve("ec.pem"), Tokens.pem(Tokens.generate("ES256").getPrivate()));
    Run ec = run(none, "token", "--key", "@" + ecFile, "--jwks");
    assertEquals(2, ec.code());
    assertTrue(ec.err().contains("-pubout"), ec.err());
  }

  /**
   * Verifies that without a default issuer (only further trusted issuers, whose keys the hub does not hold)
   * the command refuses rather than sign with the classic key a token under another issuer's name.
   */
  @Test
  void accessTokenNeedsTheDefaultIssuer() {
    String pem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ1HRvvOUh4vx0HyGpdxQAkDK+NyM5dxb"
        + "pTTZvtPWW5VUW2a4+rz4obbU9ko5W+Nxd9qOw6yXIQP7G0xVbYxLGg==\n-----END PUBLIC KEY-----\n";
    String issuers = new JsonArray().add(new JsonObject().put("issuer", "https://auth.example")
        .put("subscriber_key", pem).put("subscriber_alg", "ES256")).encode();
    HubConfig config = ConfigLoader.load(TestHub.baseEnv(Map.of("QS_TRUSTED_ISSUERS", issuers)), null);
    assertEquals(1, config.protocol().issuers().size());
    assertEquals(2, run(() -> config, "token", "--access-token", "--publish", "*").code());
  }
}
