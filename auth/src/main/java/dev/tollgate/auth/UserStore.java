package dev.tollgate.auth;

import java.util.Optional;

/**
 * Where users come from: Tollgate's own H2 database, or a read-only query against another application's database
 * (Oro's {@code oro_user}). Every ticket check reads the user afresh, so a changed password hash takes effect at once.
 */
public interface UserStore {

  /** The user whose username is {@code name}, else the one whose e-mail is {@code name}, as Oro looks users up. */
  Optional<User> find(String name);

  /** Names the store in WELCOME's {@code authprovider}. */
  String providerName();
}
