package io.jlvs.director;

import io.jlvs.app.Apps;
import io.jlvs.app.FtpHelper;
import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.conn.ExpiryHandler;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.Flow;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;
import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.PacketParser;
import io.jlvs.packet.SctpView;
import io.jlvs.pe.PeDataTable;
import io.jlvs.pe.PersistenceEngine;
import io.jlvs.pe.SipPersistenceEngine;
import io.jlvs.proto.ConnStates;
import io.jlvs.proto.L4Protocol;
import io.jlvs.proto.PortReuse;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.proto.Protocols;
import io.jlvs.proto.SctpProtocol;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceTable;
import io.jlvs.service.VirtualService;
import io.jlvs.stats.Stats;
import io.jlvs.xmit.BypassXmit;
import io.jlvs.xmit.DirectRouteXmit;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.IcmpErrors;
import io.jlvs.xmit.IcmpNat;
import io.jlvs.xmit.IpIdent;
import io.jlvs.xmit.LocalNodeXmit;
import io.jlvs.xmit.NatXmit;
import io.jlvs.xmit.NextHops;
import io.jlvs.xmit.TunnelXmit;
import io.jlvs.xmit.TxPort;
import io.jlvs.xmit.Verdict;
import io.jlvs.xmit.XmitConn;

import java.lang.foreign.MemorySegment;
import java.util.function.IntPredicate;

/**
 * The director's packet spine: every frame goes through {@link #ingress}, which reads top to bottom as IPVS's
 * {@code ip_vs_out_hook} followed by {@code ip_vs_in_hook} ({@code net/netfilter/ipvs/ip_vs_core.c}):
 *
 * <ol>
 *   <li>parse (a malformed frame is a counted {@link DropReason});</li>
 *   <li>ICMP errors: find the connection the quoted packet belongs to and relay the error ({@link #icmp});</li>
 *   <li>replies of NAT connections (a real server answering a client): SNAT back to the virtual service;</li>
 *   <li>connection lookup in the client-to-service direction; a new-connection packet on a connection in
 *       TIME_WAIT/CLOSE reschedules it ({@code conn_reuse_mode}); a connection whose real server was removed is
 *       expired or dropped ({@code expire_nodest_conn});</li>
 *   <li>on a miss: the service (fwmark, then protocol/address/port, FTP and port-zero rules), and only for a
 *       packet that may open a connection (TCP SYN without RST, SCTP INIT, any UDP; the sloppy options): the
 *       scheduler, with persistence templates ({@code ip_vs_sched_persist}), and a new connection bound to the
 *       real server; no real server: {@code ip_vs_leave} (cache bypass, or ICMP port unreachable);</li>
 *   <li>statistics, the protocol state transition (counters move between active and inactive), the
 *       transmitter of the connection's forwarding method, and the connection's timer. A NAT connection with an
 *       application helper (FTP's control connection, {@link Apps}) has each packet shown to it on the way
 *       through, and an FTP passive data connection learns its client port there ({@code ip_vs_nat_xmit}).</li>
 * </ol>
 *
 * <p>One director per data-plane thread: it owns its parser, scratch holders and connection table (single
 * writer). No I/O: frames come in as {@link Frame}s and leave through {@link TxPort}s, so every rule runs on an
 * in-memory network. No allocation per packet (creating a connection writes into the preallocated table;
 * a real server seen for the first time is registered once).
 */
public final class Director {
    /** Verdict: not the director's business (IPVS's NF_ACCEPT): the host stack may have the frame. */
    public static final int PASS = -3;

    private static final int NONE = ConnTable.NONE;
    private static final int FTPPORT = 21, FTPDATA = 20;
    private static final int EXPIRE_LATER_MS = 60_000;
    private static final long SCHEDULER_TIMER_NS = 1_000_000_000L;

    private final DirectorConfig cfg;
    private final ServiceTable services;
    private final ConnTable conns;
    private final ConnStates states;
    private final TxPort tx;

    private final NatXmit nat;
    private final DirectRouteXmit directRoute;
    private final TunnelXmit tunnel;
    private final LocalNodeXmit localNode;
    private final BypassXmit bypass;
    private final IcmpNat icmpNat;
    private final IcmpErrors icmpErrors;
    private final Apps apps;

    private final PacketParser parser = new PacketParser();
    private final Flow flow = new Flow();
    private final XmitConn xc = new XmitConn();
    private final Ipv4View quoted4 = new Ipv4View();
    private final Ipv6View quoted6 = new Ipv6View();
    /** Real servers by {@link RealServer#id()} (ids are small and dense): what connection records point to. */
    private RealServer[] destsById = new RealServer[64];
    private final ExpiryHandler expiryHandler = this::expireOne;

