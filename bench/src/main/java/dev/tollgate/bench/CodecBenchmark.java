package dev.tollgate.bench;

import dev.tollgate.protocol.Call;
import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Invocation;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Result;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampMessage;
import dev.tollgate.protocol.Yield;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The messages on the hot paths, per serializer, with a ~100-byte payload: the router decodes PUBLISH, CALL and YIELD
 * and encodes EVENT, INVOCATION and RESULT; a client (the Java wamp-client) decodes EVENT.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  @Param({"JSON", "MSGPACK", "CBOR"})
  Serializer serializer;

  private byte[] publish;
  private byte[] call;
  private byte[] yield;
  private byte[] eventBytes;
  private Event event;
  private Invocation invocation;
  private Result result;

  @Setup
  public void setUp() {
    Payload payload = Payload.of(List.of("x".repeat(80), 12345), Map.of("entity", "Order"));
    publish = serializer.codec().encode(new Publish(7, Map.of(), "oro/data/update", payload));
    event = new Event(5, 4_000_000_000L, Map.of(), payload);
    eventBytes = serializer.codec().encode(event);
    call = serializer.codec().encode(new Call(9, Map.of(), "com.example.order.get", payload));
    yield = serializer.codec().encode(new Yield(12, Map.of(), payload));
    invocation = new Invocation(12, 3, Map.of(), payload);
    result = new Result(9, Map.of(), payload);
  }

  @Benchmark
  public WampMessage decodeCall() {
    return serializer.codec().decode(ByteBuffer.wrap(call));
  }

  @Benchmark
  public WampMessage decodeYield() {
    return serializer.codec().decode(ByteBuffer.wrap(yield));
  }

  @Benchmark
  public WampMessage decodeEvent() {
    return serializer.codec().decode(ByteBuffer.wrap(eventBytes));
  }

  @Benchmark
  public byte[] encodeInvocation() {
    return serializer.codec().encode(invocation);
  }

  @Benchmark
  public byte[] encodeResult() {
    return serializer.codec().encode(result);
  }

  @Benchmark
  public WampMessage decodePublish() {
    return serializer.codec().decode(ByteBuffer.wrap(publish));
  }

  @Benchmark
  public byte[] encodeEvent() {
    return serializer.codec().encode(event);
  }
}
