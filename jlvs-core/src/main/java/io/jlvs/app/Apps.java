package io.jlvs.app;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.packet.Checksums;
import io.jlvs.packet.DropReason;
import io.jlvs.packet.IpProto;
import io.jlvs.packet.Ipv4View;
import io.jlvs.packet.Ipv6View;
import io.jlvs.packet.TcpView;
import io.jlvs.proto.ProtocolTimeouts;
import io.jlvs.xmit.Frame;
import io.jlvs.xmit.NatHelper;
import io.jlvs.xmit.Verdict;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The application helpers of one director, as IPVS's {@code ip_vs_app.c} with the TCP hooks of
 * {@code ip_vs_proto_tcp.c} (Linux 6.17):
 *
 * <ul>
 *   <li><b>Registry</b> ({@code register_ip_vs_app_inc}, {@code tcp_register_app}): each helper on its
 *       protocol and ports; a port taken by another helper is refused ({@code -EEXIST}).</li>
 *   <li><b>Binding</b> ({@code ip_vs_bind_app} from {@code ip_vs_conn_new}, {@code tcp_app_conn_bind}): a new
 *       connection (not a template) whose forwarding method is NAT and whose protocol and virtual port have a
 *       helper gets it, with a fresh {@link SeqAdjust} record; {@link #unbind} when the connection goes
 *       ({@code ip_vs_unbind_app} in {@code ip_vs_conn_expire}).</li>
 *   <li><b>Packets</b> ({@link #in}, {@link #out}: {@code tcp_dnat_handler} / {@code tcp_snat_handler} calling
 *       {@code app_tcp_pkt_in} / {@code app_tcp_pkt_out}): the TCP checksum is verified first ("some checks before
 *       mangling", {@code tcp_csum_check}: a bad one is dropped); the sequence and acknowledgment numbers are fixed
 *       for earlier payload changes; the helper sees the packet; if it changed the payload's length, the
 *       direction's record is updated ({@code vs_seq_update}).</li>
 * </ul>
 * Fragments: IPVS sees reassembled datagrams; jlvs does not reassemble, so a first fragment only has its
 * sequence numbers fixed (the update stays valid for the whole datagram's checksum) and is not shown to the
 * helper; later fragments carry no TCP header and pass untouched (as {@code tcp_dnat_handler} passes IPv6
 * non-first fragments).
 *
 * <p>Control path: {@link #register} and {@link #unregister} before traffic, or on the owning thread. Data path:
 * {@link #bind}/{@link #unbind} when connections come and go, {@link #hook} per NAT packet (an array read when
 * nothing is bound), {@link #in}/{@link #out} for the bound ones; no allocation but the binding's slot.
 */
public final class Apps implements NatHelper {
    /** {@code IP_VS_APP_MAX_PORTS}: ports per helper. */
    public static final int MAX_PORTS = 8;

    private final ConnTable conns;
    private final SeqAdjust seq;
    private final AppContext ctx;
    private final TcpView tcp = new TcpView();
    private final Ipv4View ip4 = new Ipv4View();
    private final Ipv6View ip6 = new Ipv6View();

    /** Every helper ever registered, by id (ids stay valid for connections bound before an unregister). */
    private final List<AppHelper> helpers = new ArrayList<>();
    /** Registered (protocol << 16 | port) keys and the helper id of each. */
    private int[] keys = new int[0], ids = new int[0];
    private long checksumDrops;

    // the packet hook() prepared
    private int conn = ConnTable.NONE, state;

    /**
     * @param factory how helpers make connections (the director)
     */
    public Apps(ConnTable conns, ProtocolTimeouts timeouts, ConnFactory factory) {
        this.conns = conns;
        this.seq = new SeqAdjust(conns);
        this.ctx = new AppContext(conns, seq, timeouts, factory);
    }

    // -------------------------------------------------------------------------------------------- registry

    /**
     * {@code register_ip_vs_app} and {@code register_ip_vs_app_inc} for each of the helper's ports.
     *
     * @throws IllegalArgumentException for a name already registered, more than {@link #MAX_PORTS} ports, a port
     *         out of range, or a port another helper has for the protocol (nothing is registered then)
     */
    public Apps register(AppHelper helper) {
        for (int i = 0; i < keys.length; i++) {
            if (helpers.get(ids[i]).name().equals(helper.name())) {
                throw new IllegalArgumentException("application helper " + helper.name() + " is already registered");
            }
        }
        int[] ports = helper.ports();
        if (ports.length > MAX_PORTS) {
            throw new IllegalArgumentException(helper.name() + ": " + ports.length + " ports, at most " + MAX_PORTS);
        }
        int proto = helper.protocol() & 0xFF;
        if (proto != IpProto.IPPROTO_TCP) {
            throw new IllegalArgumentException(helper.name() + ": only TCP helpers are supported (app_tcp_pkt_in/out)");
        }
        int[] newKeys = keys.clone();
        for (int port : ports) {
            if (port == 0) continue;                              // the module skips unset ports
            if (port < 0 || port > 0xFFFF) throw new IllegalArgumentException(helper.name() + ": port " + port + " out of range 1..65535");
            int key = proto << 16 | port;
            for (int k : newKeys) {
                if (k == key) throw new IllegalArgumentException(helper.name() + ": port " + port + " already has an application helper");
            }
            newKeys = Arrays.copyOf(newKeys, newKeys.length + 1);
            newKeys[newKeys.length - 1] = key;
        }
        int id = helpers.size();
        helpers.add(helper);
        int[] newIds = Arrays.copyOf(ids, newKeys.length);
        Arrays.fill(newIds, ids.length, newIds.length, id);
        seq.enable();
        keys = newKeys;
        ids = newIds;
        return this;
    }

    /**
     * {@code unregister_ip_vs_app}: new connections no longer get the helper; connections already bound keep it
     * until they go (the kernel keeps the module while they hold it).
     *
     * @return false when no helper of that name is registered
     */
    public boolean unregister(String name) {
        int n = 0;
        for (int i = 0; i < keys.length; i++) if (!helpers.get(ids[i]).name().equals(name)) n++;
        if (n == keys.length) return false;
        int[] newKeys = new int[n], newIds = new int[n];
        for (int i = 0, j = 0; i < keys.length; i++) {
            if (helpers.get(ids[i]).name().equals(name)) continue;
            newKeys[j] = keys[i];
            newIds[j++] = ids[i];
        }
        keys = newKeys;
        ids = newIds;
        return true;
    }

    /** The helper registered for {@code protocol} and {@code port}, or null. */
    public AppHelper helperFor(int protocol, int port) {
        int key = (protocol & 0xFF) << 16 | (port & 0xFFFF);
        for (int i = 0; i < keys.length; i++) if (keys[i] == key) return helpers.get(ids[i]);
        return null;
    }

    // --------------------------------------------------------------------------------------------- binding

    /**
     * {@code ip_vs_bind_app} for a connection just made: bound when it is not a template, NAT, and its protocol
     * and virtual port have a helper ({@code tcp_app_conn_bind}: "bind app only for NAT").
     *
     * @return true when bound
     */
    public boolean bind(int c) {
        int[] k = keys;
        if (k.length == 0) return false;
        int flags = conns.flags(c);
        if ((flags & ConnFlags.FWD_MASK) != ConnFlags.MASQ || (flags & ConnFlags.TEMPLATE) != 0) return false;
        int key = conns.protocol(c) << 16 | conns.vport(c);
        for (int i = 0; i < k.length; i++) {
            if (k[i] == key) {
                seq.attach(c, ids[i]);
                return true;
            }
        }
        return false;
    }

    /** {@code ip_vs_unbind_app}: the connection is leaving the table. */
    public void unbind(int c) {
        seq.detach(c);
    }

    /** True when a helper is bound to {@code c}. */
    public boolean isBound(int c) { return seq.isBound(c); }

    /** The helper bound to {@code c}, or null. */
    public AppHelper helperOf(int c) { return seq.isBound(c) ? helpers.get(seq.helper(c)) : null; }

    /** The per-connection records (for inspection). */
    public SeqAdjust seqAdjust() { return seq; }

    /** Packets of bound connections dropped because their TCP checksum failed ({@code tcp_csum_check}). */
    public long checksumDrops() { return checksumDrops; }

    // --------------------------------------------------------------------------------------------- packets

    /**
     * The hook for one NAT packet of {@code c}: this object, prepared for {@code c}, when a helper is bound to
     * it, else null. {@code state} is the connection's state as the helper must see it (for a reply, the state
     * before the packet's transition: {@code handle_response} rewrites before {@code ip_vs_set_state}).
     */
    public NatHelper hook(int c, int state) {
        if (!seq.isBound(c)) return null;
        this.conn = c;
        this.state = state;
        return this;
    }

    /** {@code app_tcp_pkt_in} on the connection {@link #hook} prepared. */
    @Override
    public int in(Frame f) { return packet(f, true); }

    /** {@code app_tcp_pkt_out} on the connection {@link #hook} prepared. */
    @Override
    public int out(Frame f) { return packet(f, false); }

    private int packet(Frame f, boolean in) {
        int c = conn;
        conn = ConnTable.NONE;
        if (c == ConnTable.NONE || !f.l4HeaderPresent()) return Verdict.TX;
        if (f.protocol() != IpProto.IPPROTO_TCP) return Verdict.TX;
        AppHelper helper = helpers.get(seq.helper(c));
        MemorySegment seg = f.segment();
        tcp.wrap(seg, f.l4Offset());
        boolean partial = f.checksumPartial();
        if (!f.fragment() && !partial && !checksumOk(f)) {
            checksumDrops++;
            return DropReason.BAD_TCP_CHECKSUM.code();
        }
        int origSeq = tcp.seq();
        seq.fix(c, in, tcp, partial);
        if (f.fragment()) return Verdict.TX;
        ctx.wrap(f, c, state, in, f.l4Offset() + tcp.headerLength());
        int v = in ? helper.in(ctx) : helper.out(ctx);
        if (Verdict.isDrop(v)) return v;
        if (ctx.diff != 0 && seq.isBound(c)) seq.update(c, in, origSeq, ctx.diff);
        return Verdict.TX;
    }

    /** {@code tcp_csum_check}: the segment's checksum over its pseudo-header verifies. */
    private boolean checksumOk(Frame f) {
        MemorySegment seg = f.segment();
        long l4 = f.l4Offset();
        int len = (int) (f.l3End() - l4);
        if (f.isV6()) {
            ip6.wrap(seg, f.l3Offset());
            return Checksums.transport6(seg, l4, len, ip6.srcHi(), ip6.srcLo(), ip6.dstHi(), ip6.dstLo(),
                    IpProto.IPPROTO_TCP) == 0;
        }
        ip4.wrap(seg, f.l3Offset());
        return Checksums.transport4(seg, l4, len, ip4.src(), ip4.dst(), IpProto.IPPROTO_TCP) == 0;
    }
}
