package io.jlvs.xmit;

import io.jlvs.packet.NetworkOrder;
import io.jlvs.packet.Checksums;
import io.jlvs.packet.Crc32c;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;
import io.jlvs.packet.SctpView;
import io.jlvs.packet.TcpView;
import io.jlvs.packet.UdpView;

import java.lang.foreign.MemorySegment;

/**
 * The address and port rewrite of a NAT connection's packet, IP header and upper layer, as IPVS's
 * {@code ip_vs_nat_xmit} / {@code handle_response} with the protocols' {@code dnat_handler} and
 * {@code snat_handler} ({@code ip_vs_proto_tcp.c}, {@code ip_vs_proto_udp.c}, {@code ip_vs_proto_sctp.c}):
 *
 * <ul>
 * <li>IPv4 header: the address, and the header checksum updated for it (RFC 1624; on a header that verified,
 *     the value {@code ip_send_check} recomputes).</li>
 * <li>TCP: the port; the checksum updated incrementally for the address and the port
 *     ({@code tcp_fast_csum_update}, RFC 1624), or, when partial, for the address in the pseudo-header sum
 *     only ({@code tcp_partial_csum_update}).</li>
 * <li>UDP: as TCP when the checksum is not 0 (a result of 0 is sent as 0xFFFF, {@code CSUM_MANGLED_0});
 *     a checksum of 0 (none, over IPv4) is <em>computed in full</em>: {@code udp_dnat_handler} takes its
 *     "full checksum calculation" branch whenever {@code udph->check == 0}. A fragment keeps its 0 (its
 *     checksum covers octets that are not here).</li>
 * <li>SCTP: no pseudo-header, so an address change leaves the CRC32c alone; the port, and the CRC32c computed
 *     over the whole packet, only when the port changes or the checksum is partial ("only update csum if we
 *     really have to"). A fragment whose port must change cannot be fixed up: dropped.</li>
 * <li>Other protocols (AH, ESP, GRE...: IPVS has no handler) and non-first fragments: the IP header only.
 *     ICMPv6 (which IPVS never NATs: it has no ICMP protocol handler) gets its pseudo-header change folded
 *     into its checksum, so it stays valid.</li>
 * </ul>
 * One per transmitter (it owns its views); no allocation.
 */
final class L4Nat {
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();
    private final TcpView tcp = new TcpView();
    private final UdpView udp = new UdpView();
    private final SctpView sctp = new SctpView();

    /**
     * Rewrites the destination ({@code dst}, DNAT) or source (SNAT) address and port of the frame's packet.
     *
     * @return {@link Verdict#TX} (done) or a drop code
     */
    int rewrite(Frame f, boolean dst, long newHi, long newLo, int newPort) {
        MemorySegment seg = f.segment();
        long oldHi, oldLo;
        if (f.isV6()) {
            ip6.wrap(seg, f.l3Offset());
            oldHi = dst ? ip6.dstHi() : ip6.srcHi();
            oldLo = dst ? ip6.dstLo() : ip6.srcLo();
            if (dst) ip6.dst(newHi, newLo); else ip6.src(newHi, newLo);
        } else {
            ip4.wrap(seg, f.l3Offset());
            oldHi = 0;
            oldLo = (dst ? ip4.dst() : ip4.src()) & 0xFFFF_FFFFL;
            if (dst) ip4.dst((int) newLo); else ip4.src((int) newLo);
            ip4.checksum(Checksums.update32(ip4.checksum(), (int) oldLo, (int) newLo));
        }
        if (!f.l4HeaderPresent()) return Verdict.TX;         // non-first fragment, or no header we know
        return switch (f.protocol()) {
            case IpProto.IPPROTO_TCP -> tcp(f, dst, oldHi, oldLo, newHi, newLo, newPort);
            case IpProto.IPPROTO_UDP -> udp(f, dst, oldHi, oldLo, newHi, newLo, newPort);
            case IpProto.IPPROTO_SCTP -> sctp(f, dst, newPort);
            case IpProto.IPPROTO_ICMPV6 -> icmpv6(f, oldHi, oldLo, newHi, newLo);
            default -> Verdict.TX;
        };
    }

