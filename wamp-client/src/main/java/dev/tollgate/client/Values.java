package dev.tollgate.client;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an EVENT, a RESULT or an INVOCATION carries, and what a handler may return: positional and keyword arguments
 * and the details. Values that arrived convert to any type through the client's Jackson mapper ({@link #arg},
 * {@link #kwargs(Class)}, {@link #as}); values made by the application may hold records and POJOs, which the client
 * writes through the same mapper when it sends them.
 */
public final class Values {
  private final List<Object> args;
  private final Map<String, Object> kwargs;
  private final Map<String, Object> details;
  private final ValueMapper mapper;

  /** Values to return from a handler; null args, kwargs or details mean none. */
  public Values(List<Object> args, Map<String, Object> kwargs, Map<String, Object> details) {
    this(args, kwargs, details, ValueMapper.DEFAULT);
  }

  Values(List<Object> args, Map<String, Object> kwargs, Map<String, Object> details, ValueMapper mapper) {
    this.args = args == null ? List.of() : args;
    this.kwargs = kwargs == null ? Map.of() : kwargs;
    this.details = details == null ? Map.of() : details;
    this.mapper = mapper;
  }

  public List<Object> args() {
    return args;
  }

  public Map<String, Object> kwargs() {
    return kwargs;
  }

  public Map<String, Object> details() {
    return details;
  }

  /** Positional argument {@code index} as {@code type}, converted by Jackson (a dict becomes a record or bean). */
  public <T> T arg(int index, Class<T> type) {
    return mapper.read(arg(index), mapper.objectMapper.constructType(type));
  }

  /** Positional argument {@code index} as a generic type, e.g. {@code new TypeReference<List<Order>>() {}}. */
  public <T> T arg(int index, TypeReference<T> type) {
    return mapper.read(arg(index), mapper.objectMapper.constructType(type));
  }

  private Object arg(int index) {
    if (index < 0 || index >= args.size()) {
      throw new IllegalArgumentException("no positional argument " + index + " in " + args.size());
    }
    return args.get(index);
  }

  /** The keyword arguments as {@code type}, converted by Jackson. */
  public <T> T kwargs(Class<T> type) {
    return mapper.read(kwargs, mapper.objectMapper.constructType(type));
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

  /** Equal when args, kwargs and details are (the mapper is how they convert, not what they are). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Values v && args.equals(v.args) && kwargs.equals(v.kwargs) && details.equals(v.details);
  }

  @Override
  public int hashCode() {
    return Objects.hash(args, kwargs, details);
  }

  @Override
  public String toString() {
    return "Values[args=" + args + ", kwargs=" + kwargs + ", details=" + details + "]";
  }
}
