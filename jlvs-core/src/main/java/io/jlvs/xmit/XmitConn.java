package io.jlvs.xmit;

import io.jlvs.packet.Flow;
import io.jlvs.service.TunnelType;

/**
 * What a transmitter reads of a connection: the fields of IPVS's {@code struct ip_vs_conn} (and of its
 * {@code dest}) that {@code ip_vs_xmit.c} and the NAT handlers use. Addresses are two longs, network order,
 * IPv4 in the low 32 bits of {@code lo} (as {@link Flow}).
 *
 * <p>A mutable holder the caller fills from its connection record before calling a transmitter, one per
 * data-plane thread: the connection table's own view can fill it, or stand in for it later.
 */
public final class XmitConn {
    /** Family of the client side: caddr, vaddr (and daddr, except for mixed-family tunnels). */
    public int af = Flow.AF_INET;
    public int protocol;
    public long caddrHi, caddrLo;
    public int cport;
    public long vaddrHi, vaddrLo;
    public int vport;
    /** Family of the real server's address ({@code cp->daf}): differs from {@link #af} only for tunnels. */
    public int daf = Flow.AF_INET;
    public long daddrHi, daddrLo;
    public int dport;
    /** {@code IP_VS_CONN_F_*} flags ({@link io.jlvs.conn.ConnFlags}). */
    public int flags;
    /** The real server's tunnel: {@link TunnelType#code}, UDP destination port for GUE, {@code TunnelType.FLAG_*}. */
    public int tunType, tunPort, tunFlags;
    /** The application helper bound to the connection (NAT only: the FTP control connection), or null. */
    public NatHelper app;

    /** An IPv4 connection: client, virtual service, real server (family of all three IPv4). */
    public XmitConn v4(int protocol, int caddr, int cport, int vaddr, int vport, int daddr, int dport) {
        this.af = this.daf = Flow.AF_INET;
        this.protocol = protocol;
        this.caddrHi = 0;
        this.caddrLo = caddr & 0xFFFF_FFFFL;
        this.cport = cport;
        this.vaddrHi = 0;
        this.vaddrLo = vaddr & 0xFFFF_FFFFL;
        this.vport = vport;
        this.daddrHi = 0;
        this.daddrLo = daddr & 0xFFFF_FFFFL;
        this.dport = dport;
        return this;
    }

    /** An IPv6 connection. */
    public XmitConn v6(int protocol, long caddrHi, long caddrLo, int cport, long vaddrHi, long vaddrLo, int vport,
                       long daddrHi, long daddrLo, int dport) {
        this.af = this.daf = Flow.AF_INET6;
        this.protocol = protocol;
        this.caddrHi = caddrHi;
        this.caddrLo = caddrLo;
        this.cport = cport;
        this.vaddrHi = vaddrHi;
        this.vaddrLo = vaddrLo;
        this.vport = vport;
        this.daddrHi = daddrHi;
        this.daddrLo = daddrLo;
        this.dport = dport;
        return this;
    }

    /** Sets the real server's address and family alone (a tunnel to the other family). */
    public XmitConn dest(int daf, long daddrHi, long daddrLo, int dport) {
        this.daf = daf;
        this.daddrHi = daddrHi;
        this.daddrLo = daddrLo;
        this.dport = dport;
        return this;
    }

    /** Sets the tunnel parameters of the real server ({@code --tun-type}, {@code --tun-port}, {@code --tun-*csum}). */
    public XmitConn tunnel(TunnelType type, int port, int flags) {
        this.tunType = type.code;
        this.tunPort = port;
        this.tunFlags = flags;
        return this;
    }

    public XmitConn flags(int flags) { this.flags = flags; return this; }
}