    private final Stats total = new Stats();
    private final long[] drops = new long[DropReason.COUNT];
    private long passed, transmitted, delivered;
    private long nowNs;
    private long nextSchedulerTimerNs;
    /** The defence switches in effect ({@code ipvs->dropentry}, {@code ipvs->secure_tcp} in use). */
    private boolean dropEntryActive, secureTcpActive;
    private final int[] dropEntryCounters = new int[8];
    private long randomState = 0x9E3779B97F4A7C15L ^ System.nanoTime();
    private long defenseDrops;
    /** Set by {@link #schedule} when it returns {@link ConnTable#NONE}: what became of the packet. */
    private int leaveVerdict;

    // persistence engines (--pe): one instance each per director, and the pe_data of their templates
    private final SipPersistenceEngine sip = new SipPersistenceEngine();
    private final PeDataTable peData = new PeDataTable();

    public Director(DirectorConfig cfg, ServiceTable services, ConnTable conns, ProtocolTimeouts timeouts,
                    NextHops hops, TxPort tx, TxPort local) {
        this.cfg = cfg;
        this.services = services;
        this.conns = conns;
        this.states = new ConnStates(timeouts);
        this.tx = tx;
        IpIdent ident = new IpIdent();
        this.icmpErrors = new IcmpErrors(hops).ident(ident);
        this.nat = new NatXmit(hops, icmpErrors, ident, local);
        this.directRoute = new DirectRouteXmit(hops, icmpErrors, ident, local);
        this.tunnel = new TunnelXmit(hops, icmpErrors, ident, local);
        this.localNode = new LocalNodeXmit(local);
        this.bypass = new BypassXmit(hops, icmpErrors, ident);
        this.icmpNat = new IcmpNat(hops, icmpErrors, ident, local);
        this.apps = new Apps(conns, timeouts, this::appConn).register(new FtpHelper());   // ip_vs_ftp, ports=21
    }

    /** The application helpers (ip_vs_app): FTP on port 21 unless changed; register or unregister between packets. */
    public Apps apps() { return apps; }

    /** {@link #ingress(Frame, int)} without a firewall mark. */
    public int ingress(Frame f) { return ingress(f, 0); }

    /**
     * One frame, as IPVS's hooks see it.
     *
     * @param fwmark the frame's firewall mark (0: none)
     * @return {@link Verdict#TX} (queued on the TX port), {@link Verdict#LOCAL} (delivered to the local stack),
     *         {@link #PASS}, or the {@link DropReason#code()} of why it was dropped
     */
    public int ingress(Frame f, int fwmark) {
        int r = f.parse(parser, flow);
        if (r != PacketParser.OK) return r == PacketParser.ARP ? pass() : drop(r);
        nowNs = f.nowNs;
        flow.nowNs = nowNs;
        flow.fwmark = fwmark;
        int proto = flow.protocol;
        if (proto == IpProto.IPPROTO_ICMP || proto == IpProto.IPPROTO_ICMPV6) return icmp(f);
        L4Protocol pp = Protocols.of(proto);
        if (pp == null) return pass();
        if (f.nonFirstFragment()) {
            return services.isVirtualAddress(flow.af, flow.dstHi, flow.dstLo)
                    ? drop(DropReason.NONFIRST_FRAGMENT.code()) : pass();
        }
        int af = flow.af;
        int ev = eventBits(pp);

        // ip_vs_out_hook: a real server's reply on a NAT connection (never addressed to a VIP: skip the lookup then)
        int c;
        if (!services.isVirtualAddress(af, flow.dstHi, flow.dstLo)) {
            c = conns.lookupOut(af, proto, flow.srcHi, flow.srcLo, flow.srcPort, flow.dstHi, flow.dstLo, flow.dstPort);
            if (c != NONE && (conns.flags(c) & ConnFlags.FWD_MASK) == ConnFlags.MASQ) return reply(f, pp, c, ev);
        }

        // ip_vs_in_hook
        c = conns.lookupIn(af, proto, flow.srcHi, flow.srcLo, flow.srcPort, flow.dstHi, flow.dstLo, flow.dstPort);
        if (c != NONE && pp.opensConnection(ev)) {
            RealServer d = dest(c);
            int decision = PortReuse.decide(proto, conns.state(c), conns.flags(c), conns.control(c) != NONE,
                    conns.nControl(c) > 0, cfg.connReuseMode, cfg.expireNodestConn, d != null && d.weight() == 0, false);
            if ((decision & PortReuse.ACTION_MASK) == PortReuse.RESCHEDULE) {
                if ((decision & PortReuse.EXPIRE_OLD) != 0) expireImmediately(c);
                else conns.unhash(c);                         // still controls others: lives on, unfound by key
                c = NONE;
            }
        }
        RealServer d = c != NONE ? dest(c) : null;
        if (d != null && !d.isAvailable()) {
            if (!cfg.expireNodestConn) return drop(DropReason.DEST_UNAVAILABLE.code());
            expireImmediately(c);
            c = NONE;
        }
        if (c == NONE) {
            VirtualService svc = services.lookup(flow);
            if (svc == null) return pass();
            if (!pp.schedulesNew(ev, proto == IpProto.IPPROTO_TCP ? cfg.sloppyTcp : cfg.sloppySctp)) return pass();
            c = schedule(svc, f);
            if (c == NONE) return leaveVerdict;
            d = dest(c);
        }

        if (d != null && d.isAvailable()) Stats.countIn(d.stats(), d.service().stats(), total, f.l3Length());
        transition(c, pp, L4Protocol.DIR_INPUT, ev, d);
        int v = transmit(f, c, d);
        conns.incInPkts(c);
        if ((conns.flags(c) & ConnFlags.ONE_PACKET) != 0) release(c);
        return v;
    }

