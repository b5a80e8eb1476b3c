package io.jlvs.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The checksum oracle: computes every checksum of a frame from scratch with the plainest code that can work
 * (a byte loop per RFC 1071, {@link CRC32C} for SCTP), independent of jlvs-core. {@link PacketBuilder} fills
 * checksums with it; vector runners call {@link #verify(byte[])} on every output frame so a bug in the data
 * path's incremental updates cannot hide behind the builder.
 */
public final class Checksum {
    private Checksum() {}

    /** One's complement sum of {@code len} octets as big-endian 16-bit words, added to {@code initial}, folded. */
    public static int sum(byte[] b, int off, int len, int initial) {
        long acc = initial & 0xFFFF_FFFFL;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xFF;
            int lo = i + 1 < len ? b[off + i + 1] & 0xFF : 0;
            acc += (hi << 8) | lo;
        }
        while ((acc >>> 16) != 0) acc = (acc & 0xFFFF) + (acc >>> 16);
        return (int) acc;
    }

    /** RFC 1071 internet checksum of the range: the complement of its sum. */
    public static int internet(byte[] b, int off, int len) {
        return ~sum(b, off, len, 0) & 0xFFFF;
    }

    /** Sum of an IPv4 pseudo-header. */
    public static int pseudo4(byte[] src, byte[] dst, int protocol, int length) {
        byte[] p = new byte[12];
        System.arraycopy(src, 0, p, 0, 4);
        System.arraycopy(dst, 0, p, 4, 4);
        p[9] = (byte) protocol;
        p[10] = (byte) (length >>> 8);
        p[11] = (byte) length;
        return sum(p, 0, 12, 0);
    }

    /** Sum of an IPv6 pseudo-header (RFC 8200 section 8.1). */
    public static int pseudo6(byte[] src, byte[] dst, int nextHeader, int length) {
        byte[] p = new byte[40];
        System.arraycopy(src, 0, p, 0, 16);
        System.arraycopy(dst, 0, p, 16, 16);
        p[32] = (byte) (length >>> 24);
        p[33] = (byte) (length >>> 16);
        p[34] = (byte) (length >>> 8);
        p[35] = (byte) length;
        p[39] = (byte) nextHeader;
        return sum(p, 0, 40, 0);
    }

    /** Checksum of {@code len} octets with the 16-bit field at {@code field} (absolute) taken as zero. */
    static int withZeroField(byte[] b, int off, int len, int field, int pseudoSum) {
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        copy[field - off] = 0;
        copy[field - off + 1] = 0;
        return ~sum(copy, 0, len, pseudoSum) & 0xFFFF;
    }

    /** SCTP CRC32c of {@code len} octets at {@code off} with the checksum field (octets 8..11) as zero. */
    public static int sctpCrc(byte[] b, int off, int len) {
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        Arrays.fill(copy, 8, 12, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(copy);
        return (int) crc.getValue();
    }

    /**
     * Verifies every checksum of an Ethernet frame: the IPv4 header checksum, and for unfragmented packets the
     * TCP, UDP, SCTP, ICMP or ICMPv6 checksum; inside tunnels too (IP-in-IP and IPv6 encapsulation, GRE with
     * its optional checksum), and the IPv4 header an ICMP error quotes when it is quoted whole. Frames this
     * simple parser cannot follow (truncated, unknown EtherType) are reported as problems too. The IPv6
     * pseudo-header uses the header's destination (a routing header's final destination is not looked up, as
     * {@link PacketBuilder} does not write one).
     *
     * @return one line per problem; empty when all checksums are right
     */
    public static List<String> verify(byte[] frame) {
        return verify(frame, new int[0]);
    }

    /**
     * {@link #verify(byte[])}, also following GUE (UDP to one of {@code guePorts}, a zero UDP checksum allowed
     * over IPv6 as for tunnels, RFC 6935) into the packet it carries. With GUE's remote checksum offload option
     * the inner checksum is partial by design: it is completed as the receiver would before it is verified.
     */
    public static List<String> verify(byte[] frame, int... guePorts) {
        List<String> problems = new ArrayList<>();
        if (frame.length < 14) {
            problems.add("frame of " + frame.length + " octets has no Ethernet header");
            return problems;
        }
        int p = 12;
        int type = u16(frame, p);
        while ((type == 0x8100 || type == 0x88A8) && p + 6 <= frame.length) {
            p += 4;
            type = u16(frame, p);
        }
        int l3 = p + 2;
        Ctx ctx = new Ctx(problems, guePorts);
        switch (type) {
            case 0x0800 -> verifyIpv4(frame, l3, frame.length, ctx, 0);
            case 0x86DD -> verifyIpv6(frame, l3, frame.length, ctx, 0);
            case 0x0806 -> { }
            default -> problems.add(String.format("EtherType 0x%04x: nothing to verify", type));
        }
        return problems;
    }

    private record Ctx(List<String> problems, int[] guePorts) {
        boolean gue(int port) {
            for (int g : guePorts) if (g == port) return true;
            return false;
        }
    }

    private static final int MAX_DEPTH = 3;

    private static String in(int depth) { return depth == 0 ? "" : "inner(" + depth + ") "; }

    private static void verifyIpv4(byte[] f, int l3, int limit, Ctx ctx, int depth) {
        List<String> problems = ctx.problems();
        String w = in(depth);
        if (limit - l3 < 20) { problems.add(w + "IPv4 header truncated"); return; }
        int hl = (f[l3] & 0x0F) * 4;
        int total = u16(f, l3 + 2);
        if (hl < 20 || l3 + hl > limit) { problems.add(w + "IPv4 IHL " + hl / 4 + " does not fit"); return; }
        check(f, w + "IPv4 header", l3 + 10, withZeroField(f, l3, hl, l3 + 10, 0), problems);
        if (total < hl || l3 + total > limit) { problems.add(w + "IPv4 total length " + total + " does not fit"); return; }
        if ((u16(f, l3 + 6) & 0x3FFF) != 0) return;         // fragment: the L4 checksum covers the whole datagram
        byte[] src = Arrays.copyOfRange(f, l3 + 12, l3 + 16);
        byte[] dst = Arrays.copyOfRange(f, l3 + 16, l3 + 20);
        verifyL4(f, f[l3 + 9] & 0xFF, l3 + hl, total - hl, src, dst, false, ctx, depth);
    }

    private static void verifyIpv6(byte[] f, int l3, int limit, Ctx ctx, int depth) {
        List<String> problems = ctx.problems();
        String w = in(depth);
        if (limit - l3 < 40) { problems.add(w + "IPv6 header truncated"); return; }
        int end = l3 + 40 + u16(f, l3 + 4);
        if (end > limit) { problems.add(w + "IPv6 payload length does not fit"); return; }
        int nh = f[l3 + 6] & 0xFF;
        int p = l3 + 40;
        for (int n = 0; n < 16 && isExtension(nh); n++) {
            if (p + 8 > end) { problems.add(w + "IPv6 extension header truncated"); return; }
            if (nh == 44 && (u16(f, p + 2) & 0xFFF9) != 0) return;   // a real fragment
            int len = nh == 44 ? 8 : nh == 51 ? ((f[p + 1] & 0xFF) + 2) * 4 : ((f[p + 1] & 0xFF) + 1) * 8;
            nh = f[p] & 0xFF;
            p += len;
        }
        if (p > end) { problems.add(w + "IPv6 extension header truncated"); return; }
        byte[] src = Arrays.copyOfRange(f, l3 + 8, l3 + 24);
        byte[] dst = Arrays.copyOfRange(f, l3 + 24, l3 + 40);
        verifyL4(f, nh, p, end - p, src, dst, true, ctx, depth);
    }

    private static boolean isExtension(int nh) {
        return nh == 0 || nh == 43 || nh == 44 || nh == 51 || nh == 60 || nh == 135 || nh == 139 || nh == 140;
    }

    private static void verifyL4(byte[] f, int proto, int l4, int len, byte[] src, byte[] dst, boolean v6,
                                 Ctx ctx, int depth) {
        List<String> problems = ctx.problems();
        String w = in(depth);
        switch (proto) {
            case 6 -> {
                if (len < 20) { problems.add(w + "TCP header truncated"); return; }
                check(f, w + "TCP", l4 + 16, withZeroField(f, l4, len, l4 + 16, pseudo(src, dst, 6, len, v6)), problems);
            }
            case 17 -> {
                if (len < 8) { problems.add(w + "UDP header truncated"); return; }
                int udpLen = u16(f, l4 + 4);
                if (udpLen < 8 || udpLen > len) { problems.add(w + "UDP length " + udpLen + " does not fit"); return; }
                int stored = u16(f, l4 + 6);
                boolean gue = depth < MAX_DEPTH && ctx.gue(u16(f, l4 + 2));
                if (stored == 0) {
                    if (v6 && !gue) problems.add(w + "UDP checksum 0 over IPv6");
                } else {
                    int expect = withZeroField(f, l4, udpLen, l4 + 6, pseudo(src, dst, 17, udpLen, v6));
                    if (expect == 0) expect = 0xFFFF;
                    if (stored != expect) problems.add(String.format("%sUDP checksum 0x%04x, expected 0x%04x", w, stored, expect));
                }
                if (gue) verifyGue(f, l4 + 8, l4 + udpLen, ctx, depth);
            }
            case 1 -> {
                if (v6) return;
                if (len < 8) { problems.add(w + "ICMP header truncated"); return; }
                check(f, w + "ICMP", l4 + 2, withZeroField(f, l4, len, l4 + 2, 0), problems);
                int type = f[l4] & 0xFF;
                boolean error = type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
                int q = l4 + 8;
                if (error && len >= 28 && (f[q] & 0xF0) == 0x40) {
                    int qhl = (f[q] & 0x0F) * 4;
                    if (qhl >= 20 && q + qhl <= l4 + len) {
                        check(f, w + "quoted IPv4 header", q + 10, withZeroField(f, q, qhl, q + 10, 0), problems);
                    }
                }
            }
            case 58 -> {
                if (!v6) return;
                if (len < 8) { problems.add(w + "ICMPv6 header truncated"); return; }
                check(f, w + "ICMPv6", l4 + 2, withZeroField(f, l4, len, l4 + 2, pseudo(src, dst, 58, len, true)), problems);
            }
            case 132 -> {
                if (len < 12) { problems.add(w + "SCTP common header truncated"); return; }
                int stored = (f[l4 + 8] & 0xFF) | (f[l4 + 9] & 0xFF) << 8 | (f[l4 + 10] & 0xFF) << 16 | (f[l4 + 11] & 0xFF) << 24;
                int expect = sctpCrc(f, l4, len);
                if (stored != expect) problems.add(String.format("%sSCTP CRC32c 0x%08x, expected 0x%08x", w, stored, expect));
            }
            case 4 -> { if (depth < MAX_DEPTH) verifyIpv4(f, l4, l4 + len, ctx, depth + 1); }
            case 41 -> { if (depth < MAX_DEPTH) verifyIpv6(f, l4, l4 + len, ctx, depth + 1); }
            case 47 -> {
                if (len < 4) { problems.add(w + "GRE header truncated"); return; }
                int flags = u16(f, l4);
                int hl = 4 + ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0) + ((flags & 0x1000) != 0 ? 4 : 0);
                if (len < hl) { problems.add(w + "GRE header truncated"); return; }
                if ((flags & 0x8000) != 0) check(f, w + "GRE", l4 + 4, withZeroField(f, l4, len, l4 + 4, 0), problems);
                int type = u16(f, l4 + 2);
                if (depth >= MAX_DEPTH) return;
                if (type == 0x0800) verifyIpv4(f, l4 + hl, l4 + len, ctx, depth + 1);
                else if (type == 0x86DD) verifyIpv6(f, l4 + hl, l4 + len, ctx, depth + 1);
            }
            default -> { }
        }
    }

    /** GUE version 0 (data): the header, its remote checksum offload option if any, then the inner packet. */
    private static void verifyGue(byte[] f, int g, int end, Ctx ctx, int depth) {
        List<String> problems = ctx.problems();
        String w = in(depth);
        if (end - g < 4) { problems.add(w + "GUE header truncated"); return; }
        if ((f[g] & 0xE0) != 0) { problems.add(w + "GUE version or C bit not 0"); return; }
        int hlen = (f[g] & 0x1F) * 4;
        int proto = f[g + 1] & 0xFF;
        int flags = u16(f, g + 2);
        int inner = g + 4 + hlen;
        if (inner > end) { problems.add(w + "GUE options truncated"); return; }
        byte[] packet = f;
        if ((flags & 0x0001) != 0 && hlen >= 8 && (f[g + 4] & 0x80) != 0) {
            int start = u16(f, g + 8), field = u16(f, g + 10);
            if (inner + field + 2 > end || start > field) { problems.add(w + "GUE remote checksum offsets out of range"); return; }
            packet = f.clone();                                  // complete it as the receiver does
            int c = ~sum(packet, inner + start, end - inner - start, 0) & 0xFFFF;
            packet[inner + field] = (byte) (c >>> 8);
            packet[inner + field + 1] = (byte) c;
        }
        if (proto == 4) verifyIpv4(packet, inner, end, ctx, depth + 1);
        else if (proto == 41) verifyIpv6(packet, inner, end, ctx, depth + 1);
        else problems.add(w + "GUE carries protocol " + proto);
    }

    private static int pseudo(byte[] src, byte[] dst, int proto, int len, boolean v6) {
        return v6 ? pseudo6(src, dst, proto, len) : pseudo4(src, dst, proto, len);
    }

    /** 0x0000 and 0xFFFF are the same one's complement number: a receiver's sum verifies with either. */
    private static void check(byte[] f, String what, int field, int expect, List<String> problems) {
        int stored = u16(f, field);
        if (stored != expect && !(stored == 0xFFFF && expect == 0) && !(stored == 0 && expect == 0xFFFF)) {
            problems.add(String.format("%s checksum 0x%04x, expected 0x%04x", what, stored, expect));
        }
    }

    /** The big-endian 16-bit word at {@code off}. */
    public static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }
}
