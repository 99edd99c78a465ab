package dev.tollgate.bench;

import dev.tollgate.protocol.Event;
import dev.tollgate.protocol.Payload;
import dev.tollgate.protocol.Publish;
import dev.tollgate.protocol.Serializer;
import dev.tollgate.protocol.WampMessage;
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

/** Decoding a PUBLISH and encoding the EVENT it becomes, per serializer, with a ~100-byte payload. */
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
  private Event event;

  @Setup
  public void setUp() {
    Payload payload = Payload.of(List.of("x".repeat(80), 12345), Map.of("entity", "Order"));
    publish = serializer.codec().encode(new Publish(7, Map.of(), "oro/data/update", payload));
    event = new Event(5, 4_000_000_000L, Map.of(), payload);
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
