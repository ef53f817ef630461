package io.tfleet.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A certificate authority made on the spot, and the server certificates it signs, for a lab that
 * speaks TLS.
 *
 * <p>Java has no public API that makes an X.509 certificate, so the JDK's own {@code keytool} does
 * it (it ships with every Java runtime, {@code java.base}'s launcher): one run makes the CA, one
 * run per certificate makes a key pair signed by it ({@code -signer}). The CA's certificate is
 * written as PEM, for clients to trust. Each certificate is an EC P-256 key: made in milliseconds,
 * and spoken by every TLS client.
 */
public final class LabCertificates {
  /** The names a lab on loopback answers to, whichever of them a client uses. */
  public static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");

  /** keytool starts a JVM; on a slow, busy machine a run still ends in a few seconds. */
  private static final Duration KEYTOOL_LIMIT = Duration.ofSeconds(60);

  private static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

  /** The variable keytool reads the keystore's password from, so no command line shows it. */
  private static final String PASSWORD_VARIABLE = "TFLEET_LAB_STOREPASS";

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final Path folder;
  private final Path keystore;
  private final String password;
  private final String caName;
  private final Path caFile;

  /** Certificates issued so far; guarded by {@code this}. */
  private int issued;

  private LabCertificates(Path folder, String password, String caName) {
    this.folder = folder;
    this.keystore = folder.resolve("lab-ca.p12");
    this.password = password;
    this.caName = caName;
    this.caFile = folder.resolve("ca.pem");
  }

  /**
   * Makes a new CA in {@code folder} (created if missing): its keystore and {@code ca.pem}, its
   * certificate.
   */
  public static LabCertificates create(Path folder) throws IOException {
    Files.createDirectories(folder);
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    // Its own name per lab: a client's "not trusted, issued by ..." then names this very lab.
    String name = "tfleet lab CA " + HexFormat.of().formatHex(random, 0, 4);
    LabCertificates ca = new LabCertificates(folder, password, name);
    ca.keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-dname",
        "CN=" + name + ", O=tfleet",
        "-ext",
        "bc:c",
        "-ext",
        "ku:c=keyCertSign,cRLSign",
        "-validity",
        "" + DEFAULT_VALIDITY.toDays());
    ca.writeCaPem();
    return ca;
  }

  /** The CA's certificate as PEM: what a client trusts to trust this lab. */
  public Path caFile() {
    return caFile;
  }

  /** The CA's subject, as a client's message about an untrusted certificate names its issuer. */
  public String caName() {
    return caName;
  }

  /** A certificate for {@code names} (host names and IP addresses), valid from now for 30 days. */
  public LabTls issue(List<String> names) throws IOException {
    return issue(names, Duration.ZERO, DEFAULT_VALIDITY);
  }

  /**
   * A certificate for {@code names} (host names and IP addresses), valid from {@code start} after
   * now (negative: before now) for {@code validity}, whole days; a start 10 days back and a
   * validity of one day make an expired certificate. Safe from several threads: keytool rewrites
   * the one keystore, so certificates are issued one at a time.
   */
  public synchronized LabTls issue(List<String> names, Duration start, Duration validity)
      throws IOException {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a certificate needs at least one name");
    }
    if (validity.toDays() < 1) {
      throw new IllegalArgumentException("validity < 1 day");
    }
    List<String> alternatives = new ArrayList<>();
    for (String name : names) {
      alternatives.add((isIpAddress(name) ? "ip:" : "dns:") + name);
    }
    String alias = "server-" + ++issued;
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-dname",
                "CN=" + names.get(0),
                "-signer",
                "ca",
                "-ext",
                "san=" + String.join(",", alternatives),
                "-ext",
                "eku=serverAuth",
                "-ext",
                "ku:c=digitalSignature",
                "-validity",
                "" + validity.toDays()));
    if (!start.isZero()) {
      args.addAll(
          List.of("-startdate", (start.isNegative() ? "-" : "+") + start.abs().toSeconds() + "S"));
    }
    keytool(args.toArray(String[]::new));
    try {
      KeyStore store = load();
      PrivateKey key = (PrivateKey) store.getKey(alias, password.toCharArray());
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : store.getCertificateChain(alias)) {
        chain.add((X509Certificate) certificate);
      }
      return LabTls.of(key, chain).withCaFile(caFile);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the certificate keytool made: " + e.getMessage(), e);
    }
  }

  private void writeCaPem() throws IOException {
    try {
      Certificate ca = load().getCertificate("ca");
      Files.writeString(caFile, pem(ca.getEncoded()), StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the CA keytool made: " + e.getMessage(), e);
    }
  }

  /** A certificate's DER bytes as PEM, in the 64-column lines OpenSSL writes. */
  static String pem(byte[] der) {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n";
  }

  private KeyStore load() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }

  private static boolean isIpAddress(String name) {
    return name.contains(":") || IPV4.matcher(name).matches();
  }

  private void keytool(String... args) throws IOException {
    Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    if (!Files.isExecutable(tool)) {
      throw new IOException(
          "cannot make a certificate: this Java has no keytool ("
              + tool
              + "); give a certificate and key of your own (--tls-cert, --tls-key)");
    }
    List<String> command = new ArrayList<>();
    command.add(tool.toString());
    // A short-lived JVM: the quick compiler only, and the shared class archive when there is one.
    command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto"));
    // The keystore's password is 96 random bits that live only in this process: no count of
    // hashing rounds makes it harder to guess, and the 10,000 of each (key, certificate and
    // integrity) are a third of a run's time.
    command.addAll(
        List.of(
            "-J-Dkeystore.pkcs12.keyPbeIterationCount=1",
            "-J-Dkeystore.pkcs12.certPbeIterationCount=1",
            "-J-Dkeystore.pkcs12.macIterationCount=1"));
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-keystore",
            keystore.toString(),
            "-storetype",
            "PKCS12",
            "-storepass:env",
            PASSWORD_VARIABLE));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.directory(folder.toFile());
    builder.environment().put(PASSWORD_VARIABLE, password);
    Process process = builder.start();
    process.getOutputStream().close();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    try {
      if (!process.waitFor(KEYTOOL_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException("cannot make a certificate: keytool did not finish in time");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while making a certificate");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "cannot make a certificate: keytool exited " + process.exitValue() + ": " + output);
    }
  }
}
