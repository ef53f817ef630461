package io.tfleet.lab;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * What a lab that speaks TLS shows its clients: a private key and its certificate chain, given (PEM
 * files) or made when the lab starts ({@link #madeAtStart}), with the CA to trust if the lab made
 * it.
 */
public final class LabTls {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  private final PrivateKey key;
  private final List<X509Certificate> chain;
  private final Path caFile;

  private LabTls(PrivateKey key, List<X509Certificate> chain, Path caFile) {
    this.key = key;
    this.chain = chain;
    this.caFile = caFile;
  }

  /**
   * A certificate for localhost, 127.0.0.1 and ::1 that the lab has signed by a CA of its own when
   * it starts; {@link Lab#caFile()} then names the CA's file.
   */
  public static LabTls madeAtStart() {
    return new LabTls(null, List.of(), null);
  }

  /** A key and its certificate chain, the server's certificate first. */
  public static LabTls of(PrivateKey key, List<X509Certificate> chain) {
    Objects.requireNonNull(key, "key");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain needs a certificate");
    }
    return new LabTls(key, List.copyOf(chain), null);
  }

  /**
   * Reads a certificate chain (PEM, the server's certificate first) and its private key (PEM,
   * unencrypted PKCS#8: {@code BEGIN PRIVATE KEY}), checking that the two belong together.
   */
  public static LabTls fromPem(Path certificateFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = new ArrayList<>();
    CertificateFactory x509 = x509();
    for (Block block : blocks(certificateFile)) {
      if (!block.type().equals("CERTIFICATE")) {
        continue;
      }
      try {
        for (Certificate c : x509.generateCertificates(new ByteArrayInputStream(block.der()))) {
          chain.add((X509Certificate) c);
        }
      } catch (CertificateException e) {
        throw new IOException(
            certificateFile + ": line " + block.line() + ": not a readable certificate", e);
      }
    }
    if (chain.isEmpty()) {
      throw new IOException(
          certificateFile + ": no certificate in it (no -----BEGIN CERTIFICATE----- block)");
    }
    PrivateKey key = null;
    for (Block block : blocks(keyFile)) {
      switch (block.type()) {
        case "PRIVATE KEY" -> key = privateKey(keyFile, block, chain.get(0).getPublicKey());
        case "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" ->
            throw new IOException(
                keyFile
                    + ": line "
                    + block.line()
                    + ": a '"
                    + block.type()
                    + "' is not read; write it as an unencrypted PKCS#8 key (BEGIN PRIVATE KEY), as"
                    + " 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8' does");
        default -> {}
      }
      if (key != null) {
        break;
      }
    }
    if (key == null) {
      throw new IOException(
          keyFile + ": no private key in it (no -----BEGIN PRIVATE KEY----- block)");
    }
    if (!belongTogether(key, chain.get(0).getPublicKey())) {
      throw new IOException(
          keyFile + ": this key does not belong to the certificate in " + certificateFile);
    }
    return of(key, chain);
  }

  LabTls withCaFile(Path file) {
    return new LabTls(key, chain, file);
  }

  boolean toMake() {
    return key == null;
  }

  /** The CA a client trusts to trust this lab, when the lab made its certificate. */
  public Optional<Path> caFile() {
    return Optional.ofNullable(caFile);
  }

  /** The certificate chain, the server's own first; empty until made. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The TLS setup a server with this identity uses. */
  SSLContext context() throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] none = new char[0];
      store.setKeyEntry("lab", key, none, chain.toArray(Certificate[]::new));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, none);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS with this key: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file, Block block, PublicKey certified)
      throws IOException {
    try {
      return KeyFactory.getInstance(certified.getAlgorithm())
          .generatePrivate(new PKCS8EncodedKeySpec(block.der()));
    } catch (GeneralSecurityException e) {
      throw new IOException(
          file
              + ": line "
              + block.line()
              + ": not a readable "
              + certified.getAlgorithm()
              + " private key (the certificate's key is "
              + certified.getAlgorithm()
              + ")",
          e);
    }
  }

  /** Whether a signature made with {@code key} checks with {@code certified}. */
  private static boolean belongTogether(PrivateKey key, PublicKey certified) throws IOException {
    String algorithm =
        switch (certified.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
          default -> null;
        };
    if (algorithm == null) {
      return true; // nothing to check it with here; the TLS handshake will tell
    }
    try {
      byte[] probe = "tfleet".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certified);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** A PEM block: its type, its text, and the line its BEGIN is on, in its file. */
  private record Block(Path file, String type, String body, int line) {
    byte[] der() throws IOException {
      try {
        return Base64.getMimeDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": line " + line + ": the " + type + " is not base64", e);
      }
    }
  }

  private static List<Block> blocks(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      int line = 1 + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
      blocks.add(new Block(file, m.group(1), m.group(2), line));
    }
    return blocks;
  }

  private static CertificateFactory x509() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("every Java has X.509", e);
    }
  }
}
