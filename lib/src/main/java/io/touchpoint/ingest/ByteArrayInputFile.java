package io.touchpoint.ingest;

import java.io.ByteArrayInputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** A Parquet {@link InputFile} over bytes already read (the file was fetched through Hadoop FS). */
final class ByteArrayInputFile implements InputFile {
  private final byte[] bytes;

  ByteArrayInputFile(byte[] bytes) {
    this.bytes = bytes;
  }

  @Override
  public String toString() {
    return "the file's " + bytes.length + " bytes";
  }

  @Override
  public long getLength() {
    return bytes.length;
  }

  @Override
  public SeekableInputStream newStream() {
    return new DelegatingSeekableInputStream(new Seekable(bytes)) {
      @Override
      public long getPos() {
        return ((Seekable) getStream()).pos();
      }

      @Override
      public void seek(long newPos) {
        ((Seekable) getStream()).seek((int) newPos);
      }
    };
  }

  private static final class Seekable extends ByteArrayInputStream {
    Seekable(byte[] buf) {
      super(buf);
    }

    long pos() {
      return pos;
    }

    void seek(int p) {
      pos = p;
    }
  }
}
