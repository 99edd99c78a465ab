package dev.tollgate.router.internal.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key from PEM files, as certbot and openssl write them, made into the in-memory
 * key store Jetty's TLS takes. The key must be PKCS#8 ({@code BEGIN PRIVATE KEY}; RSA, EC or Ed25519); an older
 * {@code BEGIN RSA PRIVATE KEY} or {@code BEGIN EC PRIVATE KEY} file is refused with the command that converts it.
 */
public final class PemFiles {
  private static final Pattern PKCS8 = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private PemFiles() {}

  /** The key store; throws IllegalArgumentException naming the file and what is wrong with it. */
  public static KeyStore keyStore(Path certificate, Path key) {
    Certificate[] chain = chain(certificate);
    PrivateKey privateKey = privateKey(key);
    if (!signs(privateKey, chain[0])) {
      // e.g. a renewal caught between writing the new certificate and the new key: served, the pair fails every
      // handshake ("Invalid CertificateVerify signature"); refused here, the reload keeps the pair in use and tries
      // again when the files change
      throw new IllegalArgumentException("tls: the key in " + key + " does not go with the certificate in " + certificate);
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("tollgate", privateKey, new char[0], chain);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("tls: the key in " + key + " does not go with the certificate in "
          + certificate + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code key} is the private half of the certificate's public key: a signature made with one checks out. */
  private static boolean signs(PrivateKey key, Certificate certificate) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) {
      return true; // a kind of key the JDK can sign with under another name: left to the handshake
    }
    try {
      byte[] probe = "tollgate".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      java.security.Signature sign = java.security.Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(probe);
      byte[] signature = sign.sign();
      java.security.Signature verify = java.security.Signature.getInstance(algorithm);
      verify.initVerify(certificate.getPublicKey());
      verify.update(probe);
      return verify.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // the certificate's key is not of the private key's kind
    }
  }

  private static Certificate[] chain(Path file) {
    try {
      Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("tls.certificate: no certificate in " + file);
      }
      return certificates.toArray(Certificate[]::new);
    } catch (IOException e) {
      throw new IllegalArgumentException("tls.certificate: cannot read " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("tls.certificate: " + file + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("tls.key: cannot read " + file + ": " + e.getMessage(), e);
    }
    Matcher m = PKCS8.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException("tls.key: expected a PKCS#8 key (BEGIN PRIVATE KEY) in " + file
          + "; convert an older one with: openssl pkcs8 -topk8 -nocrypt -in OLD.pem -out " + file.getFileName());
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisOne) {
        // the next
      }
    }
    throw new IllegalArgumentException("tls.key: the key in " + file + " is neither RSA, EC nor Ed25519");
  }
}
