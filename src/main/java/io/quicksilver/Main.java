package io.quicksilver;

import io.quicksilver.auth.JwtKey;
import io.quicksilver.config.ConfigException;
import io.quicksilver.config.ConfigLoader;
import io.quicksilver.config.HubConfig;
import io.quicksilver.demo.Passwords;
import io.quicksilver.http.ListenerTls;
import io.quicksilver.logging.LogSetup;
import io.quicksilver.server.Hub;
import io.quicksilver.server.WarmUp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar quicksilver.jar [serve | token ... | hash-password ...]}: with no command (or {@code serve}) loads
 * the configuration and runs the hub until the process is stopped; {@code --help} prints the commands; anything
 * it does not know is a usage error (exit status 2) and never starts the hub.
 */
@Command(name = "quicksilver", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, version = "Quicksilver 0.1.0",
    description = "A Mercure hub. With no command, runs the hub (configuration: conf/quicksilver.yaml or $QS_CONFIG, and the environment).",
    subcommands = {Main.Serve.class, HelpCommand.class})
public final class Main implements Callable<Integer> {

  /** The secret in {@code conf/quicksilver.yaml}: fine on a laptop, never in production. */
  public static final String DEVELOPMENT_SECRET = "!ChangeThisQuicksilverDevelopmentKey!";

  /** The exit code that means "the hub runs": the process lives on. */
  static final int RUNNING = -1;

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  public static void main(String[] args) {
    int code = commandLine(ConfigLoader::load).execute(args);
    if (code != RUNNING) {
      System.exit(code);
    }
  }

  /**
   * The command line: the hub by default, and its commands.
   *
   * @param config loads the configuration, when a command needs it
   */
  static CommandLine commandLine(Supplier<HubConfig> config) {
    CommandLine cli = new CommandLine(new Main()).setExpandAtFiles(false);
    cli.addSubcommand(new CommandLine(new TokenCommand(config)));
    cli.addSubcommand(new CommandLine(new HashPassword()));
    return cli;
  }

  @Override
  public Integer call() {
    return serve();
  }

  /** {@code serve}: runs the hub (what no command does too). */
  @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the hub (the default).")
  static final class Serve implements Callable<Integer> {
    @Override
    public Integer call() {
      return serve();
    }
  }

  /** {@code hash-password [PASSWORD]}: prints a hash for {@code demo.users}. */
  @Command(name = "hash-password", mixinStandardHelpOptions = true,
      description = "Print a password hash for demo.users (QS_DEMO_USERS); reads the password from standard input when absent.")
  static final class HashPassword implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "PASSWORD", description = "the password")
    private String password;

    @Override
    public Integer call() {
      String text = password;
      if (text == null) {
        try {
          text = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
          text = null;
        }
      }
      if (text == null || text.isEmpty()) {
        System.err.println("usage: hash-password PASSWORD (or the password on standard input)");
        return 2;
      }
      System.out.println(io.quicksilver.demo.Passwords.hash(text));
      return 0;
    }
  }

  private static int serve() {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    HubConfig config;
    try {
      config = ConfigLoader.load();
    } catch (ConfigException e) {
      System.err.println("quicksilver: configuration error: " + e.getMessage());
      return 2;
    }
    LogSetup.apply(config.logLevel(), config.logging());
    warnAboutKeys(config);
    warnAboutH2c(config);
    WarmUp.run(config, config.ops().warmUp())
        .compose(v -> Hub.start(config))
        .onSuccess(hub -> {
          LOG.info("capacity: {}", hub.capacity());
          LOG.info("network transport: {}", hub.transport());
          // the image's build waits for this line to end its class-data training run (Dockerfile)
          LOG.info("Quicksilver hub listening on {}://{}:{}/.well-known/mercure", ListenerTls.scheme(config.server().tls()),
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
    return RUNNING;
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

  private static void warnAboutKeys(HubConfig config) {
    boolean dev = isDevelopmentSecret(config.auth().publisherKey()) || isDevelopmentSecret(config.auth().subscriberKey());
    if (dev) {
      LOG.warn("""

          ***********************************************************************
          *  DEVELOPMENT KEYS IN USE: anybody who reads conf/quicksilver.yaml    *
          *  can publish and read private updates. Set MERCURE_PUBLISHER_JWT_KEY *
          *  and MERCURE_SUBSCRIBER_JWT_KEY before exposing this hub.            *
          ***********************************************************************""");
    }
    if (weak(config.auth().publisherKey()) || weak(config.auth().subscriberKey())) {
      LOG.warn("an HMAC JWT secret is shorter than 32 bytes; use a longer random secret");
    }
  }

  /**
   * With cleartext HTTP/2 on, Vert.x reports an HTTP/1.1 connection only once its first request head has arrived (it
   * must read it to tell the protocols apart): until then the header timeout and the connection limit cannot see it.
   */
  private static void warnAboutH2c(HubConfig config) {
    if (config.server().h2c() && config.server().tls() == null) {
      LOG.warn("http.h2c is on: a cleartext connection counts for http.header_timeout and http.max_connections only once its "
          + "first request head has arrived (before, only http.idle_timeout bounds it); keep this listener behind a proxy "
          + "that bounds how long a request head may take");
    }
  }

  private static boolean isDevelopmentSecret(JwtKey key) {
    return key != null && key.isHmac() && key.material().equals(DEVELOPMENT_SECRET);
  }

  private static boolean weak(JwtKey key) {
    return key != null && key.weak();
  }
}