    /** {@code handle_response}: statistics, OUTPUT transition, SNAT to the client. */
    private int reply(Frame f, L4Protocol pp, int c, int ev) {
        int state = conns.state(c);                             // a helper sees it before this packet's transition
        RealServer d = dest(c);
        if (d != null && d.isAvailable()) Stats.countOut(d.stats(), d.service().stats(), total, f.l3Length());
        transition(c, pp, L4Protocol.DIR_OUTPUT, ev, d);
        fill(c, d);
        xc.app = apps.hook(c, state);
        return count(nat.reply(f, xc, tx));
    }

    /**
     * {@code ip_vs_schedule}: a new connection for the packet in {@link #flow}, or {@link ConnTable#NONE} with
     * {@link #leaveVerdict} set.
     */
    private int schedule(VirtualService svc, Frame f) {
        if (flow.srcPort == FTPDATA) {                          // never schedule active FTP data from a real server
            leaveVerdict = pass();
            return NONE;
        }
        if (svc.isPersistent()) return schedulePersistent(svc, f);
        if (!svc.key().isFwmark() && flow.dstPort != svc.key().port()) {
            leaveVerdict = leave(svc, f);                       // port-zero or FTP-rule match without persistence
            return NONE;
        }
        RealServer d = svc.scheduler().schedule(svc, flow);
        if (d == null) {
            leaveVerdict = leave(svc, f);
            return NONE;
        }
        int c = newConn(flow.protocol, flow.srcHi, flow.srcLo, flow.srcPort, flow.dstHi, flow.dstLo, flow.dstPort,
                d, d.port() != 0 ? d.port() : flow.dstPort, onePacket(svc));
        if (c == NONE) {
            leaveVerdict = drop(DropReason.CONN_TABLE_FULL.code());
            return NONE;
        }
        Stats.countConn(d.stats(), svc.stats(), total);
        return c;
    }

