package io.quicksilver;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code java -cp quicksilver.jar io.quicksilver.HealthCheck}: asks the hub running in the same container for
 * {@code /healthz} and exits 0 when it answers 200, 1 otherwise. The image's {@code HEALTHCHECK}, for engines
 * that run it (the image has no curl). Reads where the hub listens from the environment ({@code QS_HTTP_PORT},
 * default 8080; HTTPS when {@code QS_TLS_CERT} is set, its certificate not checked: it is the process next door).
 * Uses the JDK alone (no logging set-up, no Vert.x), so that it starts fast.
 */
public final class HealthCheck {

  private static final int TIMEOUT_MS = 3000;

  private HealthCheck() {
  }

  public static void main(String[] args) {
    System.exit(run(System.getenv()));
  }

  static int run(Map<String, String> env) {
    String port = env.getOrDefault("QS_HTTP_PORT", "8080");
    String host = env.getOrDefault("QS_HTTP_HOST", "127.0.0.1");
    if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    boolean tls = !env.getOrDefault("QS_TLS_CERT", "").isBlank();
    try {
      URI uri = URI.create((tls ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/healthz");
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
      if (c instanceof HttpsURLConnection https) {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new TrustAll()}, null);
        https.setSSLSocketFactory(ssl.getSocketFactory());
        https.setHostnameVerifier((name, session) -> true);
      }
      c.setConnectTimeout(TIMEOUT_MS);
      c.setReadTimeout(TIMEOUT_MS);
      int status = c.getResponseCode();
      c.disconnect();
      if (status == 200) {
        return 0;
      }
      System.err.println("healthcheck: " + uri + " answered " + status);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      System.err.println("healthcheck: " + e);
    }
    return 1;
  }

  /** Accepts any certificate: the probe talks to its own container over loopback. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
