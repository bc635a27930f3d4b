package io.quicksilver;

import io.quicksilver.config.ConfigException;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import io.quicksilver.http.ListenerTls;
import io.quicksilver.logging.LogSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar quicksilver.jar}: loads the configuration and runs the hub until the process is stopped. */
public final class Main {

  /** The secret in {@code conf/quicksilver.yaml}: fine on a laptop, never in production. */
  public static final String DEVELOPMENT_SECRET = "!ChangeThisQuicksilverDevelopmentKey!";

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("hash-password")) {
      System.exit(hashPassword(args));
    }
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    HubConfig config;
    try {
      config = ConfigLoader.load();
    } catch (ConfigException e) {
      System.err.println("quicksilver: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (args.length > 0 && args[0].equals("token")) {
      System.exit(TokenCommand.run(config, args));
    }
    LogSetup.apply(config.logLevel(), config.logging());
    warnAboutKeys(config);
    Hub.start(config)
        .onSuccess(hub -> {
          LOG.info("Quicksilver hub listening on {}://{}:{}/.well-known/mercure", ListenerTls.scheme(config.server()),
              config.http().host(), hub.port());
          try {
            onSigterm(hub, config);
          } catch (RuntimeException | LinkageError e) {
            LOG.warn("cannot handle SIGTERM ({}); the JVM's default shutdown applies", e.toString());
          }
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              hub.close().await();
            } catch (Exception e) {
              LOG.warn("shutdown: {}", e.getMessage());
            }
          }, "quicksilver-shutdown"));
        })
        .onFailure(err -> {
          LOG.error("Quicksilver could not start: {}", err.getMessage());
          System.exit(1);
        });
  }

  /**
   * SIGTERM (what Kubernetes sends): drain over the configured window (readiness fails at once, streams
   * close gradually, publishes still complete), stop, and exit with status 0.
   */
  @SuppressWarnings("restriction")
  private static void onSigterm(Hub hub, HubConfig config) {
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
      LOG.info("SIGTERM: draining for {}", config.ops().drainWindow());
      hub.drain(config.ops().drainWindow())
          .transform(ar -> hub.close())
          .onComplete(ar -> {
            LOG.info("drained; exiting");
            Runtime.getRuntime().halt(0);
          });
    });
  }

  /** {@code hash-password [PASSWORD]}: prints a hash for {@code demo.users} (reads the password from stdin when absent). */
  private static int hashPassword(String[] args) {
    String password;
    if (args.length > 1) {
      password = args[1];
    } else {
      try {
        password = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
      } catch (java.io.IOException e) {
        password = null;
      }
    }
    if (password == null || password.isEmpty()) {
      System.err.println("usage: hash-password PASSWORD (or the password on standard input)");
      return 2;
    }
    System.out.println(io.quicksilver.demo.Passwords.hash(password));
    return 0;
  }

  private static void warnAboutKeys(HubConfig config) {
    boolean dev = config.auth().publisherKey().algorithm().startsWith("HS")
        && (isDevelopmentSecret(config.auth().publisherKey().key().getEncoded())
        || isDevelopmentSecret(config.auth().subscriberKey().key().getEncoded()));
    if (dev) {
      LOG.warn("""

          ***********************************************************************
          *  DEVELOPMENT KEYS IN USE: anybody who reads conf/quicksilver.yaml    *
          *  can publish and read private updates. Set MERCURE_PUBLISHER_JWT_KEY *
          *  and MERCURE_SUBSCRIBER_JWT_KEY before exposing this hub.            *
          ***********************************************************************""");
    }
    if (config.auth().publisherKey().weak() || config.auth().subscriberKey().weak()) {
      LOG.warn("an HMAC JWT secret is shorter than 32 bytes; use a longer random secret");
    }
  }

  private static boolean isDevelopmentSecret(byte[] key) {
    return key != null && new String(key, java.nio.charset.StandardCharsets.UTF_8).equals(DEVELOPMENT_SECRET);
  }
}
