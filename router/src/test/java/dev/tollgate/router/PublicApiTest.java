package dev.tollgate.router;

import dev.tollgate.protocol.testing.PublicApi;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The public API of the router is package {@code dev.tollgate.router}, and only what is listed here: a public type
 * there is a promise to whoever embeds or scripts the router, so making one must be a decision. This test fails for
 * a public type of that package that is not on its list, and for a public signature there that names an internal
 * type. The router's other packages are its own business.
 *
 * <p>It walks this module's compiled classes (see {@link PublicApi}), so it sees every type,
 * whoever uses it. A type is API when it, and every type it is nested in, is public.
 */
class PublicApiTest {
  /** A class of this module's main code: its code source is the directory of compiled classes to walk. */
  private static final Class<?> ANCHOR = Router.class;

  /**
   * Every public type of package {@code dev.tollgate.router}, by canonical name.
   *
   * <p>A type missing here fails the test: add it on purpose if it is meant to be API, or move it to an
   * {@code .internal} package (or make it package-private).
   */
  private static final Set<String> API = Set.of(
      "dev.tollgate.router.Main",
      "dev.tollgate.router.Router",
      "dev.tollgate.router.RouterConfig",
      "dev.tollgate.router.RouterConfig.Setting",
      "dev.tollgate.router.RouterMetrics");

  /** The packages whose public types are API. */
  private static boolean isApiPackage(String packageName) {
    return packageName.equals("dev.tollgate.router");
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
