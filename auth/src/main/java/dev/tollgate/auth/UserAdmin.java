package dev.tollgate.auth;

import java.util.List;

/**
 * Tollgate's own users and roles ({@link Database#users()}), as the operator manages them. Every change bumps the
 * database's revision, so that routers end the sessions of a removed or disabled user; every lookup reads afresh.
 * Thread-safe.
 */
public interface UserAdmin extends UserStore {

  /**
   * Adds a user with a stored password hash ({@link Passwords#hash}, or one copied from Oro's
   * {@code oro_user.password}) and roles, which must exist; no roles means {@code user}.
   *
   * @throws IllegalArgumentException for an empty username or one containing ';' (the ticket's separator), or a
   *     role that does not exist
   */
  User addUser(String username, String email, String passwordHash, List<String> roles);

  /** False if there is no such user. */
  boolean removeUser(String username);

  /** Sets the stored hash, which is also the key of the user's tickets: earlier tickets stop working. */
  boolean setPasswordHash(String username, String passwordHash);

  boolean setEnabled(String username, boolean enabled);

  /** Every user, by username. */
  List<User> listUsers();

  void addRole(String name, String description);

  boolean removeRole(String name);

  /** Every role's name, in order. */
  List<String> listRoles();

  /** @throws IllegalArgumentException if the user or the role does not exist */
  void grant(String username, String role);

  /** False if the user did not have the role. */
  boolean revoke(String username, String role);
}
