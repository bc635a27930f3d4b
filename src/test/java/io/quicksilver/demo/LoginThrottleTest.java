package io.quicksilver.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;



/** The login throttle, on a clock the test moves. */
class LoginThrottleTest {

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** Verifies that a user name is locked after its failures, whoever tries, until the window has passed. */
  @Test
  void failuresPerUser() {
    MovableClock clock = new MovableClock();
    LoginThrottle throttle = new LoginThrottle(clock);
    for (int i = 0; i < LoginThrottle.FAILURES_PER_USER; i++) {
      assertEquals(0, throttle.attempt("10.0.0." + i, "alice"));
      throttle.failed("alice");
    }
    long wait = throttle.attempt("10.0.0.99", "alice");
    assertTrue(wait > 0 && wait <= LoginThrottle.WINDOW.toSeconds(), "wait " + wait);
    assertEquals(0, throttle.attempt("10.0.0.99", "bob"), "another user is not locked");
    clock.now = clock.now.plus(LoginThrottle.WINDOW).plusSeconds(1);
    assertEquals(0, throttle.attempt("10.0.0.99", "alice"), "the window passed");
  }

  /** Verifies that a client address is limited whatever names it tries, and that a success clears a name's failures. */
  @Test
  void attemptsPerClient() {
    MovableClock clock = new MovableClock();
    LoginThrottle throttle = new LoginThrottle(clock);
    for (int i = 0; i < LoginThrottle.PER_CLIENT; i++) {
      assertEquals(0, throttle.attempt("192.0.2.1", "user" + i));
      clock.now = clock.now.plusMillis(100);
    }
    assertTrue(throttle.attempt("192.0.2.1", "someone") > 0);
    assertEquals(0, throttle.attempt("192.0.2.2", "someone"), "another address is not limited");

    throttle.failed("carol");
    throttle.failed("carol");
    throttle.succeeded("carol");
    for (int i = 0; i < LoginThrottle.FAILURES_PER_USER - 1; i++) {
      throttle.failed("carol");
    }
    assertEquals(0, throttle.attempt("192.0.2.3", "carol"), "failures before a success do not count");
  }

  /** Verifies that memory stays bounded however many addresses try. */
  @Test
  void bounded() {
    LoginThrottle throttle = new LoginThrottle(new MovableClock());
    for (int i = 0; i < LoginThrottle.MAX_KEYS * 2; i++) {
      throttle.attempt("198.51.100." + i, "x");
    }
    assertTrue(throttle.tracked() <= LoginThrottle.MAX_KEYS, "tracked " + throttle.tracked());
    assertFalse(throttle.attempt("fresh", "x") > 0);
  }

  /** Verifies that the dummy hash for unknown users matches no password and costs the iterations of a real one. */
  @Test
  void dummyHash() {
    String real = "pbkdf2-sha256:20000:K8dSi+gqH9mZxneYasPFJw:9N3K47o2cOMgcaEOnpGbdf+eedmrLgVBijOOGiVUqrU";
    String dummy = Passwords.dummyLike(real);
    assertTrue(dummy.startsWith("pbkdf2-sha256:20000:"), dummy);
    assertFalse(Passwords.verify("", dummy));
    assertTrue(Passwords.dummyLike(null).startsWith("pbkdf2-sha256:210000:"));
    assertEquals(Duration.ofMinutes(1), LoginThrottle.WINDOW);
  }
}
