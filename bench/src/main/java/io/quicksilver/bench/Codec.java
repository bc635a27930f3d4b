package io.quicksilver.bench;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/** Base64 encodings of histograms, bit sets and arrays, so that child processes can send them as JSON. */
public final class Codec {

  private Codec() {
  }

  /** A histogram of microseconds from 1 µs to one hour, 3 significant digits. */
  public static Histogram newHistogram() {
    return new Histogram(1, 3_600_000_000L, 3);
  }

  public static String histogram(AbstractHistogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf);
    byte[] out = new byte[n];
    buf.flip();
    buf.get(out);
    return Base64.getEncoder().encodeToString(out);
  }

  public static Histogram histogram(String b64) {
    if (b64 == null) {
      return newHistogram();
    }
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(b64)), 1);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static String bits(BitSet b) {
    return Base64.getEncoder().encodeToString(b.toByteArray());
  }

  public static BitSet bits(String b64) {
    return BitSet.valueOf(Base64.getDecoder().decode(b64));
  }

  public static JsonObject bitsMap(Map<Integer, BitSet> m) {
    JsonObject o = new JsonObject();
    m.forEach((k, v) -> o.put(Integer.toString(k), bits(v)));
    return o;
  }

  public static Map<Integer, BitSet> bitsMap(JsonObject o) {
    Map<Integer, BitSet> m = new HashMap<>();
    if (o != null) {
      for (String k : o.fieldNames()) {
        m.put(Integer.parseInt(k), bits(o.getString(k)));
      }
    }
    return m;
  }

  public static String longs(long[] a) {
    ByteBuffer buf = ByteBuffer.allocate(a.length * 8);
    buf.asLongBuffer().put(a);
    return Base64.getEncoder().encodeToString(buf.array());
  }

  public static long[] longs(String b64) {
    ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(b64));
    long[] a = new long[buf.remaining() / 8];
    buf.asLongBuffer().get(a);
    return a;
  }
}