    /**
     * {@code ip_vs_sched_persist}: find or make the template {@code <proto, caddr & mask, 0, vaddr, vport>} (FTP
     * service and port-zero match: vport 0; fwmark service: {@code <IPPROTO_IP, caddr & mask, 0, fwmark, 0>}),
     * then a connection on the template's real server, controlled by the template. With a persistence engine
     * ({@code --pe sip}) the engine's key from the packet is part of the template's key ({@code fill_param},
     * {@code ct_match}; its hash in the template's cport, see {@link SipPersistenceEngine}); no key: dropped.
     * Using a template restarts its timer ({@code ip_vs_conn_put(ct)}).
     */
    private int schedulePersistent(VirtualService svc, Frame f) {
        int af = svc.af();
        long snHi, snLo;
        if (af == Flow.AF_INET6) {
            int prefix = svc.netmask();
            snHi = prefix >= 64 ? flow.srcHi : prefix == 0 ? 0 : flow.srcHi & (-1L << (64 - prefix));
            snLo = prefix >= 128 ? flow.srcLo : prefix <= 64 ? 0 : flow.srcLo & (-1L << (128 - prefix));
        } else {
            snHi = 0;
            snLo = flow.srcLo & (svc.netmask() & 0xFFFF_FFFFL);
        }
        int svcPort = svc.key().port();
        int dstPort = flow.dstPort;
        boolean fwmarkTemplate = false;
        int tvport = 0;
        if (dstPort == svcPort) {
            if (svcPort != FTPPORT) tvport = dstPort;
        } else if (svc.key().isFwmark()) {
            fwmarkTemplate = true;
        }
        int tproto = fwmarkTemplate ? ConnTable.IPPROTO_IP : flow.protocol;
        long tvaHi = fwmarkTemplate ? 0 : flow.dstHi;
        long tvaLo = fwmarkTemplate ? svc.key().fwmark() & 0xFFFF_FFFFL : flow.dstLo;
        PersistenceEngine pe = engine(svc);
        int tcport = 0;
        IntPredicate ctMatch = null;
        if (pe != null) {
            if (!pe.fillParam(flow.protocol, f.segment(), f.l4Offset(), f.l3End())) {
                leaveVerdict = drop(DropReason.NO_PE_DATA.code());
                return NONE;
            }
            tcport = pe.hashKey();
            ctMatch = peData.matcher(pe);
        }
        int ct = conns.lookupTemplate(af, tproto, snHi, snLo, tcport, tvaHi, tvaLo, tvport, ctMatch);
        RealServer d;
        if (ct == NONE || !templateUsable(ct)) {
            d = svc.scheduler().schedule(svc, flow);
            if (d == null) {
                leaveVerdict = leave(svc, f);
                return NONE;
            }
            int tdport = dstPort == svcPort && svcPort != FTPPORT ? d.port() : 0;
            ct = newConn(tproto, snHi, snLo, tcport, tvaHi, tvaLo, tvport, d, tdport, ConnFlags.TEMPLATE);
            if (ct == NONE) {
                leaveVerdict = drop(DropReason.CONN_TABLE_FULL.code());
                return NONE;
            }
            if (pe != null) peData.bind(ct, pe);
            conns.timeout(ct, svc.timeoutSec() * 1000);
        } else {
            d = dest(ct);
            conns.refresh(ct, nowNs);                          // ip_vs_conn_put(ct): a reused template's timer restarts
        }
        conns.refresh(ct, nowNs);
        int dport = dstPort == svcPort && d.port() != 0 ? d.port() : dstPort;
        int c = newConn(flow.protocol, flow.srcHi, flow.srcLo, flow.srcPort, flow.dstHi, flow.dstLo, dstPort, d, dport,
                onePacket(svc));
        if (c == NONE) {
            leaveVerdict = drop(DropReason.CONN_TABLE_FULL.code());
            return NONE;
        }
        conns.controlAdd(c, ct);
        Stats.countConn(d.stats(), svc.stats(), total);
        return c;
    }

    /** The service's persistence engine ({@code svc->pe}), or null: none, or a name jlvs does not know. */
    private PersistenceEngine engine(VirtualService svc) {
        String name = svc.peName();
        return name != null && name.equals(SipPersistenceEngine.NAME) ? sip : null;
    }

    /** The {@code pe_data} of persistence templates ({@code ipvsadm -Lc --persistent-conn} shows it). */
    public PeDataTable persistenceData() { return peData; }

    /** {@code ip_vs_check_template}: the template's real server may still take its clients; else invalidate it. */
    private boolean templateUsable(int ct) {
        RealServer d = dest(ct);
        if (d != null && d.isAvailable() && !(cfg.expireQuiescentTemplate && d.weight() == 0)) return true;
        conns.invalidateTemplate(ct);
        return false;
    }

    /**
     * {@code ip_vs_leave}: a new connection found no real server. Firewall-mark services with cache_bypass forward
     * to the original destination; packets for other ports of an FTP VIP are left to the host; the rest get ICMP
     * port unreachable and are dropped.
     */
    private int leave(VirtualService svc, Frame f) {
        if (cfg.cacheBypass && svc.key().isFwmark() && !services.isVirtualAddress(flow.af, flow.dstHi, flow.dstLo)) {
            int c = conns.create(flow.af, flow.protocol, flow.srcHi, flow.srcLo, flow.srcPort, flow.dstHi, flow.dstLo,
                    flow.dstPort, flow.af, 0, 0, 0, ConnFlags.BYPASS | ConnFlags.NOOUTPUT | onePacket(svc), NONE,
                    (int) (ConnStates.NEW_CONN_TIMEOUT_NS / 1_000_000), nowNs);
            if (c == NONE) return drop(DropReason.CONN_TABLE_FULL.code());
            L4Protocol pp = Protocols.of(flow.protocol);
            transition(c, pp, L4Protocol.DIR_INPUT, eventBits(pp), null);
            fill(c, null);
            int v = count(bypass.transmit(f, xc, tx));
            conns.incInPkts(c);
            if ((conns.flags(c) & ConnFlags.ONE_PACKET) != 0) release(c);
            return v;
        }
        if (svc.key().port() == FTPPORT && flow.dstPort != FTPPORT) return pass();
        boolean v6 = flow.af == Flow.AF_INET6;
        icmpErrors.send(f, v6 ? 1 : 3, v6 ? 4 : 3, 0, true, tx);   // port unreachable, from the VIP
        return drop(DropReason.NO_REAL_SERVER.code());
    }

