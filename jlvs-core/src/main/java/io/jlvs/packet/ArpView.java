package io.jlvs.packet;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.NetworkOrder.i32;
import static io.jlvs.packet.NetworkOrder.mac;
import static io.jlvs.packet.NetworkOrder.u16;
import static io.jlvs.packet.NetworkOrder.u8;

/**
 * Flyweight over an Ethernet/IPv4 ARP packet (RFC 826). Offsets are relative to the ARP header.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Hardware type (1 Ethernet)  |   Protocol type (0x0800 IPv4) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | HW len (6)    | Proto len (4) |  Operation (1 req, 2 reply)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Sender hardware address (6 octets)            |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Sender protocol address ...  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ... (4 octets)               |  Target hardware address ...  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                            ... (6 octets)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Target protocol address (4 octets)            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpView {
    public static final long HTYPE = 0, PTYPE = 2, HLEN = 4, PLEN = 5, OPER = 6;
    public static final long SHA = 8, SPA = 14, THA = 18, TPA = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;
    public static final int HTYPE_ETHERNET = 1;
    public static final int OP_REQUEST = 1, OP_REPLY = 2;

    private MemorySegment seg;
    private long off;

    public ArpView wrap(MemorySegment seg, long off) {
        this.seg = seg;
        this.off = off;
        return this;
    }

    public MemorySegment segment() { return seg; }

    public long offset() { return off; }

    public int htype() { return u16(seg, off + HTYPE); }

    public ArpView htype(int v) { u16(seg, off + HTYPE, v); return this; }

    public int ptype() { return u16(seg, off + PTYPE); }

    public ArpView ptype(int v) { u16(seg, off + PTYPE, v); return this; }

    public int hlen() { return u8(seg, off + HLEN); }

    public ArpView hlen(int v) { u8(seg, off + HLEN, v); return this; }

    public int plen() { return u8(seg, off + PLEN); }

    public ArpView plen(int v) { u8(seg, off + PLEN, v); return this; }

    public int oper() { return u16(seg, off + OPER); }

    public ArpView oper(int v) { u16(seg, off + OPER, v); return this; }

    /** Sender hardware address, 48 bits. */
    public long sha() { return mac(seg, off + SHA); }

    public ArpView sha(long mac) { mac(seg, off + SHA, mac); return this; }

    /** Sender protocol (IPv4) address. */
    public int spa() { return i32(seg, off + SPA); }

    public ArpView spa(int addr) { i32(seg, off + SPA, addr); return this; }

    public long tha() { return mac(seg, off + THA); }

    public ArpView tha(long mac) { mac(seg, off + THA, mac); return this; }

    public int tpa() { return i32(seg, off + TPA); }

    public ArpView tpa(int addr) { i32(seg, off + TPA, addr); return this; }

    /** True when the fixed fields say Ethernet addresses and IPv4 addresses, the only ARP jlvs speaks. */
    public boolean isEthernetIpv4() {
        return htype() == HTYPE_ETHERNET && ptype() == IfEther.ETH_P_IP
                && hlen() == IfEther.ETH_ALEN && plen() == 4;
    }
}
