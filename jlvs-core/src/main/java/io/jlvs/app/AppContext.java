package io.jlvs.app;

import io.jlvs.conn.ConnTable;
import io.jlvs.packet.Checksums;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;
import io.jlvs.packet.TcpView;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.proto.TcpProtocol;
import io.jlvs.xmit.Frame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What a helper sees of one packet of its connection and may do about it: the payload (segment offsets
 * {@link #payloadOffset()} to {@link #payloadEnd()}), the connection and its state as the packet found it, the
 * helper's word ({@code cp->app_data}), the payload rewrite ({@link #replace}, IPVS's {@code ip_vs_skb_replace} /
 * conntrack's {@code nf_nat_mangle_tcp_packet}), and new connections tied to this one ({@link #newConn},
 * {@link #listen}). One per {@link Apps}, rewrapped for every packet.
 */
public final class AppContext {
    private final ConnTable conns;
    private final SeqAdjust seq;
    private final ProtocolTimeouts timeouts;
    private final ConnFactory factory;
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();
    private final TcpView tcp = new TcpView();

    private Frame f;
    private MemorySegment seg;
    private int conn, state;
    private boolean in;
    private long payload, payloadEnd;
    /** Octets the payload grew by (negative: shrank) during this packet. */
    int diff;

    AppContext(ConnTable conns, SeqAdjust seq, ProtocolTimeouts timeouts, ConnFactory factory) {
        this.conns = conns;
        this.seq = seq;
        this.timeouts = timeouts;
        this.factory = factory;
    }

    void wrap(Frame f, int conn, int state, boolean in, long payload) {
        this.f = f;
        this.seg = f.segment();
        this.conn = conn;
        this.state = state;
        this.in = in;
        this.payload = payload;
        this.payloadEnd = f.l3End();
        this.diff = 0;
    }

    /** The connection (a {@link ConnTable} index). */
    public int conn() { return conn; }

    /** The connection's protocol state as this packet found it (IPVS: before a reply's transition). */
    public int state() { return state; }

    /** A client's packet (true) or a real server's. */
    public boolean in() { return in; }

    public ConnTable conns() { return conns; }

    public MemorySegment segment() { return seg; }

    /** Segment offset of the first payload octet. */
    public long payloadOffset() { return payload; }

    /** Segment offset just past the payload (the end of the IP datagram). */
    public long payloadEnd() { return payloadEnd; }

    /** The payload octet at segment offset {@code at}, 0..255. */
    public int octet(long at) { return seg.get(ValueLayout.JAVA_BYTE, at) & 0xFF; }

    /** The helper's word of this connection ({@code cp->app_data}), 0 when bound. */
    public int appData() { return seq.appData(conn); }

    public void appData(int value) { seq.appData(conn, value); }

    /** Arrival time of the packet. */
    public long nowNs() { return f.nowNs; }

    /**
     * {@code ip_vs_conn_new} for traffic this connection announced, tied to it (see {@link ConnFactory}).
     *
     * @return the new connection or {@link ConnTable#NONE}
     */
    public int newConn(long caHi, long caLo, int cport, long vaHi, long vaLo, int vport,
                       long daHi, long daLo, int dport, int flags) {
        return factory.create(conn, caHi, caLo, cport, vaHi, vaLo, vport, daHi, daLo, dport, flags);
    }

    /**
     * {@code ip_vs_tcp_conn_listen}: {@code c} waits for its first packet in state LISTEN, timing out after the
     * LISTEN timeout (2 minutes by default); the timer restarts now ({@code ip_vs_conn_put}).
     */
    public void listen(int c) {
        conns.state(c, TcpProtocol.S_LISTEN);
        conns.timeout(c, (int) (timeouts.timeoutNs(IpProto.IPPROTO_TCP, TcpProtocol.S_LISTEN) / 1_000_000));
        conns.refresh(c, f.nowNs);
    }

    /**
     * Replaces the {@code oldLength} payload octets at segment offset {@code at} by the first {@code textLength}
     * octets of {@code text}, moving the rest of the payload: the datagram grows into the frame's tailroom or
     * shrinks. The IP length (and IPv4 header checksum) follow; the TCP checksum is computed again over the new
     * segment (as {@code nf_nat_mangle_tcp_packet} does), or, when partial, has its pseudo-header length fixed.
     * The change in length is recorded for the sequence numbers of later packets ({@code vs_seq_update}).
     *
     * @return false, leaving the packet as it was, when the frame has no room for the longer payload or the
     *         datagram would pass 65535 octets
     */
    public boolean replace(long at, int oldLength, byte[] text, int textLength) {
        int delta = textLength - oldLength;
        long l3End = f.l3End();
        if (at < payload || at + oldLength > l3End) return false;
        if (delta > 0 && f.roomAfterL3() < delta) return false;
        int ipLength = f.l3Length() + delta;
        if ((f.isV6() ? ipLength - Ipv6View.HEADER_LENGTH : ipLength) > 0xFFFF) return false;
        long tail = at + oldLength;
        if (delta != 0) MemorySegment.copy(seg, tail, seg, tail + delta, l3End - tail);
        MemorySegment.copy(text, 0, seg, ValueLayout.JAVA_BYTE, at, textLength);
        long l4 = f.l4Offset();
        int oldTcpLength = (int) (l3End - l4);
        if (delta != 0) {
            f.resizeL3(delta);
            if (f.isV6()) {
                ip6.wrap(seg, f.l3Offset());
                ip6.payloadLength(ip6.payloadLength() + delta);
            } else {
                ip4.wrap(seg, f.l3Offset());
                int old = ip4.totalLength();
                ip4.totalLength(old + delta).checksum(Checksums.update16(ip4.checksum(), old, old + delta));
            }
            payloadEnd += delta;
            diff += delta;
        }
        tcp.wrap(seg, l4);
        int tcpLength = oldTcpLength + delta;
        if (f.checksumPartial()) {
            tcp.checksum(~Checksums.update16(~tcp.checksum() & 0xFFFF, oldTcpLength, tcpLength) & 0xFFFF);
        } else {
            tcp.checksum(0);
            int c;
            if (f.isV6()) {
                ip6.wrap(seg, f.l3Offset());
                c = Checksums.transport6(seg, l4, tcpLength, ip6.srcHi(), ip6.srcLo(), ip6.dstHi(), ip6.dstLo(),
                        IpProto.IPPROTO_TCP);
            } else {
                ip4.wrap(seg, f.l3Offset());
                c = Checksums.transport4(seg, l4, tcpLength, ip4.src(), ip4.dst(), IpProto.IPPROTO_TCP);
            }
            tcp.checksum(c);
        }
        return true;
    }
}