    /**
     * ICMP and ICMPv6 ({@code ip_vs_out_icmp}, {@code ip_vs_in_icmp}): an error quoting a packet of a connection
     * is relayed. From the real server's side about a NAT connection: rewritten and sent to the client. From the
     * client's side: rewritten (NAT) or forwarded as is by the connection's transmitter (DR, tunnel). Anything
     * else, echo requests to a VIP included, is the host's.
     */
    private int icmp(Frame f) {
        if (!f.icmpError() || f.fragment()) return pass();
        boolean v6 = flow.af == Flow.AF_INET6;
        if (!v6) {
            int type = parser.icmp().type();
            if (type != 3 && type != 4 && type != 11) return pass();   // unreachable, source quench, time exceeded
        }
        long q = parser.innerL3Offset();
        if (q == PacketParser.NONE) return pass();
        MemorySegment seg = f.segment();
        long end = f.end();
        int qproto, qsport, qdport;
        long qsHi, qsLo, qdHi, qdLo;
        if (v6) {
            if (q + 44 > end) return pass();
            quoted6.wrap(seg, q);
            qproto = quoted6.nextHeader();
            qsHi = quoted6.srcHi(); qsLo = quoted6.srcLo();
            qdHi = quoted6.dstHi(); qdLo = quoted6.dstLo();
            q += 40;
        } else {
            if (q + 20 > end) return pass();
            quoted4.wrap(seg, q);
            int hl = quoted4.headerLength();
            if (hl < 20 || q + hl + 4 > end || quoted4.fragmentOffset() != 0) return pass();
            qproto = quoted4.protocol();
            qsHi = 0; qsLo = quoted4.src() & 0xFFFF_FFFFL;
            qdHi = 0; qdLo = quoted4.dst() & 0xFFFF_FFFFL;
            q += hl;
        }
        L4Protocol pp = Protocols.of(qproto);
        if (pp == null) return pass();
        qsport = NetworkOrder.u16(seg, q);
        qdport = NetworkOrder.u16(seg, q + 2);
        // from the real server's side: it quotes client -> real server
        int c = conns.lookupOut(flow.af, qproto, qdHi, qdLo, qdport, qsHi, qsLo, qsport);
        if (c != NONE && (conns.flags(c) & ConnFlags.FWD_MASK) == ConnFlags.MASQ) {
            RealServer d = dest(c);
            if (d != null && d.isAvailable()) Stats.countOut(d.stats(), d.service().stats(), total, f.l3Length());
            fill(c, d);
            return count(icmpNat.transmitOut(f, xc, tx));
        }
        // from the client's side: it quotes virtual service -> client
        c = conns.lookupIn(flow.af, qproto, qdHi, qdLo, qdport, qsHi, qsLo, qsport);
        if (c == NONE) return pass();
        RealServer d = dest(c);
        if (d != null && d.isAvailable()) Stats.countIn(d.stats(), d.service().stats(), total, f.l3Length());
        if ((conns.flags(c) & ConnFlags.FWD_MASK) == ConnFlags.MASQ) {
            fill(c, d);
            return count(icmpNat.transmitIn(f, xc, tx));
        }
        // ip_vs_in_icmp checks an IPv4 error's checksum before relaying it by any method (IcmpNat checks its own)
        if (!v6 && !parser.icmp().checksumOk(f.l3End() - parser.l4Offset())) {
            return drop(DropReason.BAD_ICMP_CHECKSUM.code());
        }
        return transmit(f, c, d);
    }

    /** The protocol's event for the state table: TCP flags, SCTP chunk types, nothing for UDP. */
    private int eventBits(L4Protocol pp) {
        if (!parser.l4HeaderPresent()) return 0;
        return switch (pp.protocol()) {
            case IpProto.IPPROTO_TCP -> parser.tcp().flags();
            case IpProto.IPPROTO_SCTP -> sctpEvent(parser.sctp());
            default -> 0;
        };
    }

    private int sctpEvent(SctpView s) {
        if (parser.payloadLength() < 4) return SctpProtocol.eventBits(-1, -1);
        int first = s.chunkType();
        int len = (s.chunkLength() + 3) & ~3;
        long next = parser.l4Offset() + 12 + len;
        int nextType = len >= 4 && next < parser.l3End() ? NetworkOrder.u8(s.segment(), next) : -1;
        return SctpProtocol.eventBits(first, nextType);
    }

    /** A connection bound to {@code d}: the dest's forwarding method and flags, counted on the dest. */
    private int newConn(int proto, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport,
                        RealServer d, int dport, int extraFlags) {
        return newConn(proto, caHi, caLo, cport, vaHi, vaLo, vport, d, d.addrHi(), d.addrLo(), dport, extraFlags);
    }

