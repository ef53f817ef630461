package io.tfleet.client;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Why a server's certificate was refused, with the certificates it showed, so the message can name
 * the issuer, the names or the date that made it fail.
 */
final class CertificateProblem extends CertificateException {
  private static final long serialVersionUID = 1L;

  /** What was wrong, in the order it is looked for. */
  enum Kind {
    /** The certificate is fine but for another host name. */
    NAME_MISMATCH,
    /** A certificate of the chain is past its end date. */
    EXPIRED,
    /** A certificate of the chain is not valid yet: often this machine's clock. */
    NOT_YET_VALID,
    /** No trusted authority signed the chain. */
    UNTRUSTED,
    /** Anything else Java's checks refused, such as a weak signature. */
    OTHER
  }

  private final Kind kind;
  private final transient List<X509Certificate> chain;

  CertificateProblem(Kind kind, List<X509Certificate> chain, CertificateException cause) {
    super(kind + ": " + cause.getMessage(), cause);
    this.kind = kind;
    this.chain = List.copyOf(chain);
  }

  Kind kind() {
    return kind;
  }

  /** The server's certificates, its own first. */
  List<X509Certificate> chain() {
    return chain;
  }
}
