package io.quicksilver;

import io.quicksilver.auth.JwtKey;
import io.quicksilver.auth.KeySource;
import io.quicksilver.auth.TokenSigner;
import io.quicksilver.config.ConfigException;
import io.quicksilver.config.Durations;
import io.quicksilver.config.HubConfig;
import io.quicksilver.mercure.HubPath;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar quicksilver.jar token}: prints a token for trying the hub with curl, signed by vertx-auth-jwt
 * with the configured HMAC key of the role (the publisher's, or the subscriber's with {@code --subscriber}), or
 * with the key given by {@code --key} (an HMAC secret, or an RSA or EC private key from a PEM file).
 *
 * <p>Classic tokens carry the {@code mercure} claim. With {@code --access-token} the token is a draft-08
 * access token ({@code typ: at+jwt}) of the configured {@code default_issuer} (or {@code --iss}), for the configured
 * resource identifier (else {@code http://localhost:<port>/.well-known/mercure}, or {@code --aud}), whose Mercure
 * authorization details grant the selectors as {@code exact} matchers, or as URL patterns with {@code --pattern}.
 * {@code --jwks} prints the public JWK Set of the key instead, for {@code *_JWKS_URL}.
 */
@Command(name = "token", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = "Print a token signed with the configured key of a role, or with --key.")
final class TokenCommand implements Callable<Integer> {

  private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

  @Spec
  private CommandSpec spec;

  @Option(names = "--publish", paramLabel = "SELECTOR", description = "grant publishing to this selector (repeatable)")
  private List<String> publish = new ArrayList<>();

  @Option(names = "--subscribe", paramLabel = "SELECTOR", description = "grant receiving private updates of this selector (repeatable)")
  private List<String> subscribe = new ArrayList<>();

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", description = "lifetime: 1h, 30m, 90s... (0: no exp; default ${DEFAULT-VALUE})")
  private String ttl;

  @Option(names = "--subscriber", description = "use the subscriber key and algorithm instead of the publisher's")
  private boolean subscriber;

  @Option(names = "--access-token", description = "mint a draft-08 access token (typ at+jwt, authorization_details)")
  private boolean accessToken;

  @Option(names = "--pattern", description = "with --access-token: grant the selectors as URL patterns, not exact topics")
  private boolean pattern;

  @Option(names = "--aud", paramLabel = "URL", description = "with --access-token: the audience (default: the resource identifier)")
  private String audience;

  @Option(names = "--iss", paramLabel = "ISSUER", description = "with --access-token: the issuer (default: default_issuer)")
  private String issuer;

  @Option(names = "--key", paramLabel = "SECRET|@FILE",
      description = "sign with this HMAC secret, or with the secret or PEM private key (RS, ES) in FILE; default: the role's configured HMAC key")
  private String key;

  @Option(names = "--alg", paramLabel = "ALG", description = "algorithm (HS/RS/ES 256/384/512); default: the role's configured one, or the PEM key's type")
  private String algorithm;

  @Option(names = "--kid", paramLabel = "KID", description = "key id written in the header (and in the --jwks output)")
  private String kid;

  @Option(names = "--sub", paramLabel = "SUBJECT", description = "the sub claim (access tokens: default a random urn:uuid)")
  private String subject;

  @Option(names = "--payload", paramLabel = "JSON", description = "the subscription payload: mercure.payload, or the subscribe detail's payload")
  private String payload;

  @Option(names = "--jwks", description = "print the public JWK Set of --key (a PEM public key, or an RSA private key) instead of a token")
  private boolean jwks;

  private final Supplier<HubConfig> config;

  /** @param config loads the configuration when the command needs it (not for {@code --key} with {@code --jwks}) */
  TokenCommand(Supplier<HubConfig> config) {
    this.config = config;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (jwks) {
        out.println(jwks());
        out.flush();
        return 0;
      }
      Duration lifetime = Durations.parse(ttl);
      Vertx vertx = Vertx.vertx();
      try {
        TokenSigner signer = signer(vertx);
        String token = accessToken ? signer.sign("at+jwt", accessClaims(lifetime)) : signer.sign(classicClaims(lifetime));
        out.println(token);
        out.flush();
        return 0;
      } finally {
        vertx.close();
      }
    } catch (IllegalArgumentException | ConfigException e) {
      spec.commandLine().getErr().println("quicksilver token: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
  }

  /** The signer: {@code --key} (with {@code --alg} or the algorithm its type implies), else the role's configured HMAC key. */
  private TokenSigner signer(Vertx vertx) {
    if (key == null) {
      HubConfig.Auth auth = config.get().auth();
      KeySource source = subscriber ? auth.subscriber() : auth.publisher();
      if (source.key() == null || !source.key().isHmac()) {
        throw new IllegalArgumentException("the " + (subscriber ? "subscriber" : "publisher") + " keys are "
            + source + ", which cannot sign: give the private key with --key @FILE");
      }
      if (algorithm != null && !algorithm.equals(source.key().algorithm())) {
        throw new IllegalArgumentException("--alg " + algorithm + " does not fit the configured " + source.key().algorithm() + " key");
      }
      return TokenSigner.of(vertx, source.key().algorithm(), source.key().material(), kid);
    }
    String material = keyText();
    String alg = algorithm != null ? algorithm : defaultAlgorithm(material);
    return TokenSigner.of(vertx, alg, alg.startsWith("HS") ? material : privatePem(material), kid);
  }

  private String keyText() {
    if (!key.startsWith("@")) {
      return key;
    }
    try {
      return Files.readString(Path.of(key.substring(1)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the key file " + key.substring(1));
    }
  }

  /** A PEM private key's algorithm family (RS256, or the ES of its curve); an HMAC secret's: the role's HS, else HS256. */
  private String defaultAlgorithm(String material) {
    String pem = block(material, "PRIVATE KEY");
    if (pem == null) {
      if (material.contains("-----BEGIN ")) {
        throw new IllegalArgumentException("--key holds no PKCS#8 private key (-----BEGIN PRIVATE KEY-----)");
      }
      String configured = configuredAlgorithm();
      return configured != null && configured.startsWith("HS") ? configured : "HS256";
    }
    Object parsed = privateKey(pem);
    if (parsed instanceof ECPrivateKey ec) {
      return switch (ec.getParams().getCurve().getField().getFieldSize()) {
        case 256 -> "ES256";
        case 384 -> "ES384";
        default -> "ES512";
      };
    }
    String configured = configuredAlgorithm();
    return configured != null && configured.startsWith("RS") ? configured : "RS256";
  }

  /** The role's configured algorithm, when the configuration loads and has a static key; else null. */
  private String configuredAlgorithm() {
    try {
      HubConfig.Auth auth = config.get().auth();
      JwtKey configured = subscriber ? auth.subscriberKey() : auth.publisherKey();
      return configured == null ? null : configured.algorithm();
    } catch (ConfigException e) {
      return null;
    }
  }

  private static String privatePem(String material) {
    String pem = block(material, "PRIVATE KEY");
    if (pem == null) {
      throw new IllegalArgumentException("RS and ES tokens need a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----) in --key @FILE");
    }
    return pem;
  }

  /** The first PEM block of this type in the text, normalised to 64-character lines; null when there is none. */
  private static String block(String text, String type) {
    Matcher m = PEM_BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        String body = m.group(2).replaceAll("\\s", "");
        return "-----BEGIN " + type + "-----\n" + String.join("\n", body.split("(?<=\\G.{64})")) + "\n-----END " + type + "-----\n";
      }
    }
    return null;
  }

  private static Object privateKey(String pem) {
    byte[] der = der(pem);
    for (String family : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(family).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the other family
      }
    }
    throw new IllegalArgumentException("--key holds no RSA or EC private key");
  }

  private static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }

  /** The public JWK Set of {@code --key}: its PEM public key, else the public half of its RSA private key. */
  private String jwks() {
    if (key == null) {
      throw new IllegalArgumentException("--jwks needs --key @FILE (a PEM public key, or an RSA private key)");
    }
    String material = keyText();
    PublicKey publicKey = publicKey(material);
    JsonObject jwk;
    if (publicKey instanceof RSAPublicKey rsa) {
      jwk = new JsonObject().put("kty", "RSA").put("n", b64(unsigned(rsa.getModulus()))).put("e", b64(unsigned(rsa.getPublicExponent())));
    } else if (publicKey instanceof ECPublicKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      int size = (bits + 7) / 8;
      jwk = new JsonObject().put("kty", "EC").put("crv", bits == 256 ? "P-256" : bits == 384 ? "P-384" : "P-521")
          .put("x", b64(fixed(ec.getW().getAffineX(), size))).put("y", b64(fixed(ec.getW().getAffineY(), size)));
    } else {
      throw new IllegalArgumentException("--jwks needs an RSA or EC key");
    }
    String alg = algorithm != null ? algorithm : jwk.getString("kty").equals("RSA") ? "RS256"
        : "ES" + Math.min(512, ((ECPublicKey) publicKey).getParams().getCurve().getField().getFieldSize());
    if (!JwtKey.ALGORITHMS.contains(alg) || alg.startsWith("HS") || !alg.startsWith(jwk.getString("kty").equals("RSA") ? "RS" : "ES")) {
      throw new IllegalArgumentException("--alg " + alg + " does not fit the " + jwk.getString("kty") + " key");
    }
    jwk.put("use", "sig").put("alg", alg);
    if (kid != null) {
      jwk.put("kid", kid);
    }
    return new JsonObject().put("keys", new JsonArray().add(jwk)).encodePrettily();
  }

  private static PublicKey publicKey(String material) {
    String spki = block(material, "PUBLIC KEY");
    try {
      if (spki != null) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der(spki));
        try {
          return KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (GeneralSecurityException e) {
          return KeyFactory.getInstance("EC").generatePublic(spec);
        }
      }
      String pkcs8 = block(material, "PRIVATE KEY");
      if (pkcs8 != null && privateKey(pkcs8) instanceof RSAPrivateCrtKey rsa) {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("--key holds no valid public key");
    }
    throw new IllegalArgumentException("--jwks needs a PEM public key (-----BEGIN PUBLIC KEY-----) or an RSA private key;"
        + " for EC keys add the public key to the file (openssl pkey -in key.pem -pubout >> key.pem)");
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] bytes = n.toByteArray();
    return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static byte[] fixed(BigInteger n, int size) {
    byte[] bytes = unsigned(n);
    byte[] out = new byte[size];
    System.arraycopy(bytes, 0, out, size - bytes.length, bytes.length);
    return out;
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private Object payloadValue() {
    if (payload == null) {
      return null;
    }
    try {
      return new JsonObject(payload);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("--payload must be a JSON object");
    }
  }

  private JsonObject classicClaims(Duration lifetime) {
    JsonObject mercure = new JsonObject();
    if (!publish.isEmpty()) {
      mercure.put("publish", new JsonArray(publish));
    }
    if (!subscribe.isEmpty()) {
      mercure.put("subscribe", new JsonArray(subscribe));
    }
    if (payload != null) {
      mercure.put("payload", payloadValue());
    }
    JsonObject claims = new JsonObject().put("mercure", mercure);
    if (subject != null) {
      claims.put("sub", subject);
    }
    if (!lifetime.isZero()) {
      claims.put("exp", Instant.now().plus(lifetime).getEpochSecond());
    }
    return claims;
  }

  /** The claims RFC 9068 requires, and one Mercure authorization detail per action granted. */
  private JsonObject accessClaims(Duration lifetime) {
    HubConfig hub = issuer == null || audience == null ? config.get() : null;
    String iss = issuer;
    if (iss == null) {
      iss = hub.protocol().defaultIssuer();
      if (iss == null || !hub.protocol().mode().draft08Enabled()) {
        throw new IllegalArgumentException("--access-token needs protocol both or draft-08 and default_issuer (QS_DEFAULT_ISSUER), or --iss");
      }
    }
    if (lifetime.isZero()) {
      throw new IllegalArgumentException("access tokens must expire (--ttl 0 is not allowed)");
    }
    String aud = audience != null ? audience : hub.protocol().resourceIdentifier() != null
        ? hub.protocol().resourceIdentifier() : "http://localhost:" + hub.http().port() + HubPath.VALUE;
    JsonArray details = new JsonArray();
    addDetail(details, "publish", publish, null);
    addDetail(details, "subscribe", subscribe, payloadValue());
    Instant now = Instant.now();
    return new JsonObject()
        .put("iss", iss)
        .put("aud", aud)
        .put("sub", subject != null ? subject : "urn:uuid:" + UUID.randomUUID())
        .put("client_id", iss)
        .put("iat", now.getEpochSecond())
        .put("exp", now.plus(lifetime).getEpochSecond())
        .put("jti", "urn:uuid:" + UUID.randomUUID())
        .put("authorization_details", details);
  }

  private void addDetail(JsonArray details, String action, List<String> selectors, Object detailPayload) {
    if (selectors.isEmpty()) {
      return;
    }
    JsonArray topics = new JsonArray();
    for (String s : selectors) {
      topics.add(new JsonObject().put("match", s).put("match_type", pattern ? "urlpattern" : "exact"));
    }
    JsonObject detail = new JsonObject().put("type", "https://mercure.rocks/authorization-detail")
        .put("actions", new JsonArray().add(action)).put("topics", topics);
    if (detailPayload != null) {
      detail.put("payload", detailPayload);
    }
    details.add(detail);
  }
}