    /** {@link #newConn} to {@code daHi:daLo}, which an application helper may take from the payload. */
    private int newConn(int proto, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport,
                        RealServer d, long daHi, long daLo, int dport, int extraFlags) {
        int fwd = d.fwdMethod().code;
        int flags = extraFlags | fwd | ConnFlags.INACTIVE | (fwd != ConnFlags.MASQ ? ConnFlags.NOOUTPUT : 0);
        if (proto != IpProto.IPPROTO_UDP) flags &= ~ConnFlags.ONE_PACKET;
        int c = conns.create(flow.af, proto, caHi, caLo, cport, vaHi, vaLo, vport, d.af(), daHi, daLo, dport,
                flags, d.id(), (int) (ConnStates.NEW_CONN_TIMEOUT_NS / 1_000_000), nowNs);
        if (c == NONE) return NONE;
        apps.bind(c);                                           // ip_vs_bind_app (NAT connections on a helper's port)
        register(d);
        if ((flags & ConnFlags.TEMPLATE) != 0) d.bindTemplate(); else d.bindConn(false);
        return c;
    }

    /**
     * {@link io.jlvs.app.ConnFactory} for the helpers: {@code ip_vs_conn_new} on the control connection's real server
     * (not counted as a scheduled connection, as the kernel does not), then {@code ip_vs_control_add}.
     */
    private int appConn(int ctl, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport,
                        long daHi, long daLo, int dport, int flags) {
        RealServer d = dest(ctl);
        if (d == null) return NONE;
        int c = newConn(conns.protocol(ctl), caHi, caLo, cport, vaHi, vaLo, vport, d, daHi, daLo, dport, flags);
        if (c != NONE) conns.controlAdd(c, ctl);
        return c;
    }

    private static int onePacket(VirtualService svc) {
        return svc.isOnePacket() ? ConnFlags.ONE_PACKET : 0;
    }

    /** The protocol's state machine for one packet; the connection's timer restarts with the state's timeout. */
    private void transition(int c, L4Protocol pp, int direction, int ev, RealServer d) {
        int flags = conns.flags(c);
        states.apply(pp, conns.state(c), flags, direction, ev, secureTcpActive, d);
        if (states.changed) conns.state(c, states.state);
        if (states.flags != flags) conns.flags(c, states.flags);
        conns.timeout(c, (int) (states.timeoutNs / 1_000_000));
        conns.refresh(c, nowNs);
    }

    /** The connection's transmitter, bound by its forwarding method ({@code ip_vs_bind_xmit}). */
    private int transmit(Frame f, int c, RealServer d) {
        int flags = conns.flags(c);
        if ((flags & (ConnFlags.FWD_MASK | ConnFlags.NO_CPORT)) == ConnFlags.NO_CPORT) {
            conns.fillCport(c, flow.srcPort);                   // ip_vs_nat_xmit: FTP passive data learns its port
            flags = conns.flags(c);
        }
        int fwd = flags & ConnFlags.FWD_MASK;
        if (fwd == ConnFlags.MASQ || fwd == ConnFlags.DROUTE) fillDest(c, flags); else fill(c, d);
        if (fwd == ConnFlags.MASQ) xc.app = apps.hook(c, conns.state(c));
        return count(switch (fwd) {
            case ConnFlags.MASQ -> nat.transmit(f, xc, tx);
            case ConnFlags.LOCALNODE -> localNode.transmit(f, xc, tx);
            case ConnFlags.TUNNEL -> tunnel.transmit(f, xc, tx);
            case ConnFlags.DROUTE -> directRoute.transmit(f, xc, tx);
            default -> bypass.transmit(f, xc, tx);
        });
    }

    /**
     * What NAT (client to real server) and DR transmitters read: the families, the real server's address and port,
     * the flags. The client and virtual fields keep an earlier packet's values: those transmitters never read them.
     */
    private void fillDest(int c, int flags) {
        XmitConn x = xc;
        x.af = conns.af(c);
        x.daf = conns.daf(c);
        x.daddrHi = conns.daddrHi(c);
        x.daddrLo = conns.daddrLo(c);
        x.dport = conns.dport(c);
        x.flags = flags;
        x.app = null;
    }

    /** Every field of the connection a transmitter may read, and the real server's tunnel settings. */
    private void fill(int c, RealServer d) {
        fillDest(c, conns.flags(c));
        XmitConn x = xc;
        x.protocol = conns.protocol(c);
        x.caddrHi = conns.caddrHi(c);
        x.caddrLo = conns.caddrLo(c);
        x.cport = conns.cport(c);
        x.vaddrHi = conns.vaddrHi(c);
        x.vaddrLo = conns.vaddrLo(c);
        x.vport = conns.vport(c);
        if (d != null) {
            x.tunType = d.tunType().code;
            x.tunPort = d.tunPort();
            x.tunFlags = d.tunFlags();
        }
    }

