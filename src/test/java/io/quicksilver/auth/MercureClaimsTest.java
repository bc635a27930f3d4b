package io.quicksilver.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quicksilver.mercure.ProtocolException;
import io.quicksilver.mercure.TopicSelector;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;



/** The {@code mercure} claim and the publish/subscribe rules (classic protocol, "Publishers", "Subscribers"). */
class MercureClaimsTest {

  private static final String B1 = "https://example.com/books/1";
  private static final String B2 = "https://example.com/books/2";
  private static final String A1 = "https://example.com/authors/1";
  private static final String BOOKS = "https://example.com/books/{id}";

  private static MercureClaims of(String claimsJson) {
    return MercureClaims.of(new VerifiedToken(new JsonObject(claimsJson), null));
  }

  private static String arr(List<String> items) {
    return new io.vertx.core.json.JsonArray(items).encode();
  }

  /** The publish claim (null: key absent), the update's topics, and whether publishing is allowed. */
  static Stream<Arguments> publishTable() {
    return Stream.of(
        Arguments.of(null, List.of(B1), false),
        Arguments.of(List.of(), List.of(B1), false),
        Arguments.of(List.of("*"), List.of(B1), true),
        Arguments.of(List.of("*"), List.of(B1, A1, "urn:x"), true),
        Arguments.of(List.of(B1), List.of(B1), true),
        Arguments.of(List.of(B1), List.of(B2), false),
        Arguments.of(List.of(BOOKS), List.of(B1, B2), true),
        Arguments.of(List.of(BOOKS), List.of(B1, A1), false),
        Arguments.of(List.of(BOOKS), List.of(A1, B1), false),
        Arguments.of(List.of(B1, A1), List.of(B1, A1), true),
        Arguments.of(List.of(B1), List.of(B1, B2), false),
        Arguments.of(List.of(BOOKS), List.of(BOOKS), true),
        Arguments.of(List.of(BOOKS), List.of(B1 + "/x"), false));
  }

  /** Verifies that publishing needs every topic matched by some publish selector, and nothing is granted by an empty or absent claim. */
  @ParameterizedTest
  @MethodSource("publishTable")
  void mayPublishAll(List<String> publish, List<String> topics, boolean expected) {
    String json = publish == null ? "{\"mercure\":{}}" : "{\"mercure\":{\"publish\":" + arr(publish) + "}}";
    assertEquals(expected, of(json).mayPublishAll(topics));
  }

  /** The subscribe claim (null: key absent), the update's topics, and whether a private update may be received. */
  static Stream<Arguments> receiveTable() {
    String userSel = "https://example.com/users/foo/{?topic}";
    String alternate = "https://example.com/users/foo/?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1";
    return Stream.of(
        Arguments.of(null, List.of(B1), false),
        Arguments.of(List.of(), List.of(B1), false),
        Arguments.of(List.of("*"), List.of(B1), true),
        Arguments.of(List.of(B1), List.of(B1), true),
        Arguments.of(List.of(B1), List.of(B2), false),
        Arguments.of(List.of(B1), List.of(A1, B1), true),
        Arguments.of(List.of(BOOKS), List.of(A1, B2), true),
        Arguments.of(List.of(A1, BOOKS), List.of("urn:x", "urn:y"), false),
        Arguments.of(List.of(userSel), List.of(B1, alternate), true),
        Arguments.of(List.of(userSel), List.of(B1), false));
  }

  /** Verifies that a private update may be received when any of its topics matches any subscribe selector. */
  @ParameterizedTest
  @MethodSource("receiveTable")
  void mayReceive(List<String> subscribe, List<String> topics, boolean expected) {
    String json = subscribe == null ? "{\"mercure\":{}}" : "{\"mercure\":{\"subscribe\":" + arr(subscribe) + "}}";
    assertEquals(expected, of(json).mayReceive(topics));
  }

  /** Verifies that a token without a mercure claim grants nothing but keeps its expiry. */
  @Test
  void absentClaimGrantsNothing() {
    Instant exp = Instant.ofEpochSecond(1_700_000_000L);
    MercureClaims c = MercureClaims.of(new VerifiedToken(new JsonObject("{\"sub\":\"x\"}"), exp));
    assertEquals(List.of(), c.publish());
    assertEquals(List.of(), c.subscribe());
    assertNull(c.payload());
    assertEquals(exp, c.expiresAt());
    assertFalse(c.mayPublishAll(List.of(B1)));
    assertFalse(c.mayReceive(List.of(B1)));
    assertFalse(MercureClaims.ANONYMOUS.mayPublishAll(List.of(B1)));
    assertFalse(MercureClaims.ANONYMOUS.mayReceive(List.of(B1)));
  }

  /** Verifies that selectors and the payload are read from the claim. */
  @Test
  void readsSelectorsAndPayload() {
    MercureClaims c = of("{\"mercure\":{\"publish\":[\"a\",\"" + BOOKS + "\"],\"subscribe\":[\"*\"],\"payload\":{\"user\":\"u1\"}}}");
    assertEquals(List.of(TopicSelector.of("a"), TopicSelector.of(BOOKS)), c.publish());
    assertEquals(List.of(TopicSelector.of("*")), c.subscribe());
    assertEquals(new JsonObject().put("user", "u1"), c.payload());
    assertEquals("scalar", of("{\"mercure\":{\"payload\":\"scalar\"}}").payload());
  }

  /** Verifies that a mercure claim of the wrong shape makes the token invalid (401). */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"mercure\":\"*\"}",
      "{\"mercure\":1}",
      "{\"mercure\":true}",
      "{\"mercure\":[\"*\"]}",
      "{\"mercure\":{\"publish\":\"*\"}}",
      "{\"mercure\":{\"publish\":{\"0\":\"*\"}}}",
      "{\"mercure\":{\"publish\":[1]}}",
      "{\"mercure\":{\"publish\":[\"a\",null]}}",
      "{\"mercure\":{\"publish\":[[\"*\"]]}}",
      "{\"mercure\":{\"subscribe\":\"*\"}}",
      "{\"mercure\":{\"subscribe\":[{}]}}",
      "{\"mercure\":{\"subscribe\":true}}"})
  void wrongShapeRefused(String claimsJson) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> of(claimsJson));
    assertEquals(401, e.status());
  }
}
