package dev.tollgate.protocol.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tollgate.protocol.ProtocolViolationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class V1CodecTest {

  private static V1Message decode(String text) {
    return V1Codec.decode(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  @ParameterizedTest(name = "{0} keeps the call id {1}")
  @CsvSource(delimiter = '|', value = {
      "[2,\"0.z97dkwodqpi\",\"sample/sum\",1]|\"0.z97dkwodqpi\"",
      "[2,42,\"sample/sum\",1]                |42",
      "[2,1.5,\"sample/sum\",1]               |1.5",
      "[2,null,\"sample/sum\",1]              |null",
      "[2]                                    |null",
  })
  void aCallIdThatIsAStringANumberOrNothingIsEchoedAsSent(String call, String echoed) {
    V1Message.Call c = (V1Message.Call) decode(call);
    assertEquals(echoed, new String(V1Codec.encode(new V1Message.CallResult(c.callId(), 0)), StandardCharsets.UTF_8)
        .replaceFirst("^\\[3,(.*),0]$", "$1"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "[2,true,\"sample/sum\",1]   |CALL element 1 (callID): expected a string or a number but was boolean true",
      "[2,[42],\"sample/sum\",1]   |CALL element 1 (callID): expected a string or a number but was a list",
      "[2,{\"id\":1},\"sample/sum\"]|CALL element 1 (callID): expected a string or a number but was an object",
  })
  void aCallIdOfAnotherTypeIsAProtocolViolationAsRatchetClosesWith1007(String call, String message) {
    assertEquals(message, assertThrows(ProtocolViolationException.class, () -> decode(call)).getMessage());
  }

  @Test
  void theArgumentsAfterTheProcedureAreKeptAsSent() {
    V1Message.Call c = (V1Message.Call) decode("[2,\"c\",\"sample/sum\",1,[2],{\"a\":3}]");
    assertEquals("sample/sum", c.procUri());
    assertEquals(List.of(1, List.of(2), Map.of("a", 3)), c.args());
  }
}
