package io.jlvs.netio.rtnl;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import io.jlvs.netio.sys.Netlink;
import io.jlvs.netio.sys.RouteNetlink;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Writes one netlink request into a segment: the {@code nlmsghdr}, one zeroed fixed header (ifinfomsg,
 * ifaddrmsg, rtmsg, ndmsg), then attributes, each padded to 4 bytes; {@link #finish()} stores the length.
 */
final class NlRequest {

    private final MemorySegment seg;
    private int pos;

    NlRequest(MemorySegment seg, int type, int flags, int seq) {
        this.seg = seg;
        seg.asSlice(0, Netlink.NLMSG_HDRLEN).fill((byte) 0);
        seg.set(JAVA_SHORT_UNALIGNED, Netlink.NLMSG_TYPE, (short) type);
        seg.set(JAVA_SHORT_UNALIGNED, Netlink.NLMSG_FLAGS, (short) flags);
        seg.set(JAVA_INT_UNALIGNED, Netlink.NLMSG_SEQ, seq);
        seg.set(JAVA_INT_UNALIGNED, Netlink.NLMSG_PID, 0);
        pos = Netlink.NLMSG_HDRLEN;
    }

    /** Appends the zeroed fixed header {@code layout}; returns its offset for the field setters. */
    long fixed(StructLayout layout) {
        long at = pos;
        int size = Netlink.align((int) layout.byteSize());
        reserve(size);
        seg.asSlice(at, size).fill((byte) 0);
        pos += size;
        return at;
    }

    void u8(long at, int v) {
        seg.set(JAVA_BYTE, at, (byte) v);
    }

    void u32(long at, int v) {
        seg.set(JAVA_INT_UNALIGNED, at, v);
    }

    void attr(int type, byte[] payload) {
        long at = attrSpace(type, payload.length);
        MemorySegment.copy(payload, 0, seg, JAVA_BYTE, at, payload.length);
    }

    void attrU32(int type, int value) {
        seg.set(JAVA_INT_UNALIGNED, attrSpace(type, 4), value);
    }

    /** Appends an attribute header and zeroed, padded room for {@code payloadLen} bytes; returns the payload offset. */
    private long attrSpace(int type, int payloadLen) {
        int len = RouteNetlink.RTA_HDRLEN + payloadLen;
        int padded = Netlink.align(len);
        reserve(padded);
        long at = pos;
        seg.asSlice(at, padded).fill((byte) 0);
        seg.set(JAVA_SHORT_UNALIGNED, at + RouteNetlink.RTA_LEN, (short) len);
        seg.set(JAVA_SHORT_UNALIGNED, at + RouteNetlink.RTA_TYPE, (short) type);
        pos += padded;
        return at + RouteNetlink.RTA_HDRLEN;
    }

    /** Stores {@code nlmsg_len}; returns the request's length. */
    int finish() {
        seg.set(JAVA_INT_UNALIGNED, Netlink.NLMSG_LEN, pos);
        return pos;
    }

    private void reserve(int bytes) {
        if (pos + bytes > seg.byteSize()) {
            throw new IllegalStateException("netlink request longer than " + seg.byteSize() + " bytes");
        }
    }
}
