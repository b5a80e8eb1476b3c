package io.jlvs.xmit;

import io.jlvs.packet.Flow;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.PacketParser;
import io.jlvs.service.TunnelType;
import io.jlvs.testkit.Checksum;
import io.jlvs.testkit.PacketBuilder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static io.jlvs.xmit.Net.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the transmitters over random flows: every frame they send verifies with the independent
 * checksum oracle; a NAT reply is the exact inverse rewrite of its request; a tunnel carries the packet
 * unchanged but for the TTL.
 */
class XmitProperties {

    /** A random packet from a client to a VIP. */
    record Flow4(boolean v6, int protocol, int clientHost, int cport, int vport, int dport, int ttl, int tos,
                 boolean df, byte[] payload, int tags, int headroom) {
        String client() { return v6 ? "2001:db8:100::" + Integer.toHexString(clientHost) : "198.51.100." + (clientHost % 250 + 2); }

        String vip() { return v6 ? VIP6 : VIP; }

        PacketBuilder ip(PacketBuilder l2, String src, String dst, int t) {
            return v6 ? l2.ipv6(src, dst).trafficClass(tos).hopLimit(t)
                    : df ? l2.ipv4(src, dst).tos(tos).ttl(t).id(cport).df() : l2.ipv4(src, dst).tos(tos).ttl(t).id(cport);
        }

        PacketBuilder l4(PacketBuilder b, int sport, int dportArg) { return V.l4(b, protocol, sport, dportArg, payload); }

        byte[] request() {
            PacketBuilder l2 = fromClient();
            if (tags > 1) l2.serviceVlan(100);
            if (tags > 0) l2.vlan(10);
            return l4(ip(l2, client(), vip(), ttl), cport, vport).build();
        }

        XmitConn conn(String rs) { return Net.conn(protocol, client(), cport, vip(), vport, rs, dport); }
    }

