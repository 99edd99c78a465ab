package dev.tollgate.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/**
 * What an EVENT, a RESULT or an INVOCATION carries: positional and keyword arguments and the details, with typed
 * access through Jackson.
 */
public record Values(List<Object> args, Map<String, Object> kwargs, Map<String, Object> details) {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public Values {
    args = args == null ? List.of() : args;
    kwargs = kwargs == null ? Map.of() : kwargs;
    details = details == null ? Map.of() : details;
  }

  /** Positional argument {@code index} as {@code type}, converted by Jackson (a dict becomes a record or bean). */
  public <T> T arg(int index, Class<T> type) {
    if (index >= args.size()) {
      throw new IllegalArgumentException("no positional argument " + index + " in " + args.size());
    }
    return MAPPER.convertValue(args.get(index), type);
  }

  /** The keyword arguments as {@code type}, converted by Jackson. */
  public <T> T kwargs(Class<T> type) {
    return MAPPER.convertValue(kwargs, type);
  }

  /** The first positional argument as {@code type}: the usual shape of a single result. */
  public <T> T as(Class<T> type) {
    return arg(0, type);
  }

  /** An event's topic when it came through a prefix or wildcard subscription ({@code details.topic}), else null. */
  public String topic() {
    return details.get("topic") instanceof String s ? s : null;
  }

  /** The procedure called when an invocation came through a prefix or wildcard registration, else null. */
  public String procedure() {
    return details.get("procedure") instanceof String s ? s : null;
  }

  /**
   * Whether more follows: a progressive result (more results, then the final one) or a piece of a call sent in pieces
   * (more pieces, then the last). {@code details.progress}.
   */
  public boolean isProgress() {
    return Boolean.TRUE.equals(details.get("progress"));
  }
}
