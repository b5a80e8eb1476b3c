package io.jlvs.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The offload oracle: what the receiver of a {@code virtio_net_hdr} (the kernel behind a packet socket, a NIC)
 * does with a frame sent with one, written from the kernel's rules ({@code skb_checksum_help},
 * {@code tcp_gso_segment}, {@code __udp_gso_segment}, {@code inet_gso_segment}) with the plainest code that can
 * work, independent of jlvs-core: complete a partial checksum, cut a super-frame into its segments. Vector
 * runners verify frames sent with offloads through {@link #verify}; property tests compare jlvs's own
 * segmenter with {@link #segment}.
 */
public final class Gso {
    /** {@code virtio_net_hdr} values ({@code include/uapi/linux/virtio_net.h}). */
    public static final int NEEDS_CSUM = 1, DATA_VALID = 2;
    public static final int NONE = 0, TCPV4 = 1, TCPV6 = 4, UDP_L4 = 5, ECN = 0x80;

    private Gso() {}

    /** Where the headers of an Ethernet frame with IPv4 or IPv6 and TCP or UDP are. */
    public record Layout(int l3, boolean v6, int l4, int protocol, int l4HeaderLength, int end) {
        /** Octets of headers: Ethernet, IP, TCP or UDP. */
        public int headers() { return l4 + l4HeaderLength; }
    }

    /** Finds the headers, or returns null when the frame is not Ethernet / IP / TCP or UDP, or is a fragment. */
    public static Layout layout(byte[] f) {
        if (f.length < 14) return null;
        int p = 12;
        int type = Checksum.u16(f, p);
        while ((type == 0x8100 || type == 0x88A8) && p + 6 <= f.length) {
            p += 4;
            type = Checksum.u16(f, p);
        }
        int l3 = p + 2;
        int l4, protocol, end;
        boolean v6;
        if (type == 0x0800) {
            if (f.length < l3 + 20) return null;
            v6 = false;
            l4 = l3 + (f[l3] & 0x0F) * 4;
            end = l3 + Checksum.u16(f, l3 + 2);
            protocol = f[l3 + 9] & 0xFF;
            if ((Checksum.u16(f, l3 + 6) & 0x3FFF) != 0) return null;
        } else if (type == 0x86DD) {
            if (f.length < l3 + 40) return null;
            v6 = true;
            end = l3 + 40 + Checksum.u16(f, l3 + 4);
            protocol = f[l3 + 6] & 0xFF;
            l4 = l3 + 40;
            while (protocol == 0 || protocol == 43 || protocol == 60) {  // hop-by-hop, routing, destination options
                if (l4 + 8 > end) return null;
                int len = ((f[l4 + 1] & 0xFF) + 1) * 8;
                protocol = f[l4] & 0xFF;
                l4 += len;
            }
        } else {
            return null;
        }
        if (end > f.length) return null;
        int hl;
        if (protocol == 6) {
            if (l4 + 20 > end) return null;
            hl = ((f[l4 + 12] & 0xFF) >>> 4) * 4;
        } else if (protocol == 17) {
            hl = 8;
        } else {
            return null;
        }
        if (l4 + hl > end) return null;
        return new Layout(l3, v6, l4, protocol, hl, end);
    }

    /**
     * {@code skb_checksum_help}: a copy of the frame with the checksum from {@code csumStart} to the end of the IP
     * datagram computed and stored at {@code csumStart + csumOffset} (UDP: 0 sent as 0xFFFF).
     */
    public static byte[] complete(byte[] frame, int csumStart, int csumOffset, int end) {
        byte[] c = frame.clone();
        int v = ~Checksum.sum(c, csumStart, end - csumStart, 0) & 0xFFFF;
        c[csumStart + csumOffset] = (byte) (v >>> 8);
        c[csumStart + csumOffset + 1] = (byte) v;
        return c;
    }

    /**
     * Cuts a super-frame into the frames {@code skb_gso_segment} makes of it: {@code gsoSize} payload octets each
     * behind a copy of all headers; IPv4 total length, ID + index, header checksum; IPv6 payload length; TCP
     * sequence numbers, FIN and PSH on the last segment only, CWR on the first only; UDP lengths; every L4
     * checksum computed in full, whatever the super-frame's held.
     */
    public static List<byte[]> segment(byte[] frame, int gsoSize) {
        Layout l = layout(frame);
        if (l == null) throw new IllegalArgumentException("not an Ethernet/IP/TCP-or-UDP frame");
        if (gsoSize <= 0) throw new IllegalArgumentException("gso size " + gsoSize);
        int head = l.headers();
        List<byte[]> out = new ArrayList<>();
        long seq = l.protocol == 6 ? Integer.toUnsignedLong(i32(frame, l.l4 + 4)) : 0;
        int id = l.v6 ? 0 : Checksum.u16(frame, l.l3 + 4);
        int k = 0;
        for (int p = head; p < l.end; p += gsoSize, k++) {
            int n = Math.min(gsoSize, l.end - p);
            boolean last = p + n >= l.end;
            byte[] s = new byte[head + n];
            System.arraycopy(frame, 0, s, 0, head);
            System.arraycopy(frame, p, s, head, n);
            int l4Length = l.l4HeaderLength + n;
            if (l.v6) {
                put16(s, l.l3 + 4, l.l4 - l.l3 - 40 + l4Length);
            } else {
                put16(s, l.l3 + 2, l.l4 - l.l3 + l4Length);
                put16(s, l.l3 + 4, (id + k) & 0xFFFF);
                put16(s, l.l3 + 10, 0);
                put16(s, l.l3 + 10, Checksum.internet(s, l.l3, (s[l.l3] & 0x0F) * 4));
            }
            byte[] src = Arrays.copyOfRange(s, l.l3 + (l.v6 ? 8 : 12), l.l3 + (l.v6 ? 24 : 16));
            byte[] dst = Arrays.copyOfRange(s, l.l3 + (l.v6 ? 24 : 16), l.l3 + (l.v6 ? 40 : 20));
            int pseudo = l.v6 ? Checksum.pseudo6(src, dst, l.protocol, l4Length) : Checksum.pseudo4(src, dst, l.protocol, l4Length);
            if (l.protocol == 6) {
                long sq = (seq + (long) k * gsoSize) & 0xFFFF_FFFFL;
                s[l.l4 + 4] = (byte) (sq >>> 24);
                s[l.l4 + 5] = (byte) (sq >>> 16);
                s[l.l4 + 6] = (byte) (sq >>> 8);
                s[l.l4 + 7] = (byte) sq;
                int flags = s[l.l4 + 13] & 0xFF;
                if (!last) flags &= ~0x09;                       // FIN, PSH
                if (k > 0) flags &= ~0x80;                       // CWR
                s[l.l4 + 13] = (byte) flags;
                put16(s, l.l4 + 16, 0);
                put16(s, l.l4 + 16, ~Checksum.sum(s, l.l4, l4Length, pseudo) & 0xFFFF);
            } else {
                put16(s, l.l4 + 4, l4Length);
                put16(s, l.l4 + 6, 0);
                int c = ~Checksum.sum(s, l.l4, l4Length, pseudo) & 0xFFFF;
                put16(s, l.l4 + 6, c == 0 ? 0xFFFF : c);
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Verifies a frame sent with the virtio-net header {@code meta = {flags, gsoType, hdrLen, gsoSize, csumStart,
     * csumOffset}} as its receiver would take it: the header must fit the packet (checksum offsets at the TCP or
     * UDP checksum, header length, GSO type of the packet's family and protocol, ECN bit as CWR says, more than
     * one segment); the partial checksum, completed, must verify (so the field held the pseudo-header sum over
     * the whole L4 length); every segment must verify.
     *
     * @return one line per problem; empty when all is right
     */
    public static List<String> verify(byte[] frame, int[] meta) {
        List<String> problems = new ArrayList<>();
        Layout l = layout(frame);
        if (l == null) {
            problems.add("virtio-net header on a frame that is not Ethernet/IP/TCP-or-UDP");
            return problems;
        }
        int flags = meta[0], type = meta[1], hdrLen = meta[2], gsoSize = meta[3], csumStart = meta[4], csumOffset = meta[5];
        int base = type & ~ECN;
        if (hdrLen != l.headers()) problems.add("hdr_len " + hdrLen + ", headers end at " + l.headers());
        byte[] complete = frame;
        if ((flags & NEEDS_CSUM) != 0) {
            int field = l.protocol == 6 ? 16 : 6;
            if (csumStart != l.l4 || csumOffset != field) {
                problems.add("csum_start/offset " + csumStart + "/" + csumOffset + ", the checksum is at " + l.l4 + "/" + field);
                return problems;
            }
            complete = complete(frame, csumStart, csumOffset, l.end);
            if (l.protocol == 17 && Checksum.u16(complete, l.l4 + 6) == 0) put16(complete, l.l4 + 6, 0xFFFF);
        } else if (base != NONE) {
            problems.add("GSO without NEEDS_CSUM");
        }
        for (String p : Checksum.verify(complete)) problems.add("completed: " + p);
        if (base == NONE) {
            if (gsoSize != 0 || type != NONE) problems.add("gso_size " + gsoSize + " without a GSO type");
            return problems;
        }
        boolean fits = switch (base) {
            case TCPV4 -> !l.v6 && l.protocol == 6;
            case TCPV6 -> l.v6 && l.protocol == 6;
            case UDP_L4 -> l.protocol == 17;
            default -> false;
        };
        if (!fits) problems.add("GSO type " + type + " on " + (l.v6 ? "IPv6 " : "IPv4 ") + (l.protocol == 6 ? "TCP" : "UDP"));
        boolean cwr = l.protocol == 6 && (frame[l.l4 + 13] & 0x80) != 0;
        if (((type & ECN) != 0) != cwr) problems.add("GSO ECN bit " + ((type & ECN) != 0) + " but CWR " + cwr);
        if (gsoSize <= 0 || l.end - l.headers() <= gsoSize) {
            problems.add("gso_size " + gsoSize + " for " + (l.end - l.headers()) + " payload octets: not a super-frame");
            return problems;
        }
        List<byte[]> segments = segment(complete, gsoSize);
        for (int i = 0; i < segments.size(); i++) {
            for (String p : Checksum.verify(segments.get(i))) problems.add("segment " + i + ": " + p);
        }
        return problems;
    }

    /** The header for messages. */
    public static String describe(int[] meta) {
        if (meta == null) return "none";
        return String.format("{flags %d, gso_type 0x%x, hdr_len %d, gso_size %d, csum_start %d, csum_offset %d}",
                meta[0], meta[1], meta[2], meta[3], meta[4], meta[5]);
    }

    private static int i32(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
