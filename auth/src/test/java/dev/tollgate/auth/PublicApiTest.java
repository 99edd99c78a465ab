package dev.tollgate.auth;

import dev.tollgate.protocol.testing.PublicApi;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The public API of tollgate-auth, and nothing more: a public type outside an {@code .internal} package is a promise
 * to every caller (the router, the benchmarks, applications minting tickets), so making one must be a decision.
 * This test fails for a public type that is not on its list, and for a public signature that names an internal
 * type.
 *
 * <p>It walks this module's compiled classes (see {@link PublicApi}), so it sees every type,
 * whoever uses it. A type is API when it, and every type it is nested in, is public.
 */
class PublicApiTest {
  /** A class of this module's main code: its code source is the directory of compiled classes to walk. */
  private static final Class<?> ANCHOR = Authorizer.class;

  /**
   * Every public type of this module outside {@code .internal} packages, by canonical name.
   *
   * <p>A type missing here fails the test: add it on purpose if it is meant to be API, or move it to an
   * {@code .internal} package (or make it package-private).
   */
  private static final Set<String> API = Set.of(
      "dev.tollgate.auth.Action",
      "dev.tollgate.auth.Authorizer",
      "dev.tollgate.auth.Authorizer.Decision",
      "dev.tollgate.auth.Authorizer.Subject",
      "dev.tollgate.auth.Database",
      "dev.tollgate.auth.Database.DataAccessException",
      "dev.tollgate.auth.NonceStore",
      "dev.tollgate.auth.OroTicket",
      "dev.tollgate.auth.Passwords",
      "dev.tollgate.auth.Rule",
      "dev.tollgate.auth.RuleStore",
      "dev.tollgate.auth.TicketGenerator",
      "dev.tollgate.auth.TicketInspection",
      "dev.tollgate.auth.TicketSecret",
      "dev.tollgate.auth.TicketVerdict",
      "dev.tollgate.auth.TicketVerdict.Accepted",
      "dev.tollgate.auth.TicketVerdict.Reason",
      "dev.tollgate.auth.TicketVerdict.Refused",
      "dev.tollgate.auth.TicketVerifier",
      "dev.tollgate.auth.TicketVerifier.Prepared",
      "dev.tollgate.auth.User",
      "dev.tollgate.auth.UserAdmin",
      "dev.tollgate.auth.UserStore");

  /** The packages whose public types are API. */
  private static boolean isApiPackage(String packageName) {
    return !packageName.contains(".internal");
  }

  @Test
  void thePublicTypesAreExactlyTheListedOnes() throws Exception {
    PublicApi.assertExactly(ANCHOR, PublicApiTest::isApiPackage, API);
  }

  @Test
  void noPublicSignatureNamesAnInternalType() throws Exception {
    PublicApi.assertNoInternalTypeInSignatures(ANCHOR, PublicApiTest::isApiPackage);
  }
}
