package io.quicksilver.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.quicksilver.mercure.Update;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire form of the updates the publisher announces to every delivery instance. */
class StoredUpdateCodecTest {

  private final StoredUpdateCodec codec = new StoredUpdateCodec();

  /** Verifies that an update crosses the wire whole: epoch, sequence, id, topics, data, privacy, type and retry, or their absence. */
  @Test
  void roundTrip() {
    for (StoredUpdate stored : List.of(
        new StoredUpdate("epoch-1", new Update(42, "urn:uuid:1", List.of("https://example.com/a", "urn:é"), "data\nline 2", true, "price", 3000L)),
        new StoredUpdate("", new Update(1, "id", List.of("t"), "", false, null, null)))) {
      Buffer wire = Buffer.buffer().appendString("prefix");
      codec.encodeToWire(wire, stored);
      assertEquals(stored, codec.decodeFromWire("prefix".length(), wire));
    }
  }

  /** Verifies that the codec keeps its wire name, so that nodes from before the record's rename still understand it, and passes local messages as they are. */
  @Test
  void wireNameAndLocalTransform() {
    assertEquals("qs.dispatch", codec.name());
    StoredUpdate stored = new StoredUpdate("e", new Update(7, "id", List.of("t"), "d", false, null, null));
    assertSame(stored, codec.transform(stored));
  }
}
