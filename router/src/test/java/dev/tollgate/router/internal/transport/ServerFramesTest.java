package dev.tollgate.router.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.internal.Parser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tollgate's own frames read back whole by Jetty's parser at every length encoding of RFC 6455. */
class ServerFramesTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 200_000})
  void jettysParserReadsTheFrameBack(int length) {
    byte[] payload = new byte[length];
    Arrays.fill(payload, (byte) 'x');
    for (boolean binary : new boolean[] {false, true}) {
      ByteBuffer frame = ServerFrames.frame(binary, payload);
      Configuration.ConfigurationCustomizer limits = new Configuration.ConfigurationCustomizer();
      limits.setMaxFrameSize(1 << 20);
      Parser parser = new Parser(new WebSocketComponents().getByteBufferPool(), limits);
      Frame parsed = parser.parse(frame);
      assertEquals(binary ? OpCode.BINARY : OpCode.TEXT, parsed.getOpCode());
      assertEquals(true, parsed.isFin());
      assertEquals(false, parsed.isMasked());
      assertEquals(length, parsed.getPayloadLength());
      assertEquals(0, frame.remaining(), "the frame is exactly header + payload");
    }
  }
}
