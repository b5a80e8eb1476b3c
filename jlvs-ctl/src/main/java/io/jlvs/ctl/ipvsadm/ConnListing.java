package io.jlvs.ctl.ipvsadm;

import io.jlvs.conn.ConnFlags;
import io.jlvs.conn.ConnTable;
import io.jlvs.proto.Protocols;
import io.jlvs.service.IpAddr;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of {@code ipvsadm -L -c}: what {@code /proc/net/ip_vs_conn} would show for a {@link ConnTable}
 * ({@code ip_vs_conn_seq_show}), as ipvsadm's {@code print_conn} reads it back. Connections and persistence
 * templates alike, in the table's record order (the kernel walks its hash buckets; no order is promised).
 *
 * <ul>
 *   <li>protocol: {@code ip_vs_proto_name}: TCP, UDP, SCTP, ICMP, ICMPv6, "IP" for fwmark templates, else IP_n;</li>
 *   <li>expire: the whole seconds left on the timer ({@code jiffies_delta_to_msecs / 1000}, 0 when overdue);</li>
 *   <li>state: {@link Protocols#stateName} (templates NONE or ASSURED);</li>
 *   <li>the virtual address of a fwmark template is the mark, stored in the first 32 bits of the address as
 *       {@code ip_vs_sched_persist} does ({@code .ip = htonl(fwmark)}): 0.0.0.5 for mark 5 over IPv4, 0:5:: over
 *       IPv6.</li>
 * </ul>
 * Control path: the table's owner calls this (the table is single-threaded).
 */
public final class ConnListing {
    private ConnListing() {}

    /** Every entry of {@code conns} as ipvsadm lists it at {@code nowNs} on the table's clock. */
    public static List<Listing.ConnRow> rows(ConnTable conns, long nowNs) {
        List<Listing.ConnRow> rows = new ArrayList<>(conns.size());
        conns.forEach(c -> rows.add(row(conns, c, nowNs)));
        return rows;
    }

    static Listing.ConnRow row(ConnTable conns, int c, long nowNs) {
        int af = conns.af(c), proto = conns.protocol(c), flags = conns.flags(c);
        IpAddr caddr = addr(af, conns.caddrHi(c), conns.caddrLo(c));
        IpAddr vaddr;
        if (proto == Protocols.IPPROTO_IP && (flags & ConnFlags.TEMPLATE) != 0) {
            int mark = (int) conns.vaddrLo(c);
            vaddr = af == ConnTable.AF_INET6 ? IpAddr.v6((mark & 0xFFFF_FFFFL) << 32, 0) : IpAddr.v4(mark);
        } else {
            vaddr = addr(af, conns.vaddrHi(c), conns.vaddrLo(c));
        }
        IpAddr daddr = addr(conns.daf(c), conns.daddrHi(c), conns.daddrLo(c));
        int expiresSec = Math.max(0, conns.expiresInMs(c, nowNs)) / 1000;
        return new Listing.ConnRow(protocolName(proto), expiresSec, Protocols.stateName(proto, flags, conns.state(c)),
                caddr, conns.cport(c), vaddr, conns.vport(c), daddr, conns.dport(c), null, null);
    }

    /** {@code ip_vs_proto_name}. */
    public static String protocolName(int proto) {
        return switch (proto) {
            case 0 -> "IP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 132 -> "SCTP";
            case 1 -> "ICMP";
            case 58 -> "ICMPv6";
            default -> "IP_" + proto;
        };
    }

    private static IpAddr addr(int af, long hi, long lo) {
        return af == ConnTable.AF_INET6 ? IpAddr.v6(hi, lo) : IpAddr.v4((int) lo);
    }
}