    @Provide
    Arbitrary<Flow4> flows() {
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(IpProto.IPPROTO_TCP, IpProto.IPPROTO_UDP, IpProto.IPPROTO_SCTP),
                        Arbitraries.integers().between(1, 0xFFFF), Arbitraries.integers().between(1, 0xFFFF),
                        Arbitraries.integers().between(1, 0xFFFF), Arbitraries.integers().between(1, 0xFFFF),
                        Arbitraries.integers().between(1, 255), Arbitraries.integers().between(0, 255))
                .flatAs((v6, p, host, cp, vp, dp, ttl, tos) -> Combinators.combine(Arbitraries.of(false, true),
                                Arbitraries.bytes().array(byte[].class).ofMaxSize(1500), Arbitraries.integers().between(0, 2),
                                Arbitraries.integers().between(0, 80))
                        .as((df, payload, tags, room) -> new Flow4(v6, p, host, cp, vp, dp, ttl, tos, df, payload, tags, room)));
    }

    enum Method { DNAT, SNAT, DR, IPIP, GUE, GUE_CSUM, GUE_REMCSUM, GRE, GRE_CSUM }

    @Property(tries = 600)
    void everyFrameSentVerifies(@ForAll("flows") Flow4 fl, @ForAll Method m, @ForAll boolean otherFamily,
                                @ForAll @IntRange(max = 2) int rsChoice) {
        String[] rs4 = {RS1, RS_MTU, RS_VLAN}, rs6 = {RS6, RS6_MTU, RS6_VLAN};
        boolean tunnel = m.ordinal() >= Method.IPIP.ordinal();
        boolean rsV6 = tunnel && otherFamily ? !fl.v6() : fl.v6();
        String rs = (rsV6 ? rs6 : rs4)[rsChoice];
        XmitConn c = fl.conn(rs);
        byte[] in = m == Method.SNAT ? fl.l4(fl.ip(fromRs(RS1_MAC), rs, fl.client(), fl.ttl()), fl.dport(), fl.cport()).build() : fl.request();
        XmitEnv env = new XmitEnv();
        Frame f = frame(in, fl.headroom());
        int verdict = switch (m) {
            case DNAT -> env.nat().transmit(f, c, env.tx);
            case SNAT -> env.nat().reply(f, c, env.tx);
            case DR -> env.dr().transmit(f, c, env.tx);
            case IPIP -> env.tunnel().transmit(f, c.tunnel(TunnelType.IPIP, 0, 0), env.tx);
            case GUE -> env.tunnel().transmit(f, c.tunnel(TunnelType.GUE, 6080, TunnelType.FLAG_NOCSUM), env.tx);
            case GUE_CSUM -> env.tunnel().transmit(f, c.tunnel(TunnelType.GUE, 6080, TunnelType.FLAG_CSUM), env.tx);
            case GUE_REMCSUM -> env.tunnel().transmit(f, c.tunnel(TunnelType.GUE, 6080, TunnelType.FLAG_REMCSUM), env.tx);
            case GRE -> env.tunnel().transmit(f, c.tunnel(TunnelType.GRE, 0, TunnelType.FLAG_NOCSUM), env.tx);
            case GRE_CSUM -> env.tunnel().transmit(f, c.tunnel(TunnelType.GRE, 0, TunnelType.FLAG_CSUM), env.tx);
        };
        assertThat(verdict == Verdict.TX || Verdict.isDrop(verdict)).as(Verdict.name(verdict)).isTrue();
        if (verdict == Verdict.TX) assertThat(env.tx.frames).isNotEmpty();
        for (byte[] out : env.tx.frames) assertThat(Checksum.verify(out, 6080)).as(Verdict.name(verdict)).isEmpty();
    }

    @Property(tries = 600)
    void aNatReplyIsTheInverseRewriteOfItsRequest(@ForAll("flows") Flow4 fl) {
        Flow4 small = new Flow4(fl.v6(), fl.protocol(), fl.clientHost(), fl.cport(), fl.vport(), fl.dport(),
                Math.max(3, fl.ttl()), fl.tos(), fl.df(), Arrays.copyOf(fl.payload(), Math.min(fl.payload().length, 1400)), 0,
                fl.headroom());
        String rs = small.v6() ? RS6 : RS1;
        XmitConn c = small.conn(rs);
        byte[] p = small.request();

        XmitEnv in = new XmitEnv();
        assertThat(in.nat().transmit(frame(p, small.headroom()), c, in.tx)).isEqualTo(Verdict.TX);
        byte[] q = in.tx.frames.getFirst();
        byte[] reply = mirror(q, small.v6(), small.protocol());
        XmitEnv out = new XmitEnv();
        assertThat(out.nat().reply(frame(reply, small.headroom()), c, out.tx)).isEqualTo(Verdict.TX);
        byte[] s = out.tx.frames.getFirst();

        byte[] expected = mirror(p, small.v6(), small.protocol());
        int ttlAt = 14 + (small.v6() ? 7 : 8);
        assertThat(s[ttlAt] & 0xFF).isEqualTo(small.ttl() - 2);
        expected[ttlAt] = s[ttlAt];
        if (!small.v6()) {                                   // the TTL change moves the header checksum only
            expected[24] = s[24];
            expected[25] = s[25];
        }
        assertThat(hex(s)).isEqualTo(hex(expected));
        assertThat(Checksum.verify(s)).isEmpty();
    }

    @Property(tries = 600)
    void encapsulateThenDecapsulateGivesTheInnerPacket(@ForAll("flows") Flow4 fl, @ForAll boolean outer6,
                                                       @ForAll @IntRange(max = 4) int type) {
        Flow4 small = new Flow4(fl.v6(), fl.protocol(), fl.clientHost(), fl.cport(), fl.vport(), fl.dport(),
                Math.max(2, fl.ttl()), fl.tos(), fl.df(), Arrays.copyOf(fl.payload(), Math.min(fl.payload().length, 1300)), fl.tags(),
                fl.headroom());
        int[][] kinds = {{TunnelType.IPIP.code, 0}, {TunnelType.GUE.code, 0}, {TunnelType.GUE.code, TunnelType.FLAG_CSUM},
                {TunnelType.GRE.code, 0}, {TunnelType.GRE.code, TunnelType.FLAG_CSUM}};
        TunnelType t = TunnelType.values()[kinds[type][0]];
        XmitConn c = small.conn(outer6 ? RS6 : RS1).tunnel(t, 6080, kinds[type][1]);
        byte[] p = small.request();
        XmitEnv env = new XmitEnv();
        assertThat(env.tunnel().transmit(frame(p, small.headroom()), c, env.tx)).isEqualTo(Verdict.TX);
        byte[] out = env.tx.frames.getFirst();
        assertThat(env.tx.frames).hasSize(1);
        int at = 14 + (outer6 ? 40 : 20);
        if (t == TunnelType.GUE) at += 8 + 4 + 4 * (out[at + 8] & 0x1F);
        if (t == TunnelType.GRE) at += (out[at] & 0x80) != 0 ? 8 : 4;
        byte[] inner = Arrays.copyOfRange(out, at, out.length);
        int l2 = 14 + 4 * small.tags();
        byte[] expected = Arrays.copyOfRange(p, l2, p.length);
        int ttlAt = small.v6() ? 7 : 8;
        assertThat(inner[ttlAt] & 0xFF).isEqualTo(small.ttl() - 1);
        expected[ttlAt] = inner[ttlAt];
        if (!small.v6()) {
            expected[10] = inner[10];
            expected[11] = inner[11];
        }
        assertThat(hex(inner)).isEqualTo(hex(expected));
        assertThat(Checksum.verify(out, 6080)).isEmpty();
    }

    /** As the other side would answer: MACs, addresses and ports swapped (checksum-neutral but for SCTP's CRC32c). */
    static byte[] mirror(byte[] frame, boolean v6, int protocol) {
        byte[] f = frame.clone();
        swap(f, 0, 6, 6);
        int l3 = 14;
        int l4 = l3 + (v6 ? 40 : (f[l3] & 0x0F) * 4);
        if (v6) swap(f, l3 + 8, l3 + 24, 16); else swap(f, l3 + 12, l3 + 16, 4);
        swap(f, l4, l4 + 2, 2);
        if (protocol == IpProto.IPPROTO_SCTP) {
            int len = f.length - l4;
            int crc = Checksum.sctpCrc(f, l4, len);
            for (int i = 0; i < 4; i++) f[l4 + 8 + i] = (byte) (crc >>> (8 * i));
        }
        return f;
    }

    private static void swap(byte[] b, int x, int y, int n) {
        for (int i = 0; i < n; i++) {
            byte t = b[x + i];
            b[x + i] = b[y + i];
            b[y + i] = t;
        }
    }

    private static String hex(byte[] b) { return io.jlvs.testkit.Vector.hex(b); }

    static Frame frame(byte[] bytes, int headroom) {
        MemorySegment seg = MemorySegment.ofArray(new byte[headroom + bytes.length + 256]);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, headroom, bytes.length);
        Frame f = new Frame().wrap(seg, 0, seg.byteSize(), headroom, bytes.length);
        assertThat(f.parse(new PacketParser(), new Flow())).isEqualTo(PacketParser.OK);
        return f;
    }
}
