package io.quicksilver.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Self-signed certificates for {@code localhost} / {@code 127.0.0.1} made with the JDK's {@code keytool},
 * written as the PEM files the hub reads ({@code tls.crt}: the certificate; {@code tls.key}: its PKCS#8 key),
 * as a Kubernetes TLS Secret holds them.
 */
public final class TestCertificates {

  private static final char[] PASS = "changeit".toCharArray();

  /** The PEM files of one certificate, and the certificate and key themselves. */
  public record Pair(Path cert, Path key, X509Certificate certificate, PrivateKey privateKey) {

    /** A TLS context presenting this certificate and trusting any peer. */
    public SSLContext presenting() {
      try {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("hub", privateKey, PASS, new Certificate[] {certificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), new TrustManager[] {TRUST_ALL}, null);
        return ssl;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Trusts any certificate: for tests that only look at what the server presents. */
  public static final X509TrustManager TRUST_ALL = new X509TrustManager() {
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
  };

  /** A TLS context trusting any server and presenting no certificate. */
  public static SSLContext trustingAll() {
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {TRUST_ALL}, null);
      return ssl;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private TestCertificates() {
  }

  /** A new certificate and EC key, written to {@code dir/<name>.crt} and {@code dir/<name>.key}. */
  public static Pair create(Path dir, String name) {
    return create(dir, name, List.of("-keyalg", "EC", "-groupname", "secp256r1"));
  }

  /** A new certificate and RSA key, written to {@code dir/<name>.crt} and {@code dir/<name>.key}. */
  public static Pair createRsa(Path dir, String name) {
    return create(dir, name, List.of("-keyalg", "RSA", "-keysize", "2048"));
  }

  private static Pair create(Path dir, String name, List<String> keyOptions) {
    try {
      Path store = Files.createTempFile(dir, name, ".p12");
      Files.delete(store);
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-alias", "hub"));
      command.addAll(keyOptions);
      command.addAll(List.of("-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
          "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(PASS), "-keypass", new String(PASS)));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, PASS);
      }
      X509Certificate certificate = (X509Certificate) ks.getCertificate("hub");
      PrivateKey key = (PrivateKey) ks.getKey("hub", PASS);
      Path certFile = dir.resolve(name + ".crt");
      Path keyFile = dir.resolve(name + ".key");
      Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
      Files.delete(store);
      return new Pair(certFile, keyFile, certificate, key);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Replaces {@code target}'s files with {@code source}'s, each by an atomic rename (as the kubelet swaps a Secret's files). */
  public static void install(Pair source, Pair target) {
    try {
      Path tmpCert = Files.copy(source.cert(), target.cert().resolveSibling(target.cert().getFileName() + ".new"), StandardCopyOption.REPLACE_EXISTING);
      Path tmpKey = Files.copy(source.key(), target.key().resolveSibling(target.key().getFileName() + ".new"), StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmpKey, target.key(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmpCert, target.cert(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
