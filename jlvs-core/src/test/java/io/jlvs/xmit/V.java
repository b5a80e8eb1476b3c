package io.jlvs.xmit;

import io.jlvs.packet.IpProto;
import io.jlvs.testkit.PacketBuilder;

import java.util.Arrays;

/** Shorthands for the vector tables: headers of either family, a payload per protocol, slices of packets. */
final class V {
    static final int ID = 0x1234;
    static final byte[] PAYLOAD = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int[] PROTOCOLS = {IpProto.IPPROTO_TCP, IpProto.IPPROTO_UDP, IpProto.IPPROTO_SCTP};

    private V() {}

    /** An IP header of {@code src}'s family: IPv4 with DF and {@link #ID}, IPv6 with the hop limit. */
    static PacketBuilder ip(PacketBuilder l2, String src, String dst, int ttl) {
        return FakeNextHops.v6(src) ? l2.ipv6(src, dst).hopLimit(ttl) : l2.ipv4(src, dst).ttl(ttl).id(ID).df();
    }

    /** The upper layer of the vectors: an ACK with data, a datagram, an SCTP DATA chunk. */
    static PacketBuilder l4(PacketBuilder b, int protocol, int sport, int dport, byte[] payload) {
        return switch (protocol) {
            case IpProto.IPPROTO_TCP -> b.tcp(sport, dport).ack().psh().seq(1000).ackSeq(2000).payload(payload);
            case IpProto.IPPROTO_UDP -> b.udp(sport, dport).payload(payload);
            case IpProto.IPPROTO_SCTP -> b.sctp(sport, dport, 0xCAFE_F00D).chunk(0, 3, be32(7), be16(1), be16(0), be32(0), payload);
            default -> throw new IllegalArgumentException("protocol " + protocol);
        };
    }

    static PacketBuilder l4(PacketBuilder b, int protocol, int sport, int dport) { return l4(b, protocol, sport, dport, PAYLOAD); }

    static String name(int protocol) {
        return switch (protocol) {
            case IpProto.IPPROTO_TCP -> "TCP";
            case IpProto.IPPROTO_UDP -> "UDP";
            case IpProto.IPPROTO_SCTP -> "SCTP";
            default -> "proto " + protocol;
        };
    }

    static String fam(String addr) { return FakeNextHops.v6(addr) ? "IPv6" : "IPv4"; }

    static byte[] first(byte[] b, int n) { return Arrays.copyOf(b, Math.min(n, b.length)); }

    static byte[] range(byte[] b, int from, int to) { return Arrays.copyOfRange(b, from, to); }

    static byte[] be16(int v) { return new byte[] {(byte) (v >>> 8), (byte) v}; }

    static byte[] be32(int v) { return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}; }

    /** An ICMP(v6) error as the director sends it: to the source, TOS 0xC0 | (tos & 0x1E), TTL 64, a fresh ID. */
    static PacketBuilder icmpFrom(PacketBuilder l2, String from, String to) {
        return FakeNextHops.v6(from) ? l2.ipv6(from, to).hopLimit(64) : l2.ipv4(from, to).tos(0xC0).ttl(64).id(Net.IDENT);
    }

    static XmitConn conn17(String client, String vip, String rs) { return Net.conn(IpProto.IPPROTO_UDP, client, 1, vip, 53, rs, 53); }

    static XmitConn conn132(String client, String vip, String rs) { return Net.conn(IpProto.IPPROTO_SCTP, client, 1, vip, 80, rs, 80); }
}
