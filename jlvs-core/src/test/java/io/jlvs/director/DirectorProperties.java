package io.jlvs.director;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.packet.Flow;
import io.jlvs.packet.IpProto;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.VirtualService;
import io.jlvs.testkit.PacketBuilder;
import io.jlvs.xmit.Verdict;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.jlvs.director.DirectorHarness.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the whole director over random traffic: random services (family, protocol, forwarding method,
 * scheduler, persistence), random clients and ports, random TCP flag sequences and SCTP chunk types, replies from
 * the real servers, and random moves of the clock.
 * <ul>
 *   <li>every frame the director sends verifies with the independent checksum oracle (the harness checks each);</li>
 *   <li>a NAT reply is the exact inverse of its request's rewrite: the client sees VIP:vport, octet for octet;</li>
 *   <li>every real server's active + inactive counters equal the live connections bound to it, and its
 *       persistent counter the live templates, after every packet and every clock move;</li>
 *   <li>expiry removes exactly the connections whose last packet is older than the timeout of the state that
 *       packet left them in (a model with the kernel's default timeouts, written out here), and once the clock
 *       is past every timeout the table and every counter are empty.</li>
 * </ul>
 */
class DirectorProperties {
    static final int TCP = IpProto.IPPROTO_TCP, UDP = IpProto.IPPROTO_UDP, SCTP = IpProto.IPPROTO_SCTP;
    static final String[] SCHEDULERS = {"rr", "wrr", "lc", "wlc", "sed", "nq", "fo", "ovf", "sh", "mh", "dh",
            "lblc", "lblcr", "twos"};
    static final String[] RS4 = {RS1, RS2, "203.0.113.13", "203.0.113.14"};
    static final String[] RS6S = {RS6, "2001:db8:1::c", "2001:db8:1::d"};
    static final Integer[] SCTP_CHUNKS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 14};

    // the kernel's default timeouts in seconds: tcp_timeouts, udp_timeouts, sctp_timeouts (ip_vs_proto_*.c)
    static final int[] TCP_TIMEOUTS = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};
    static final int UDP_TIMEOUT = 300;
    static final int[] SCTP_TIMEOUTS = {2, 4, 61, 61, 61, 61, 61, 61, 900, 61, 61, 61, 4, 61};
    static final int LONGEST_TIMEOUT_S = 900;

    // --------------------------------------------------------------------------------------- scenarios

    /** A virtual service: VIP (or VIP6) on port {@code 1000 + index}, real servers from the pool of its family. */
    record Svc(boolean v6, int protocol, FwdMethod method, String scheduler, int persistentSec, List<Integer> rs,
               List<Integer> weights) {}

    /** 0: a client's packet; 1: the real server's reply on the flow's connection (NAT only); 2: the clock moves. */
    record Event(int kind, int service, int client, int port, int flags, int chunk, int advanceMs) {}

    record Scenario(List<Svc> services, List<Event> events) {}

    @Provide
    Arbitrary<Scenario> scenarios() { return scenarios(true); }

    @Provide
    Arbitrary<Scenario> plainScenarios() { return scenarios(false); }

    static Arbitrary<Scenario> scenarios(boolean persistence) {
        Arbitrary<Svc> svc = Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(TCP, UDP, SCTP),
                        Arbitraries.of(FwdMethod.MASQ, FwdMethod.DROUTE, FwdMethod.TUNNEL), Arbitraries.of(SCHEDULERS),
                        persistence ? Arbitraries.of(0, 0, 30, 300) : Arbitraries.just(0),
                        Arbitraries.integers().between(0, 3).list().ofMinSize(1).ofMaxSize(3).uniqueElements(),
                        Arbitraries.integers().between(1, 5).list().ofSize(3))
                .as((v6, p, m, s, persist, rs, w) -> new Svc(v6, p, m, s, persist,
                        rs.stream().map(i -> v6 ? i % RS6S.length : i).distinct().toList(), w));
        // a third of the TCP packets are plain SYNs and of the SCTP ones INITs, so most flows get a connection
        Arbitrary<Integer> tcpFlags = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0x02)),
                Tuple.of(2, Arbitraries.integers().between(0, 0x3F)));
        Arbitrary<Integer> chunks = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(1)), Tuple.of(2, Arbitraries.of(SCTP_CHUNKS)));
        Arbitrary<Event> event = Combinators.combine(Arbitraries.integers().between(0, 9),
                        Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 3), tcpFlags, chunks, Arbitraries.integers().between(0, 400_000))
                .as((k, s, c, port, flags, chunk, ms) -> new Event(k < 6 ? 0 : k < 9 ? 1 : 2, s, c, port, flags, chunk, ms));
        return Combinators.combine(svc.list().ofMinSize(1).ofMaxSize(3), event.list().ofMinSize(5).ofMaxSize(80))
                .as(Scenario::new);
    }

    /** A director with the scenario's services. */
    static final class World {
        final DirectorHarness h = new DirectorHarness();
        final List<VirtualService> services = new ArrayList<>();
        final List<Svc> specs;

        World(List<Svc> specs) {
            this.specs = specs;
            for (int i = 0; i < specs.size(); i++) {
                Svc s = specs.get(i);
                ServiceKey key = ServiceKey.of(s.protocol(), IpAddr.parse(s.v6() ? VIP6 : VIP), 1000 + i);
                VirtualService svc = new VirtualService(key, SchedulerRegistry.create(s.scheduler()),
                        s.persistentSec() > 0 ? VirtualService.F_PERSISTENT : 0, s.persistentSec(),
                        s.v6() ? 128 : -1, null);
                assertThat(h.services.add(svc)).isTrue();
                for (int r = 0; r < s.rs().size(); r++) {
                    String addr = s.v6() ? RS6S[s.rs().get(r)] : RS4[s.rs().get(r)];
                    int port = s.method() == FwdMethod.MASQ ? 2000 + r : 1000 + i;
                    add(svc, addr, port, s.method(), s.weights().get(r));
                }
                services.add(svc);
            }
        }

        String client(Svc s, int c) { return s.v6() ? "2001:db8:100::" + (0x10 + c) : "198.51.100." + (10 + c); }

        /** The packet of an event, or null when it has none to send (a reply without a NAT connection). */
        byte[] packet(Event e) {
            Svc s = specs.get(e.service() % specs.size());
            int index = e.service() % specs.size();
            String client = client(s, e.client()), vip = s.v6() ? VIP6 : VIP;
            int cport = 40000 + e.port(), vport = 1000 + index;
            if (e.kind() == 0) return l4(ip(fromClient(), client, vip), s.protocol(), cport, vport, e).build();
            int c = lookup(s, client, cport, vport);
            if (c == ConnTable.NONE || (h.conns.flags(c) & ConnFlags.FWD_MASK) != ConnFlags.MASQ) return null;
            String rs = addr(h.conns.daf(c), h.conns.daddrHi(c), h.conns.daddrLo(c));
            return l4(ip(fromRs(RS1_MAC), rs, client), s.protocol(), h.conns.dport(c), cport, e).build();
        }

        int lookup(Svc s, String client, int cport, int vport) {
            IpAddr ca = IpAddr.parse(client), va = IpAddr.parse(s.v6() ? VIP6 : VIP);
            return h.conns.lookupIn(s.v6() ? Flow.AF_INET6 : Flow.AF_INET, s.protocol(), ca.hi(), ca.lo(), cport,
                    va.hi(), va.lo(), vport);
        }

        static PacketBuilder ip(PacketBuilder l2, String src, String dst) {
            return src.contains(":") ? l2.ipv6(src, dst).hopLimit(64) : l2.ipv4(src, dst).ttl(64).id(7).df();
        }

        static PacketBuilder l4(PacketBuilder b, int protocol, int sport, int dport, Event e) {
            return switch (protocol) {
                case TCP -> b.tcp(sport, dport).flags(e.flags()).seq(e.flags() * 1000L).payload("x".repeat(e.chunk()));
                case UDP -> b.udp(sport, dport).payload("datagram " + e.flags());
                default -> b.sctp(sport, dport, e.flags()).chunk(e.chunk(), 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            };
        }

        /** Every real server's counters against the live connections and templates bound to it. */
        void assertCountersMatchTheTable() {
            Map<Integer, int[]> live = new HashMap<>();
            h.conns.forEach(c -> {
                int id = h.conns.destId(c);
                if (id == ConnTable.NONE) return;
                live.computeIfAbsent(id, k -> new int[2])[(h.conns.flags(c) & ConnFlags.TEMPLATE) != 0 ? 1 : 0]++;
            });
            for (VirtualService svc : services) {
                for (RealServer d : svc.dests()) {
                    int[] n = live.getOrDefault(d.id(), new int[2]);
                    assertThat(d.activeConns() + d.inactConns()).as("active + inactive of %s", d).isEqualTo(n[0]);
                    assertThat(d.activeConns()).as("active of %s", d).isGreaterThanOrEqualTo(0);
                    assertThat(d.inactConns()).as("inactive of %s", d).isGreaterThanOrEqualTo(0);
                    assertThat(d.persistConns()).as("persistent of %s", d).isEqualTo(n[1]);
                }
            }
        }

        /** Moves the clock by exactly {@code ms}, running the director's timers every half second as a duty cycle would. */
        void advanceMs(long ms) {
            long end = h.nowNs + ms * 1_000_000L;
            while (h.nowNs < end) {
                h.nowNs = Math.min(end, h.nowNs + 500_000_000L);
                while (h.director.expire(h.nowNs) > 0) { /* drain */ }
            }
        }

        long nowMs() { return h.nowNs / 1_000_000L; }

        void assertEmpty() {
            assertThat(h.conns.size()).as("connections left").isZero();
            for (VirtualService svc : services) {
                for (RealServer d : svc.dests()) {
                    assertThat(d.activeConns() + d.inactConns() + d.persistConns()).as("counters of %s", d).isZero();
                }
            }
        }
    }

    static String addr(int af, long hi, long lo) { return DirectorHarness.addr(af, hi, lo); }

    // ------------------------------------------------------------------------------------- properties

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void everyFrameVerifiesAndCountersFollowTheTable(@ForAll("scenarios") Scenario sc) {
        World w = new World(sc.services());
        int most = 0, sent = 0;
        for (Event e : sc.events()) {
            if (e.kind() == 2) {
                w.advanceMs(e.advanceMs());
            } else {
                byte[] frame = w.packet(e);
                if (frame == null) continue;
                w.h.in(frame, 0);                                   // the harness verifies every frame sent
                assertThat(w.h.tx.frames.size()).isLessThanOrEqualTo(1);
                sent += w.h.tx.frames.size();
            }
            w.assertCountersMatchTheTable();
            most = Math.max(most, w.h.conns.size());
        }
        Statistics.label("most connections at once").collect(most == 0 ? "0" : most < 5 ? "1-4" : most < 15 ? "5-14" : "15+");
        Statistics.label("frames sent").collect(sent == 0 ? "0" : sent < 10 ? "1-9" : "10+");
        w.advanceMs((LONGEST_TIMEOUT_S + 2 * 300 + 61) * 1000L);    // connections, then templates (+60 s while controlling)
        w.assertCountersMatchTheTable();
        w.assertEmpty();
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void expiryRemovesExactlyWhatTimedOut(@ForAll("plainScenarios") Scenario sc) {
        World w = new World(sc.services());
        Map<String, Long> deadlineMs = new HashMap<>();             // flow -> model deadline (ms on the harness clock)
        for (Event e : sc.events()) {
            if (e.kind() == 2) {
                // half the moves land on a deadline of the model, or one millisecond before it
                List<Long> deadlines = deadlineMs.values().stream().sorted().toList();
                long target = w.nowMs() + e.advanceMs();
                if ((e.flags() & 1) != 0 && !deadlines.isEmpty()) {
                    target = deadlines.get(e.advanceMs() % deadlines.size()) - ((e.flags() & 2) != 0 ? 0 : 1);
                }
                if (target > w.nowMs()) w.advanceMs(target - w.nowMs());
                long now = w.nowMs();
                deadlineMs.values().removeIf(d -> d <= now);
                for (Map.Entry<String, Long> m : deadlineMs.entrySet()) {
                    assertThat(liveFlow(w, m.getKey())).as("%s alive until %d, now %d", m.getKey(), m.getValue(), now).isTrue();
                }
                assertThat(w.h.conns.size()).as("connections in the table vs the model").isEqualTo(deadlineMs.size());
                w.assertCountersMatchTheTable();
                continue;
            }
            byte[] frame = w.packet(e);
            if (frame == null) continue;
            Svc s = w.specs.get(e.service() % w.specs.size());
            String key = flowKey(w, e);
            w.h.in(frame, 0);
            int c = connOf(w, key);
            if (c != ConnTable.NONE) {                               // every packet that reaches a connection restarts its timer
                deadlineMs.put(key, w.nowMs() + timeoutSeconds(s.protocol(), w.h.conns.state(c)) * 1000L);
            } else {
                deadlineMs.remove(key);
            }
            assertThat(w.h.conns.size()).isEqualTo(deadlineMs.size());
        }
        w.advanceMs((LONGEST_TIMEOUT_S + 1) * 1000L);
        w.assertEmpty();
    }

    private static String flowKey(World w, Event e) {
        int index = e.service() % w.specs.size();
        return index + "/" + e.client() + "/" + e.port();
    }

    private static int connOf(World w, String key) {
        String[] k = key.split("/");
        int index = Integer.parseInt(k[0]);
        Svc s = w.specs.get(index);
        return w.lookup(s, w.client(s, Integer.parseInt(k[1])), 40000 + Integer.parseInt(k[2]), 1000 + index);
    }

    private static boolean liveFlow(World w, String key) { return connOf(w, key) != ConnTable.NONE; }

    static int timeoutSeconds(int protocol, int state) {
        return switch (protocol) {
            case TCP -> TCP_TIMEOUTS[state];
            case UDP -> UDP_TIMEOUT;
            default -> SCTP_TIMEOUTS[state];
        };
    }

    // ---------------------------------------------------------------------------- NAT is its own inverse

    record NatFlow(boolean v6, int protocol, int clientHost, int cport, int vport, int dport, int ttl, int id,
                   boolean df, boolean noUdpChecksum, byte[] request, byte[] answer) {
        String client() { return v6 ? "2001:db8:100::" + Integer.toHexString(clientHost) : "198.51.100." + (clientHost % 250 + 2); }

        String vip() { return v6 ? VIP6 : VIP; }

        String rs() { return v6 ? RS6 : RS1; }

        String rsMac() { return v6 ? RS6_MAC : RS1_MAC; }

        PacketBuilder ip(PacketBuilder l2, String src, String dst, int t, int ident) {
            if (v6) return l2.ipv6(src, dst).hopLimit(t);
            PacketBuilder b = l2.ipv4(src, dst).ttl(t).id(ident);
            return df ? b.df() : b;
        }

        /**
         * The opening packet (SYN, datagram, INIT) with the request as payload; {@code sent} as the client sends it
         * (an IPv4 datagram maybe without a checksum: NAT then computes one in full, {@code udp_dnat_handler}).
         */
        PacketBuilder open(PacketBuilder b, int sport, int dport, boolean sent) {
            return switch (protocol) {
                case TCP -> b.tcp(sport, dport).syn().seq(cport).payload(request);
                case UDP -> sent && noUdpChecksum && !v6 ? b.udp(sport, dport).noChecksum().payload(request) : b.udp(sport, dport).payload(request);
                default -> b.sctp(sport, dport, 0).init(cport, 65535, 1, 1, 1);
            };
        }

        /** The real server's answer. */
        PacketBuilder answer(PacketBuilder b, int sport, int dport) {
            return switch (protocol) {
                case TCP -> b.tcp(sport, dport).syn().ack().seq(dport).ackSeq(cport + 1L).payload(answer);
                case UDP -> b.udp(sport, dport).payload(answer);
                default -> b.sctp(sport, dport, cport).chunk(0, 3, answer);
            };
        }
    }

    @Provide
    Arbitrary<NatFlow> natFlows() {
        // client port 20 is never scheduled (ip_vs_schedule: "Never schedule Active FTPDATA connections")
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(TCP, UDP, SCTP),
                        Arbitraries.integers().between(1, 0xFFFF), Arbitraries.integers().between(1, 0xFFFF).filter(p -> p != 20),
                        Arbitraries.integers().between(1, 0xFFFF), Arbitraries.integers().between(1, 0xFFFF),
                        Arbitraries.integers().between(2, 255), Arbitraries.integers().between(0, 0xFFFF))
                .flatAs((v6, p, host, cp, vp, dp, ttl, id) -> Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(false, true),
                                Arbitraries.bytes().array(byte[].class).ofMaxSize(1000), Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(1000))
                        .as((df, nocsum, req, ans) -> new NatFlow(v6, p, host, cp, vp, dp, ttl, id, df, nocsum, req, ans)));
    }

    @Property(tries = 500)
    void aNatReplyIsTheExactInverseOfItsRequest(@ForAll("natFlows") NatFlow f) {
        DirectorHarness h = new DirectorHarness();
        VirtualService svc = h.service(ServiceKey.of(f.protocol(), IpAddr.parse(f.vip()), f.vport()), "rr");
        add(svc, f.rs(), f.dport(), FwdMethod.MASQ, 1);

        assertThat(h.in(f.open(f.ip(fromClient(), f.client(), f.vip(), f.ttl(), f.id()), f.cport(), f.vport(), true).build(), 0))
                .isEqualTo(Verdict.TX);
        byte[] dnat = f.open(f.ip(PacketBuilder.eth(DIRECTOR_MAC, f.rsMac()), f.client(), f.rs(), f.ttl() - 1, f.id()), f.cport(), f.dport(), false).build();
        assertThat(hexFrames(h.tx.frames)).as("client -> VIP:vport arrives as client -> rs:dport").containsExactly(io.jlvs.testkit.Vector.hex(dnat));

        assertThat(h.in(f.answer(f.ip(fromRs(f.rsMac()), f.rs(), f.client(), f.ttl(), f.id() ^ 0x5A5A), f.dport(), f.cport()).build(), 0))
                .isEqualTo(Verdict.TX);
        byte[] snat = f.answer(f.ip(PacketBuilder.eth(DIRECTOR_MAC, GW_MAC), f.vip(), f.client(), f.ttl() - 1, f.id() ^ 0x5A5A), f.vport(), f.cport()).build();
        assertThat(hexFrames(h.tx.frames)).as("rs:dport -> client arrives as VIP:vport -> client").containsExactly(io.jlvs.testkit.Vector.hex(snat));
    }
}