    private RealServer dest(int c) {
        int id = conns.destId(c);
        return id >= 0 && id < destsById.length ? destsById[id] : null;
    }

    private void register(RealServer d) {
        int id = d.id();
        if (id >= destsById.length) destsById = java.util.Arrays.copyOf(destsById, Math.max(id + 1, destsById.length * 2));
        destsById[id] = d;
    }

    /** {@code ip_vs_conn_expire_now}: timeout 0, due at once (the expiry handler sees a zero timeout). */
    private void expireNow(int c) {
        conns.timeout(c, 0);
        conns.expireNow(c, nowNs);
    }

    /**
     * {@code ip_vs_conn_expire_now} on the packet path: the old connection leaves the table before a new one with the
     * same key is made (the kernel hashes the new one in front of it and its timer fires at once).
     */
    private void expireImmediately(int c) {
        if (expireOne(c)) conns.remove(c);
        else conns.expireNow(c, nowNs);
    }

    /**
     * {@code ip_vs_conn_del} (drop_entry): as {@link #expireImmediately}, but a controlled connection goes with a zero
     * timeout, so a controller left with nothing to control is dropped too.
     */
    private void deleteNow(int c) {
        if (conns.control(c) != NONE) conns.timeout(c, 0);
        expireImmediately(c);
    }

    /**
     * A one-packet connection is done as soon as its packet is sent: {@code ip_vs_conn_put} calls
     * {@code ip_vs_conn_expire} at once, with the connection's timeout left as the state set it (not zero), so its
     * persistence template stays ({@code has_ref} needs {@code !cp->timeout}): {@code -o} with {@code -p} persists.
     */
    private void release(int c) {
        if (expireOne(c)) conns.remove(c);
        else conns.expireNow(c, nowNs);
    }

    /**
     * Runs the timers due at {@code nowNs}: connection expiry (at most {@link DirectorConfig#expiryWorkLimit}) and,
     * once a second, the schedulers' own timers (lblc/lblcr garbage collection). The duty cycle calls this.
     *
     * @return connections processed
     */
    public int expire(long nowNs) {
        this.nowNs = nowNs;
        int n = conns.expire(nowNs, cfg.expiryWorkLimit, expiryHandler);
        if (nowNs - nextSchedulerTimerNs >= 0) {
            nextSchedulerTimerNs = nowNs + SCHEDULER_TIMER_NS;
            for (VirtualService svc : services.snapshot()) svc.scheduler().expire(svc, nowNs);
            updateDefenseLevel();
            if (dropEntryActive) randomDropEntry();
        }
        return n;
    }

    /**
     * {@code update_defense_level} (run every second): with the connection table as the memory that runs short,
     * modes 1 and 2 of drop_entry and secure_tcp switch themselves on while fewer than
     * {@link DirectorConfig#amemthreshConns} slots are free (the mode reads 2 then) and off again after.
     */
    private void updateDefenseLevel() {
        int thresh = cfg.amemthreshConns > 0 ? cfg.amemthreshConns : Math.max(1, conns.capacity() / 16);
        boolean nomem = conns.capacity() - conns.size() < thresh;
        switch (cfg.dropEntry) {
            case 1, 2 -> {
                dropEntryActive = nomem;
                cfg.dropEntry = nomem ? 2 : 1;
            }
            case 3 -> dropEntryActive = true;
            default -> dropEntryActive = false;
        }
        switch (cfg.secureTcp) {
            case 1, 2 -> {
                secureTcpActive = nomem;
                cfg.secureTcp = nomem ? 2 : 1;
            }
            case 3 -> secureTcpActive = true;
            default -> secureTcpActive = false;
        }
    }

    /**
     * {@code ip_vs_random_dropentry}: look at 1/32 of the table from a random place and drop what a SYN flood
     * leaves: TCP connections in SYN_RECV or SYNACK, SCTP in INIT1 or INIT, templates that are not ASSURED (jlvs
     * marks none ASSURED yet), and, through {@link #toDropEntry}, older established or stateless ones that saw 1 to 8
     * packets. Connections and templates that control others are kept.
     */
    private void randomDropEntry() {
        int cap = conns.capacity();
        int n = Math.max(1, cap >> 5);
        int start = (int) Long.remainderUnsigned(nextRandom(), cap);
        for (int k = 0; k < n; k++) {
            int c = start + k < cap ? start + k : start + k - cap;
            if (!conns.isLive(c) || conns.nControl(c) > 0) continue;
            int flags = conns.flags(c), state = conns.state(c);
            boolean drop;
            if ((flags & ConnFlags.TEMPLATE) != 0) {
                drop = true;                                      // not ASSURED
            } else if (conns.protocol(c) == IpProto.IPPROTO_TCP) {
                drop = state == io.jlvs.proto.TcpProtocol.S_SYN_RECV || state == io.jlvs.proto.TcpProtocol.S_SYNACK
                        || (state == io.jlvs.proto.TcpProtocol.S_ESTABLISHED && toDropEntry(c));
            } else if (conns.protocol(c) == IpProto.IPPROTO_SCTP) {
                drop = state == SctpProtocol.S_INIT1 || state == SctpProtocol.S_INIT
                        || (state == SctpProtocol.S_ESTABLISHED && toDropEntry(c));
            } else {
                drop = toDropEntry(c);
            }
            if (drop) {
                defenseDrops++;
                deleteNow(c);
            }
        }
    }

