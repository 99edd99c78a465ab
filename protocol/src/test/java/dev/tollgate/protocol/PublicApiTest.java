package dev.tollgate.protocol;

import dev.tollgate.protocol.testing.PublicApi;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The public API of tollgate-protocol, and nothing more: a public type outside an {@code .internal} package is a
 * promise to every caller (the router, the client, applications), so making one must be a decision. This test
 * fails for a public type that is not on its list, and for a public signature that names an internal type.
 *
 * <p>It walks this module's compiled classes (see {@link PublicApi}), so it sees every type,
 * whoever uses it. A type is API when it, and every type it is nested in, is public.
 */
class PublicApiTest {
  /** A class of this module's main code: its code source is the directory of compiled classes to walk. */
  private static final Class<?> ANCHOR = WampMessage.class;

  /**
   * Every public type of this module outside {@code .internal} packages, by canonical name.
   *
   * <p>A type missing here fails the test: add it on purpose if it is meant to be API, or move it to an
   * {@code .internal} package (or make it package-private).
   */
  private static final Set<String> API = Set.of(
      "dev.tollgate.protocol.Abort",
      "dev.tollgate.protocol.Authenticate",
      "dev.tollgate.protocol.Call",
      "dev.tollgate.protocol.Cancel",
      "dev.tollgate.protocol.Challenge",
      "dev.tollgate.protocol.ErrorMessage",
      "dev.tollgate.protocol.Event",
      "dev.tollgate.protocol.EventReceived",
      "dev.tollgate.protocol.Goodbye",
      "dev.tollgate.protocol.Hello",
      "dev.tollgate.protocol.Ids",
      "dev.tollgate.protocol.Ids.Sequence",
      "dev.tollgate.protocol.Interrupt",
      "dev.tollgate.protocol.Invocation",
      "dev.tollgate.protocol.MatchPolicy",
      "dev.tollgate.protocol.MessageCodes",
      "dev.tollgate.protocol.Payload",
      "dev.tollgate.protocol.ProtocolViolationException",
      "dev.tollgate.protocol.Publish",
      "dev.tollgate.protocol.Published",
      "dev.tollgate.protocol.Register",
      "dev.tollgate.protocol.Registered",
      "dev.tollgate.protocol.Result",
      "dev.tollgate.protocol.Serializer",
      "dev.tollgate.protocol.Subscribe",
      "dev.tollgate.protocol.Subscribed",
      "dev.tollgate.protocol.Unregister",
      "dev.tollgate.protocol.Unregistered",
      "dev.tollgate.protocol.Unsubscribe",
      "dev.tollgate.protocol.Unsubscribed",
      "dev.tollgate.protocol.WampCodec",
      "dev.tollgate.protocol.WampCodec.MessageHead",
      "dev.tollgate.protocol.WampErrors",
      "dev.tollgate.protocol.WampMessage",
      "dev.tollgate.protocol.WampUris",
      "dev.tollgate.protocol.WampUris.Rules",
      "dev.tollgate.protocol.Welcome",
      "dev.tollgate.protocol.Yield",
      "dev.tollgate.protocol.v1.V1Codec",
      "dev.tollgate.protocol.v1.V1Message",
      "dev.tollgate.protocol.v1.V1Message.Call",
      "dev.tollgate.protocol.v1.V1Message.CallError",
      "dev.tollgate.protocol.v1.V1Message.CallResult",
      "dev.tollgate.protocol.v1.V1Message.Event",
      "dev.tollgate.protocol.v1.V1Message.Prefix",
      "dev.tollgate.protocol.v1.V1Message.Publish",
      "dev.tollgate.protocol.v1.V1Message.Subscribe",
      "dev.tollgate.protocol.v1.V1Message.Unsubscribe",
      "dev.tollgate.protocol.v1.V1Message.Welcome");

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
