package io.jlvs.packet;

import io.jlvs.testkit.Addresses;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.lang.foreign.MemorySegment;

import static io.jlvs.packet.Frames.ETH;
import static io.jlvs.packet.Frames.seg;
import static org.assertj.core.api.Assertions.assertThat;

/** Random header field values: what the builder writes, the views read back, and what the views write, the builder agrees with. */
class ViewProperties {

    @Property
    void ipv4AndTcpFieldsReadBack(@ForAll @IntRange(max = 255) int tos, @ForAll @IntRange(max = 255) int ttl,
                                  @ForAll @IntRange(max = 0xFFFF) int id, @ForAll boolean df,
                                  @ForAll @IntRange(max = 8191) int fragUnits, @ForAll boolean mf,
                                  @ForAll int src, @ForAll int dst, @ForAll @IntRange(max = 0xFFFF) int sport,
                                  @ForAll @IntRange(max = 0xFFFF) int dport, @ForAll int seq, @ForAll int ack,
                                  @ForAll @IntRange(max = 255) int flags, @ForAll @IntRange(max = 0xFFFF) int window) {
        var b = Frames.eth().ipv4(ChecksumsProperties.dotted(src), ChecksumsProperties.dotted(dst)).tos(tos).ttl(ttl).id(id);
        if (df) b.df();
        b.fragment(fragUnits * 8, mf).tcp(sport, dport).flags(flags).seq(seq & 0xFFFF_FFFFL).ackSeq(ack & 0xFFFF_FFFFL).window(window);
        byte[] f = b.build();
        Ipv4View ip = new Ipv4View().wrap(seg(f), ETH);
        assertThat(new int[] {ip.tos(), ip.ttl(), ip.id(), ip.fragmentOffset(), ip.src(), ip.dst(), ip.protocol()})
                .containsExactly(tos, ttl, id, fragUnits, src, dst, 6);
        assertThat(ip.dontFragment()).isEqualTo(df);
        assertThat(ip.moreFragments()).isEqualTo(mf);
        assertThat(ip.isFragment()).isEqualTo(mf || fragUnits != 0);
        assertThat(ip.checksumOk()).isTrue();
        TcpView tcp = new TcpView().wrap(seg(f), ETH + 20);
        assertThat(new int[] {tcp.srcPort(), tcp.dstPort(), tcp.seq(), tcp.ackSeq(), tcp.flags(), tcp.window()})
                .containsExactly(sport, dport, seq, ack, flags, window);
    }

    @Property
    void ipv4SettersAgreeWithTheBuilder(@ForAll @IntRange(max = 255) int ttl, @ForAll @IntRange(max = 0xFFFF) int id,
                                        @ForAll @IntRange(max = 63) int dscp, @ForAll int src, @ForAll int dst) {
        byte[] f = Frames.v4().udp(1, 2).noChecksum().build();
        byte[] expected = Frames.eth().ipv4(ChecksumsProperties.dotted(src), ChecksumsProperties.dotted(dst)).ttl(ttl).id(id)
                .dscp(dscp).udp(1, 2).noChecksum().build();
        new Ipv4View().wrap(seg(f), ETH).ttl(ttl).id(id).dscp(dscp).src(src).dst(dst).fillChecksum();
        assertThat(f).isEqualTo(expected);
    }

    @Property
    void ipv6FieldsReadBack(@ForAll @IntRange(max = 255) int tc, @ForAll @IntRange(max = 0xFFFFF) int label,
                            @ForAll @IntRange(max = 255) int hops, @ForAll long hi, @ForAll long lo) {
        String addr = String.format("%x:%x:%x:%x:%x:%x:%x:%x", hi >>> 48, (hi >>> 32) & 0xFFFF, (hi >>> 16) & 0xFFFF, hi & 0xFFFF,
                lo >>> 48, (lo >>> 32) & 0xFFFF, (lo >>> 16) & 0xFFFF, lo & 0xFFFF);
        byte[] f = Frames.eth().ipv6(addr, Frames.VIP6).trafficClass(tc).flowLabel(label).hopLimit(hops).udp(1, 2).build();
        Ipv6View ip = new Ipv6View().wrap(seg(f), ETH);
        assertThat(new int[] {ip.version(), ip.trafficClass(), ip.flowLabel(), ip.hopLimit(), ip.payloadLength()})
                .containsExactly(6, tc, label, hops, 8);
        assertThat(new long[] {ip.srcHi(), ip.srcLo(), ip.dstHi(), ip.dstLo()})
                .containsExactly(hi, lo, Addresses.ipv6Hi(Frames.VIP6), Addresses.ipv6Lo(Frames.VIP6));
        MemorySegment s = seg(f);
        ip.src(lo, hi);
        assertThat(NetworkOrder.i64(s, ETH + 8)).isEqualTo(lo);
        assertThat(NetworkOrder.i64(s, ETH + 16)).isEqualTo(hi);
    }
}
