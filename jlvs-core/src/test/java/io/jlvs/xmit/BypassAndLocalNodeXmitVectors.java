package io.jlvs.xmit;

import io.jlvs.packet.DropReason;
import io.jlvs.testkit.Vector;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.jlvs.testkit.Vector.vector;
import static io.jlvs.xmit.Net.*;
import static io.jlvs.xmit.V.*;

/** Bypass (forward to the packet's own destination) and local node (to the local stack, untouched). */
class BypassAndLocalNodeXmitVectors {
    static final String CACHE = "198.51.100.80", CACHE6 = "2001:db8:100::80";

    @TestFactory
    Stream<DynamicTest> vectors() { return XmitVectorRunner.tests(cases()); }

    static List<XmitCase> cases() {
        List<XmitCase> cases = new ArrayList<>();
        for (String client : new String[] {CLIENT, CLIENT6}) {
            boolean v6 = FakeNextHops.v6(client);
            String dst = v6 ? CACHE6 : CACHE;
            for (int p : PROTOCOLS) {
                cases.add(bypass(vector(fam(client) + " " + name(p) + " bypass: on to its own destination through the gateway, TTL - 1")
                        .in(l4(ip(fromClient().vlan(5), client, dst, 64), p, 40000, 80))
                        .expect(Verdict.TX)
                        .out(l4(ip(toClient(), client, dst, 63), p, 40000, 80))));
                cases.add(localNode(vector(fam(client) + " " + name(p) + " local node: the frame to the local port as it came")
                        .in(l4(ip(fromClient().vlan(5), client, v6 ? VIP6 : VIP, 64), p, 40000, 80))
                        .expect(Verdict.LOCAL)
                        .local(l4(ip(fromClient().vlan(5), client, v6 ? VIP6 : VIP, 64), p, 40000, 80))));
            }
            cases.add(bypass(vector(fam(client) + " bypass to one of the director's addresses: refused (non-local only)")
                    .in(ip(fromClient(), client, v6 ? DIRECTOR6 : DIRECTOR, 64).tcp(40000, 80).ack())
                    .expect(DropReason.LOCAL_ROUTE_REFUSED.code())));
        }
        cases.add(bypass(vector("IPv4 bypass with TTL 1: ICMP time exceeded from the director's own address (the destination is not local)")
                .in(ip(fromClient(), CLIENT, CACHE, 1).tcp(40000, 80).ack())
                .expect(DropReason.TTL_EXCEEDED.code())
                .out(icmpFrom(toClient(), DIRECTOR, CLIENT).icmpError(11, 0, ip(fromClient(), CLIENT, CACHE, 1).tcp(40000, 80).ack().buildL3()))));
        cases.add(bypass(vector("IPv6 bypass with hop limit 1: ICMPv6 time exceeded from the director's own address")
                .in(ip(fromClient(), CLIENT6, CACHE6, 1).udp(40000, 53).payload(PAYLOAD))
                .expect(DropReason.TTL_EXCEEDED.code())
                .out(icmpFrom(toClient(), DIRECTOR6, CLIENT6).icmpv6Error(3, 0, ip(fromClient(), CLIENT6, CACHE6, 1).udp(40000, 53).payload(PAYLOAD).buildL3()))));
        cases.add(XmitCase.of(vector("IPv4 local node with a partial checksum: completed (a TAP without a virtio-net header carries no partial checksum)")
                .in(fromClient().ipv4(CLIENT, VIP).ttl(64).tcp(40000, 80).ack().partialChecksum()).partial(34, 16, false)
                .expect(Verdict.LOCAL)
                .local(fromClient().ipv4(CLIENT, VIP).ttl(64).tcp(40000, 80).ack()),
                (env, f, tx) -> env.localNode().transmit(f, null, tx)));
        cases.add(XmitCase.of(vector("local node, local port full: dropped")
                .in(ip(fromClient(), CLIENT, VIP, 64).tcp(40000, 80).ack())
                .expect(DropReason.TX_QUEUE_FULL.code()),
                (env, f, tx) -> { env.local.capacity = 0; return env.localNode().transmit(f, null, tx); }));
        return cases;
    }

    static XmitCase bypass(Vector v) { return XmitCase.of(v, (env, f, tx) -> env.bypass().transmit(f, null, tx)); }

    static XmitCase localNode(Vector v) { return XmitCase.of(v, (env, f, tx) -> env.localNode().transmit(f, null, tx)); }
}
