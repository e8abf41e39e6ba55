package com.creditwallet.serialization;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.serialization.jackson.JacksonSerializer;

/**
 * Pekko's Jackson CBOR serializer, except for how a large payload's bytes are produced.
 *
 * <p>Why: a hot wallet's snapshot is about 400 bytes of CBOR per open hold, 100 MB at 256,000
 * holds. Pekko's serializer writes it through Jackson's byte builder, in chunks of 128 KiB that
 * live in the young generation until the whole state is written (a fifth of a second or more),
 * then copies them into one array, then compresses that into a buffer of the largest possible
 * size. A young collection that falls meanwhile copies the chunks written so far: the node's
 * longest pauses under load (61 and 41 ms back to back, 52 MB copied) came from them
 * (docs/performance.md, "What a hot wallet's snapshots cost"). Here a large
 * {@link LargeCborSerializable} is written into one array sized from its own estimate. G1
 * allocates an array of half a heap region or more (512 KiB with the node's 2 GiB heap) outside
 * the young generation, as a humongous object, so no young collection copies it; it is
 * compressed from there.
 *
 * <p>The bytes are what Pekko's serializer writes: the same CBOR from the same mapper, and, above
 * {@code compress-larger-than}, the same LZ4 frame (Pekko's magic number, the length, one LZ4
 * block). The identifier is the binding's (jackson-cbor, 33). So a node of an earlier build reads
 * these snapshots with Pekko's own serializer during a rolling upgrade, and this one reads theirs:
 * reading is Pekko's, unchanged.
 *
 * <p>The LZ4 compressor is the one Pekko's serializer uses (lz4-java's fastest, native where it
 * loads), so the frame is byte for byte the one Pekko writes. It is first given room for a quarter
 * of the input, not the largest possible output: a wallet's CBOR compresses about 14 times, so
 * that is 75 MB less to allocate for a state of 256,000 holds; input that does not fit is
 * compressed again with room for the worst case.
 */
public final class WalletCborSerializer extends JacksonSerializer {
  /** Below this estimate Pekko's own path is as good: its chunks are few and short-lived. */
  static final long LARGE_BYTES = 256 * 1024;
  /**
   * Pekko's LZ4 frame: this magic number, then the uncompressed length, then one block. Written
   * here rather than through Pekko's {@code LZ4Meta}, an internal Scala class; the tests check
   * that the frames are byte for byte Pekko's.
   */
  static final int LZ4_MAGIC = 0x87D96DF6;

  private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();

  /** Compress above this many bytes, or never (-1): the binding's LZ4 setting; other algorithms use Pekko's path. */
  private final long lz4LargerThan;

  /** Pekko creates serializers with the system and the binding's name. */
  public WalletCborSerializer(ExtendedActorSystem system, String bindingName) {
    super(system, bindingName, JacksonObjectMapperProvider.get(system).getOrCreate(bindingName, Optional.of(new CBORFactory())));
    Config conf = JacksonObjectMapperProvider.configForBinding(bindingName, system.settings().config());
    this.lz4LargerThan = "lz4".equalsIgnoreCase(conf.getString("compression.algorithm"))
        ? conf.getBytes("compression.compress-larger-than") : -1;
  }

  @Override
  public byte[] toBinary(Object obj) {
    if (!(obj instanceof LargeCborSerializable large) || large.estimatedCborBytes() < LARGE_BYTES) {
      return super.toBinary(obj);
    }
    OneArrayOutput out = new OneArrayOutput(large.estimatedCborBytes());
    try {
      objectMapper().writeValue(out, obj);
    } catch (IOException e) {
      throw new UncheckedIOException("could not serialize " + obj.getClass().getName(), e);
    }
    if (lz4LargerThan < 0) return compress(out.toExactArray());
    if (out.size() <= lz4LargerThan) return out.toExactArray();
    return lz4Frame(out.array(), out.size());
  }

  /** {@code bytes[0, length)} in Pekko's LZ4 frame. */
  static byte[] lz4Frame(byte[] bytes, int length) {
    try {
      return lz4Frame(bytes, length, length / 4 + 64);
    } catch (LZ4Exception doesNotFit) {
      return lz4Frame(bytes, length, LZ4.maxCompressedLength(length));
    }
  }

  private static byte[] lz4Frame(byte[] bytes, int length, int room) {
    byte[] frame = new byte[8 + room];
    ByteBuffer.wrap(frame).putInt(LZ4_MAGIC).putInt(length);
    int compressed = LZ4.compress(bytes, 0, length, frame, 8, room);
    return Arrays.copyOf(frame, 8 + compressed);
  }

  /**
   * An output stream into one array, doubled when full. Sized from the payload's estimate, it
   * is usually allocated once.
   */
  static final class OneArrayOutput extends OutputStream {
    private byte[] buf;
    private int count;

    OneArrayOutput(long estimate) {
      buf = new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(1024, estimate + estimate / 8))];
    }

    @Override
    public void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void ensure(int more) {
      long needed = (long) count + more;
      if (needed <= buf.length) return;
      if (needed > Integer.MAX_VALUE - 16) throw new IllegalStateException("a payload over 2 GiB cannot be serialized");
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * buf.length)));
    }

    int size() {
      return count;
    }

    byte[] array() {
      return buf;
    }

    byte[] toExactArray() {
      return Arrays.copyOf(buf, count);
    }
  }
}
