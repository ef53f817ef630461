package io.tfleet.client;

import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Java's own certificate checks, unchanged, whose refusals say why: a {@link CertificateProblem}
 * carrying the kind of trouble and the server's certificates. Java's exception only says "PKIX path
 * building failed" and names its classes; a person needs the issuer, the names, the date.
 */
final class ExplainingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager checks;

  ExplainingTrustManager(X509ExtendedTrustManager checks) {
    this.checks = checks;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      checks.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw explained(chain, authType, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      checks.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw explained(chain, authType, e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      checks.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw explained(chain, authType, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checks.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checks.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checks.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return checks.getAcceptedIssuers();
  }

  private CertificateProblem explained(
      X509Certificate[] chain, String authType, CertificateException e) {
    if (e instanceof CertificateProblem problem) {
      return problem;
    }
    return new CertificateProblem(kind(chain, authType, e), List.of(chain), e);
  }

  private CertificateProblem.Kind kind(
      X509Certificate[] chain, String authType, CertificateException e) {
    if (has(e, CertificateExpiredException.class)) {
      return CertificateProblem.Kind.EXPIRED;
    }
    if (has(e, CertificateNotYetValidException.class)) {
      return CertificateProblem.Kind.NOT_YET_VALID;
    }
    // The same checks without the host name: passing them, only the name was wrong.
    try {
      checks.checkServerTrusted(chain, authType);
      return CertificateProblem.Kind.NAME_MISMATCH;
    } catch (CertificateException withoutName) {
      // Something else is wrong too; the chain tells what.
    }
    for (X509Certificate certificate : chain) {
      try {
        certificate.checkValidity();
      } catch (CertificateExpiredException expired) {
        return CertificateProblem.Kind.EXPIRED;
      } catch (CertificateNotYetValidException early) {
        return CertificateProblem.Kind.NOT_YET_VALID;
      }
    }
    return has(e, CertPathBuilderException.class)
            || String.valueOf(e.getMessage()).contains("PKIX path building")
        ? CertificateProblem.Kind.UNTRUSTED
        : CertificateProblem.Kind.OTHER;
  }

  private static boolean has(Throwable e, Class<? extends Throwable> kind) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (kind.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
