package io.jlvs.netio.rtnl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds netlink datagrams byte by byte, in host order as the kernel writes them: messages, fixed headers,
 * attributes, nests and rtnexthops, each length filled in when it ends and padded to 4 bytes.
 */
final class NlBytes {

    private final ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.nativeOrder());
    private final Deque<Integer> open = new ArrayDeque<>();
    private final Deque<Boolean> wide = new ArrayDeque<>();

    /** Starts a message: nlmsghdr with the length left for {@link #end()}. */
    NlBytes msg(int type, int flags, int seq, int pid) {
        open.push(bb.position());
        wide.push(true);
        bb.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid);
        return this;
    }

    NlBytes u8(int v) {
        bb.put((byte) v);
        return this;
    }

    NlBytes u16(int v) {
        bb.putShort((short) v);
        return this;
    }

    NlBytes u32(int v) {
        bb.putInt(v);
        return this;
    }

    NlBytes bytes(byte... b) {
        bb.put(b);
        return this;
    }

    NlBytes attr(int type, byte... payload) {
        bb.putShort((short) (4 + payload.length)).putShort((short) type).put(payload);
        pad();
        return this;
    }

    NlBytes attrU32(int type, int v) {
        bb.putShort((short) 8).putShort((short) type).putInt(v);
        return this;
    }

    NlBytes attrU8(int type, int v) {
        return attr(type, (byte) v);
    }

    NlBytes attrStr(int type, String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(raw, raw.length + 1));
    }

    NlBytes attrIp(int type, String ip) {
        return attr(type, ip(ip));
    }

    /** Starts a nested attribute. */
    NlBytes nest(int type) {
        open.push(bb.position());
        wide.push(false);
        bb.putShort((short) 0).putShort((short) type);
        return this;
    }

    /** Starts a {@code struct rtnexthop} (inside RTA_MULTIPATH); its attributes follow. */
    NlBytes hop(int flags, int hops, int ifIndex) {
        open.push(bb.position());
        wide.push(false);
        bb.putShort((short) 0).put((byte) flags).put((byte) hops).putInt(ifIndex);
        return this;
    }

    /** Ends the innermost open message, nest or hop: writes its length and pads. */
    NlBytes end() {
        int start = open.pop();
        int len = bb.position() - start;
        if (wide.pop()) {
            bb.putInt(start, len);
        } else {
            bb.putShort(start, (short) len);
        }
        pad();
        return this;
    }

    private void pad() {
        while ((bb.position() & 3) != 0) {
            bb.put((byte) 0);
        }
    }

    byte[] toArray() {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " still open");
        }
        return Arrays.copyOf(bb.array(), bb.position());
    }

    /** The datagram in native memory of {@code arena}, as the socket would hold it. */
    MemorySegment toSegment(Arena arena) {
        byte[] b = toArray();
        MemorySegment seg = arena.allocate(Math.max(1, b.length), 8);
        MemorySegment.copy(b, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b.length);
        return seg.asSlice(0, b.length);
    }

    static byte[] ip(String literal) {
        try {
            return InetAddress.ofLiteral(literal).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static byte[] mac(long mac) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return b;
    }
}