    private int tcp(Frame f, boolean dst, long oldHi, long oldLo, long newHi, long newLo, int newPort) {
        tcp.wrap(f.segment(), f.l4Offset());
        int oldPort = dst ? tcp.dstPort() : tcp.srcPort();
        if (dst) tcp.dstPort(newPort); else tcp.srcPort(newPort);
        int c = tcp.checksum();
        if (f.checksumPartial()) {
            c = f.isV6() ? PartialChecksum.update128(c, oldHi, oldLo, newHi, newLo)
                    : PartialChecksum.update32(c, (int) oldLo, (int) newLo);
        } else {
            c = f.isV6() ? Checksums.update128(c, oldHi, oldLo, newHi, newLo)
                    : Checksums.update32(c, (int) oldLo, (int) newLo);
            c = Checksums.update16(c, oldPort, newPort);
        }
        tcp.checksum(c);
        return Verdict.TX;
    }

    private int udp(Frame f, boolean dst, long oldHi, long oldLo, long newHi, long newLo, int newPort) {
        MemorySegment seg = f.segment();
        udp.wrap(seg, f.l4Offset());
        int oldPort = dst ? udp.dstPort() : udp.srcPort();
        if (dst) udp.dstPort(newPort); else udp.srcPort(newPort);
        int c = udp.checksum();
        if (f.checksumPartial()) {
            udp.checksum(f.isV6() ? PartialChecksum.update128(c, oldHi, oldLo, newHi, newLo)
                    : PartialChecksum.update32(c, (int) oldLo, (int) newLo));
        } else if (c != UdpView.NO_CHECKSUM) {
            c = f.isV6() ? Checksums.update128(c, oldHi, oldLo, newHi, newLo)
                    : Checksums.update32(c, (int) oldLo, (int) newLo);
            udp.checksum(Checksums.udpWire(Checksums.update16(c, oldPort, newPort)));
        } else if (!f.fragment()) {
            int len = (int) (f.l3End() - f.l4Offset());
            int full;
            if (f.isV6()) {
                full = Checksums.transport6(seg, f.l4Offset(), len, ip6.srcHi(), ip6.srcLo(), ip6.dstHi(), ip6.dstLo(),
                        IpProto.IPPROTO_UDP);
            } else {
                full = Checksums.transport4(seg, f.l4Offset(), len, ip4.src(), ip4.dst(), IpProto.IPPROTO_UDP);
            }
            udp.checksum(Checksums.udpWire(full));
        }
        return Verdict.TX;
    }

    private int sctp(Frame f, boolean dst, int newPort) {
        MemorySegment seg = f.segment();
        sctp.wrap(seg, f.l4Offset());
        int oldPort = dst ? sctp.dstPort() : sctp.srcPort();
        if (oldPort == newPort && !f.checksumPartial()) return Verdict.TX;
        if (f.fragment()) return DropReason.FRAGMENT_UNSUPPORTED.code();
        if (dst) sctp.dstPort(newPort); else sctp.srcPort(newPort);
        sctp.checksum(Crc32c.sctp(seg, f.l4Offset(), f.l3End() - f.l4Offset()));
        f.csumStart = Frame.CSUM_COMPLETE;
        return Verdict.TX;
    }

    private int icmpv6(Frame f, long oldHi, long oldLo, long newHi, long newLo) {
        if (f.checksumPartial()) return Verdict.TX;
        MemorySegment seg = f.segment();
        long field = f.l4Offset() + 2;
        NetworkOrder.u16(seg, field, Checksums.update128(NetworkOrder.u16(seg, field), oldHi, oldLo, newHi, newLo));
        return Verdict.TX;
    }
}
