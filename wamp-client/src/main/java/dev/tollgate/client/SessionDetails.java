package dev.tollgate.client;

import java.util.Map;

/**
 * Who the client is on the router, from WELCOME: what {@link WampClient#connect()} completes with and
 * {@link WampClient.Listener#onJoined} receives at every (re)join.
 *
 * @param authid null where the router names none (an anonymous session on some routers)
 * @param authextra the router's extra facts about the identity; empty when none
 * @param welcomeDetails WELCOME's details as they came, for anything else (roles and features)
 */
public record SessionDetails(long sessionId, String realm, String authid, String authrole, String authmethod,
    String authprovider, Map<String, Object> authextra, Map<String, Object> welcomeDetails) {

  static SessionDetails of(long sessionId, String realm, Map<String, Object> details) {
    @SuppressWarnings("unchecked")
    Map<String, Object> authextra = details.get("authextra") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    return new SessionDetails(sessionId, realm, string(details, "authid"), string(details, "authrole"),
        string(details, "authmethod"), string(details, "authprovider"), authextra, details);
  }

  private static String string(Map<String, Object> details, String key) {
    return details.get(key) instanceof String s ? s : null;
  }
}
