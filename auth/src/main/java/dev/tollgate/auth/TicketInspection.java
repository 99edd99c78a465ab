package dev.tollgate.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A ticket taken apart for a person: its fields as Oro reads them, what looks wrong in the text as pasted, and the
 * verdict a check gives at a chosen time. What {@code tollgate ticket verify} prints and the admin page's ticket
 * debugger shows; both are for operators, so unlike a client's refusal it says everything, the unknown user included.
 *
 * <p>The digest is shown only by its first characters: a ticket is a credential until it expires.
 *
 * @param decoded the four fields, or null when the text does not decode to four
 * @param fieldCount how many {@code ;}-separated fields the text decodes to
 * @param notes what was done to the text before judging it, or what in it looks like a copy-and-paste mistake
 * @param used whether the ticket was accepted before (one-time use); null when that was not looked up
 */
public record TicketInspection(OroTicket decoded, int fieldCount, List<String> notes, TicketVerdict verdict,
    Boolean used, Instant judgedAt) {

  public TicketInspection {
    notes = List.copyOf(notes);
  }

  /**
   * Inspects {@code asGiven} (URL-encoded or not) with {@code verifier} at {@code at}; with {@code nonces}, also says
   * whether it was used before, without using it.
   */
  public static TicketInspection of(String asGiven, TicketVerifier verifier, NonceStore nonces, Instant at) {
    List<String> notes = new ArrayList<>();
    String text = asGiven.strip();
    if (text.contains("%")) {
      try {
        text = URLDecoder.decode(text, StandardCharsets.UTF_8);
        notes.add("URL-decoded first: the text held %-escapes");
      } catch (IllegalArgumentException notEscapes) {
        // found by fuzzing: "%" without two hex digits made the CLI and the admin page fail instead of answering
        notes.add("holds a '%' that starts no URL escape (" + notEscapes.getMessage() + "); judged as pasted");
      }
    }
    long skipped = text.chars()
        .filter(ch -> !(Character.isLetterOrDigit(ch) && ch < 128) && ch != '+' && ch != '/' && ch != '=').count();
    if (skipped > 0) {
      notes.add(skipped + " character(s) outside the Base64 alphabet are skipped, as PHP does"
          + (text.contains(" ") ? " (a space is often a '+' that was not URL-encoded)" : ""));
    }
    Optional<OroTicket> decoded = OroTicket.decode(text);
    TicketVerdict verdict = verifier.verify(text, at);
    Boolean used = nonces == null || decoded.isEmpty() ? null
        : nonces.isSpent(TicketVerifier.nonceKey(decoded.get()), at);
    return new TicketInspection(decoded.orElse(null), OroTicket.fieldCount(text), notes, verdict, used, at);
  }

  /** The digest's first 8 characters and its length: enough to compare two tickets, not enough to forge one. */
  public String digestShown() {
    if (decoded == null) {
      return null;
    }
    String d = decoded.digest();
    return d.length() > 8 ? d.substring(0, 8) + "… (" + d.length() + " chars)" : d;
  }

  /** Whether the verdict accepts the ticket. */
  public boolean accepted() {
    return verdict instanceof TicketVerdict.Accepted;
  }
}