    /**
     * {@code todrop_entry}: a connection refreshed within the last 60 s is kept; of the others, those that saw 1 to 8
     * packets are dropped at a rate that favours the fewest packets (every one with 1 packet, every 2nd with 2...).
     */
    private boolean toDropEntry(int c) {
        if (conns.timeoutMs(c) - conns.expiresInMs(c, nowNs) < 60_000) return false;
        int i = conns.inPkts(c);
        if (i > 8 || i < 1) return false;
        i--;
        if (--dropEntryCounters[i] > 0) return false;
        dropEntryCounters[i] = i + 1;
        return true;
    }

    private long nextRandom() {
        long x = randomState;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        randomState = x;
        return x;
    }

    /** Seeds drop_entry's random start (tests). */
    void seedRandom(long seed) { randomState = seed == 0 ? 1 : seed; }

    /** Connections dropped by drop_entry. */
    public long defenseDrops() { return defenseDrops; }

    /** Is the SYN-flood state table in use now (secure_tcp 3, or 1/2 with the table short of room)? */
    public boolean secureTcpActive() { return secureTcpActive; }

    /** Is drop_entry dropping now? */
    public boolean dropEntryActive() { return dropEntryActive; }

    /**
     * {@code ip_vs_conn_expire}: a connection or template whose timer ran out. A template that still controls
     * connections lives on for 60 s more; otherwise the connection leaves its controller (a controller expired
     * at once and left with nothing to control goes too), and its real server's counters drop.
     *
     * @return true to remove it from the table
     */
    private boolean expireOne(int c) {
        if (conns.nControl(c) > 0) {
            conns.timeout(c, EXPIRE_LATER_MS);
            conns.refresh(c, nowNs);
            return false;
        }
        int ct = conns.control(c);
        if (ct != NONE) {
            boolean expiredNow = conns.timeoutMs(c) == 0;
            conns.controlDel(c);
            if (expiredNow && conns.nControl(ct) == 0 && conns.isLive(ct)) expireNow(ct);
        }
        apps.unbind(c);                                         // ip_vs_unbind_app
        if ((conns.flags(c) & ConnFlags.TEMPLATE) != 0) peData.release(c);
        unbind(c);
        return true;
    }

    /** {@code ip_vs_unbind_dest}: the connection no longer counts on its real server. */
    private void unbind(int c) {
        RealServer d = dest(c);
        if (d == null) return;
        int flags = conns.flags(c);
        if ((flags & ConnFlags.TEMPLATE) != 0) d.unbindTemplate();
        else d.unbindConn((flags & ConnFlags.INACTIVE) == 0);
    }

    private int pass() {
        passed++;
        return PASS;
    }

    private int drop(int reason) {
        drops[reason]++;
        return reason;
    }

    private int count(int verdict) {
        if (verdict == Verdict.TX) transmitted++;
        else if (verdict == Verdict.LOCAL) delivered++;
        else if (verdict >= 0) drops[verdict]++;
        return verdict;
    }

    /** The total traffic counters (IPVS's {@code tot_stats}). */
    public Stats totalStats() { return total; }

    /** Frames dropped for {@code reason}. */
    public long drops(DropReason reason) { return drops[reason.code()]; }

    public long passed() { return passed; }
    public long transmitted() { return transmitted; }
    public long delivered() { return delivered; }
    public ConnTable connections() { return conns; }
    public ServiceTable services() { return services; }
    public IcmpErrors icmpErrors() { return icmpErrors; }

    /** The real server a connection is bound to, or null (bypass, or never seen). */
    public RealServer destOf(int conn) { return dest(conn); }

    /**
     * Ends every connection and template now, as if each timed out: counters return to zero (benchmarks and tests
     * between rounds; IPVS has no ipvsadm command for this).
     */
    public void flushConnections() {
        conns.flush(c -> {
            apps.unbind(c);
            if ((conns.flags(c) & ConnFlags.TEMPLATE) != 0) peData.release(c);
            unbind(c);
            return true;
        });
    }
}
