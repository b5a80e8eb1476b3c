package io.jlvs.netio.rtnl;

import static io.jlvs.netio.sys.RouteNetlink.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.jlvs.netio.sys.Netlink;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing the parser: random bytes, and valid datagrams with random bytes overwritten or cut short, never
 * make it throw, and whatever it decodes is well-formed.
 */
class RtnlParserProperties {

    /** One datagram holding a message of every kind the monitor decodes, plus an ack and a DONE. */
    static byte[] validDatagram() {
        NlBytes b = new NlBytes().msg(RTM_NEWLINK, 0, 0, 0);
        RtnlParserTest.ifinfo(b, AF_UNSPEC, 1, 3, IFF_UP).attrStr(IFLA_IFNAME, "jlvsv0")
                .attr(IFLA_ADDRESS, NlBytes.mac(0x020000000001L)).attrU32(IFLA_MTU, 1500).attrU8(IFLA_OPERSTATE, 6)
                .nest(IFLA_LINKINFO).attrStr(IFLA_INFO_KIND, "veth").end().end();
        b.msg(RTM_NEWADDR, 0, 0, 0);
        RtnlParserTest.ifaddr(b, AF_INET, 24, 0, 0, 3).attrIp(IFA_LOCAL, "192.0.2.1").attrIp(IFA_ADDRESS, "192.0.2.1")
                .attrStr(IFA_LABEL, "jlvsv0").attrU32(IFA_FLAGS, IFA_F_PERMANENT).end();
        b.msg(RTM_NEWROUTE, 0, 0, 0);
        RtnlParserTest.rtmsg(b, AF_INET6, 48, RT_TABLE_MAIN, RTPROT_BOOT, 0, RTN_UNICAST)
                .attrU32(RTA_TABLE, RT_TABLE_MAIN).attrIp(RTA_DST, "2001:db8:1::").attrU32(RTA_PRIORITY, 1024)
                .nest(RTA_METRICS).attrU32(RTAX_MTU, 1400).end()
                .nest(RTA_MULTIPATH)
                .hop(0, 0, 3).attrIp(RTA_GATEWAY, "2001:db8::fe").end()
                .hop(0, 1, 4).attrIp(RTA_GATEWAY, "2001:db8::fd").end()
                .end().end();
        b.msg(RTM_NEWNEIGH, 0, 0, 0);
        RtnlParserTest.ndmsg(b, AF_INET, 3, NUD_REACHABLE, 0).attrIp(NDA_DST, "192.0.2.254")
                .attr(NDA_LLADDR, NlBytes.mac(0x0200000000FEL)).end();
        b.msg(Netlink.NLMSG_ERROR, Netlink.NLM_F_ACK_TLVS, 1, 1).u32(-22).u32(16).u16(16).u16(5).u32(1).u32(1)
                .attrStr(Netlink.NLMSGERR_ATTR_MSG, "bad").end();
        b.msg(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, 1, 1).u32(0).end();
        return b.toArray();
    }

    /** Decodes everything in {@code bytes} as the monitor and the dumps would; returns the events. */
    static List<RtEvent> parseAll(RtnlParser parser, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(Math.max(1, bytes.length), 8).asSlice(0, bytes.length);
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
            List<RtEvent> out = new ArrayList<>();
            parser.forEachMessage(seg, bytes.length, (type, flags, seq, pid, off, len) -> {
                RtEvent e = parser.event(type, seg, off, len);
                if (e != null) {
                    out.add(e);
                }
                if (type == Netlink.NLMSG_ERROR) {
                    parser.extAckMessage(seg, off, len, flags);
                }
                return true;
            });
            return out;
        }
    }

    static void assertWellFormed(RtEvent e) {
        switch (e) {
            case RtEvent.Link(var action, var link) -> {
                assertThat(link.name()).isNotNull();
                assertThat(link.kind()).isNotNull();
                assertThat(link.mac()).isBetween(-1L, 0xFFFF_FFFF_FFFFL);
            }
            case RtEvent.Addr(var action, var addr) -> {
                assertThat(addr.family()).isIn(AF_INET, AF_INET6);
                assertThat(addr.address().getAddress()).hasSize(addr.family() == AF_INET ? 4 : 16);
                assertThat(addr.prefixLen()).isBetween(0, addr.family() == AF_INET ? 32 : 128);
            }
            case RtEvent.Route(var action, var route) -> {
                assertThat(route.family()).isIn(AF_INET, AF_INET6);
                assertThat(route.dst().getAddress()).hasSize(route.family() == AF_INET ? 4 : 16);
                assertThat(route.dstLen()).isBetween(0, route.family() == AF_INET ? 32 : 128);
                assertThat(route.nextHops()).doesNotContainNull();
            }
            case RtEvent.Neigh(var action, var neigh) -> {
                assertThat(neigh.family()).isIn(AF_INET, AF_INET6);
                assertThat(neigh.dst().getAddress()).hasSize(neigh.family() == AF_INET ? 4 : 16);
                assertThat(neigh.lladdr()).isBetween(-1L, 0xFFFF_FFFF_FFFFL);
            }
            case RtEvent.Resync r -> throw new AssertionError("the parser never makes a resync");
        }
    }

    @Property(tries = 2000)
    void randomBytesNeverThrow(@ForAll @Size(max = 600) byte[] bytes) {
        RtnlParser parser = new RtnlParser();
        parseAll(parser, bytes).forEach(RtnlParserProperties::assertWellFormed);
    }

    /** Random bytes behind a plausible header, so the fuzzing reaches the decoders and not only the framing. */
    @Property(tries = 2000)
    void randomPayloadsBehindValidHeadersNeverThrow(@ForAll("types") int type, @ForAll @Size(max = 300) byte[] payload) {
        NlBytes b = new NlBytes().msg(type, 0, 0, 0).bytes(payload).end();
        parseAll(new RtnlParser(), b.toArray()).forEach(RtnlParserProperties::assertWellFormed);
    }

    @Provide
    Arbitrary<Integer> types() {
        return Arbitraries.of(RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR, RTM_NEWROUTE, RTM_DELROUTE,
                RTM_NEWNEIGH, RTM_DELNEIGH, Netlink.NLMSG_ERROR);
    }

    @Property(tries = 3000)
    void validDatagramWithBytesOverwrittenNeverThrows(@ForAll @Size(min = 1, max = 8) List<@IntRange(max = 100_000) Integer> positions,
            @ForAll @Size(min = 8, max = 8) byte[] values) {
        byte[] bytes = validDatagram();
        for (int i = 0; i < positions.size(); i++) {
            bytes[positions.get(i) % bytes.length] = values[i];
        }
        parseAll(new RtnlParser(), bytes).forEach(RtnlParserProperties::assertWellFormed);
    }

    @Property(tries = 500)
    void validDatagramCutShortNeverThrowsAndKeepsTheWholeMessagesBeforeTheCut(@ForAll @IntRange(max = 100_000) int cut) {
        byte[] full = validDatagram();
        byte[] bytes = java.util.Arrays.copyOf(full, cut % (full.length + 1));
        RtnlParser parser = new RtnlParser();
        List<RtEvent> events = parseAll(parser, bytes);
        events.forEach(RtnlParserProperties::assertWellFormed);
        List<RtEvent> all = parseAll(new RtnlParser(), full);
        assertThat(all).hasSize(4);
        assertThat(all.subList(0, events.size())).isEqualTo(events);
    }
}
