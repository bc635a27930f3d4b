package io.quicksilver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quicksilver.support.Tokens;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;



/** Parsing verification keys from configuration text. */
class JwtKeyTest {

  private static final String SECRET_MARK = "Sup3rS3cretMaterialThatMustNotLeak";

  /** Verifies that every supported algorithm parses its kind of key and keeps the algorithm. */
  @ParameterizedTest
  @ValueSource(strings = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512"})
  void parsesEveryAlgorithm(String alg) {
    JwtKey key = Verifiers.key(alg);
    assertEquals(alg, key.algorithm());
    assertEquals("JwtKey[" + alg + "]", key.toString());
  }

  /** Verifies that a PEM with CRLF line ends, no line breaks, or surrounding whitespace is accepted. */
  @Test
  void pemLayoutTolerated() {
    String pem = Tokens.pem(Tokens.pair("RS256").getPublic());
    JwtKey.parse("RS256", pem.replace("\n", "\r\n"));
    JwtKey.parse("RS256", "  \n" + pem.replace("\n", "") + "\n\n");
  }

  /** Algorithm and material that must be refused. */
  static Stream<Arguments> refusedKeys() {
    String rsaPem = Tokens.pem(Tokens.pair("RS256").getPublic());
    String p256Pem = Tokens.pem(Tokens.pair("ES256").getPublic());
    String p384Pem = Tokens.pem(Tokens.pair("ES384").getPublic());
    return Stream.of(
        Arguments.of("none", SECRET_MARK),
        Arguments.of("NONE", SECRET_MARK),
        Arguments.of("hs256", SECRET_MARK),
        Arguments.of("PS256", SECRET_MARK),
        Arguments.of("HS", SECRET_MARK),
        Arguments.of("", SECRET_MARK),
        Arguments.of(null, SECRET_MARK),
        Arguments.of("HS256", ""),
        Arguments.of("HS256", null),
        Arguments.of("RS256", SECRET_MARK),
        Arguments.of("ES256", SECRET_MARK),
        Arguments.of("RS256", "-----BEGIN PUBLIC KEY-----\n" + SECRET_MARK + "!!\n-----END PUBLIC KEY-----"),
        Arguments.of("RS256", "-----BEGIN PUBLIC KEY-----\n" + SECRET_MARK + "\n-----END PUBLIC KEY-----"),
        Arguments.of("RS256", p256Pem),
        Arguments.of("ES256", rsaPem),
        Arguments.of("ES256", p384Pem),
        Arguments.of("ES384", p256Pem),
        Arguments.of("ES512", p384Pem),
        // a public key configured with an HMAC algorithm: anyone holding it could sign (CWE-347)
        Arguments.of("HS256", rsaPem),
        Arguments.of("HS384", p256Pem),
        Arguments.of("HS512", "  " + rsaPem.trim()),
        // RSA keys under 2048 bits
        Arguments.of("RS256", Tokens.pem(Tokens.generate("RSA1024").getPublic())),
        Arguments.of("RS512", Tokens.pem(Tokens.generate("RSA2040").getPublic())));
  }

  /** Verifies that unsupported algorithms and keys that do not fit the algorithm are refused, without echoing the material. */
  @ParameterizedTest
  @MethodSource("refusedKeys")
  void refused(String alg, String material) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JwtKey.parse(alg, material));
    assertFalse(e.getMessage().contains(SECRET_MARK), e.getMessage());
    if (material != null && material.contains("BEGIN PUBLIC KEY") && material.length() > 200) {
      String body = material.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").trim();
      assertFalse(e.getMessage().contains(body.substring(0, 40)), e.getMessage());
    }
  }

  /** Verifies that HMAC secrets shorter than 32 bytes are flagged weak, and public keys never are. */
  @Test
  void weakSecrets() {
    assertTrue(JwtKey.parse("HS256", "short").weak());
    assertTrue(JwtKey.parse("HS256", "x".repeat(31)).weak());
    assertFalse(JwtKey.parse("HS256", "x".repeat(32)).weak());
    assertFalse(Verifiers.key("RS256").weak());
    assertFalse(Verifiers.key("ES256").weak());
  }

  /** Verifies that the text form of a key never holds the secret. */
  @Test
  void toStringHidesMaterial() {
    JwtKey key = JwtKey.parse("HS512", SECRET_MARK);
    assertFalse(key.toString().contains(SECRET_MARK));
  }
}
