package io.jlvs.ctl.replay;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;

/**
 * Builds capture files octet by octet in either byte order, with shifts of its own (no ByteBuffer, nothing of
 * the reader or writer), so the tests' expected bytes are independent of the code under test.
 */
final class CaptureBytes {
    static final long MAGIC_US = 0xA1B2C3D4L, MAGIC_NS = 0xA1B23C4DL;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final boolean bigEndian;

    private CaptureBytes(boolean bigEndian) { this.bigEndian = bigEndian; }

    static CaptureBytes bigEndian() { return new CaptureBytes(true); }

    static CaptureBytes littleEndian() { return new CaptureBytes(false); }

    /** magic, version 2.4, thiszone 0, sigfigs 0, snaplen, linktype. */
    CaptureBytes globalHeader(long magic, long snaplen, long linktype) {
        return u32(magic).u16(2).u16(4).u32(0).u32(0).u32(snaplen).u32(linktype);
    }

    /** A record header with incl_len = orig_len = data length, then the data. */
    CaptureBytes record(long seconds, long fraction, byte[] data) {
        return record(seconds, fraction, data.length, data.length, data);
    }

    CaptureBytes record(long seconds, long fraction, long inclLen, long origLen, byte[] data) {
        return u32(seconds).u32(fraction).u32(inclLen).u32(origLen).bytes(data);
    }

    CaptureBytes u16(int v) {
        if (bigEndian) return octets(v >>> 8, v);
        return octets(v, v >>> 8);
    }

    CaptureBytes u32(long v) {
        if (bigEndian) return octets((int) (v >>> 24), (int) (v >>> 16), (int) (v >>> 8), (int) v);
        return octets((int) v, (int) (v >>> 8), (int) (v >>> 16), (int) (v >>> 24));
    }

    CaptureBytes octets(int... values) {
        for (int v : values) out.write(v & 0xFF);
        return this;
    }

    CaptureBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    int size() { return out.size(); }

    byte[] build() { return out.toByteArray(); }

    InputStream stream() { return new ByteArrayInputStream(build()); }

    static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (seed + 7 * i);
        return f;
    }
}
