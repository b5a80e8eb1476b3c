package io.jlvs.ctl.ipvsadm;

import io.jlvs.sched.SchedFlags;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * ipvsadm 1.31's listings, byte for byte: {@code -L} in all its column sets, {@code -L} of one service,
 * {@code -S} (save), {@code --timeout}, {@code --daemon} and the {@code -c} header. Each line is built from the
 * printf format ipvsadm uses (quoted in the comments), trailing blanks included.
 *
 * <p>Order: services sorted by (fwmark, family, protocol, address, port) and real servers by (address, port) with
 * ipvsadm's comparators and glibc's merge sort (see {@link GlibcQsort}); with {@code --nosort}, the kernel's order:
 * services by hash bucket of its 256-bucket tables (newest first within a bucket, the netns salt taken as 0),
 * real servers in list order (newest first).
 */
public final class Listing {
    /** {@code IP_VS_VERSION_CODE} 0x010201. */
    public static final String IPVS_VERSION = "1.2.1";

    private final NameResolver names;
    private final StatsProvider stats;
    private final int connTabSize;

    public Listing(NameResolver names, StatsProvider stats, int connTabSize) {
        this.names = names;
        this.stats = stats;
        this.connTabSize = connTabSize;
    }

    /** {@code ipvsadm -L [options]}: the version line, the title, every service. */
    public String listAll(Collection<VirtualService> services, ListFormat fmt) {
        StringBuilder sb = new StringBuilder();
        sb.append("IP Virtual Server version ").append(IPVS_VERSION).append(" (size=").append(connTabSize).append(")\n");
        title(sb, fmt);
        for (VirtualService svc : order(services, fmt.noSort())) serviceEntry(sb, svc, fmt, false);
        return sb.toString();
    }

    /** {@code ipvsadm -L -t addr:port [options]}: the title and that service (no version line). */
    public String listService(VirtualService svc, ListFormat fmt) {
        StringBuilder sb = new StringBuilder();
        title(sb, fmt);
        serviceEntry(sb, svc, fmt, false);
        return sb.toString();
    }

    /** {@code ipvsadm -S [-n]}: one -A line per service and one -a line per real server (thresholds not saved). */
    public String save(Collection<VirtualService> services, ListFormat fmt) {
        StringBuilder sb = new StringBuilder();
        for (VirtualService svc : order(services, fmt.noSort())) serviceEntry(sb, svc, fmt, true);
        return sb.toString();
    }

    /** {@code ipvsadm -L --timeout}. */
    public static String timeouts(Timeouts t) {
        return "Timeout (tcp tcpfin udp): " + t.tcpSec() + " " + t.tcpFinSec() + " " + t.udpSec() + "\n";
    }

    /** One running sync daemon as {@code -L --daemon} shows it; zero fields are not shown. */
    public record DaemonStatus(SyncDaemonSpec.State state, String mcastInterface, int syncId, int syncMaxlen,
                               IpAddr mcastGroup, int mcastPort, int mcastTtl) {}

    /** {@code ipvsadm -L --daemon}: one line per running daemon, master first. */
    public static String daemons(List<DaemonStatus> daemons) {
        StringBuilder sb = new StringBuilder();
        for (DaemonStatus d : daemons) {
            // "%s sync daemon (mcast=%s, syncid=%d" [", maxlen=%u"] [", group=%s"] [", port=%u"] [", ttl=%u"] ")"
            sb.append(d.state().word).append(" sync daemon (mcast=").append(d.mcastInterface())
              .append(", syncid=").append(d.syncId());
            if (d.syncMaxlen() != 0) sb.append(", maxlen=").append(d.syncMaxlen());
            if (d.mcastGroup() != null) sb.append(", group=").append(d.mcastGroup());
            if (d.mcastPort() != 0) sb.append(", port=").append(d.mcastPort());
            if (d.mcastTtl() != 0) sb.append(", ttl=").append(d.mcastTtl());
            sb.append(")\n");
        }
        return sb.toString();
    }

    /** One connection of {@code ipvsadm -L -c}, as /proc/net/ip_vs_conn gives it. */
    public record ConnRow(String protocol, int expiresSec, String state, IpAddr clientAddr, int clientPort,
                          IpAddr virtualAddr, int virtualPort, IpAddr destAddr, int destPort,
                          String peName, String peData) {}

    /**
     * {@code ipvsadm -L -c [-n] [--persistent-conn]} ({@code list_conn}, {@code print_conn}). A row without
     * persistence-engine data (the kernel then prints no pe fields) uses the plain row format even with
     * {@code --persistent-conn}.
     */
    public String connections(List<ConnRow> rows, ListFormat fmt) {
        StringBuilder sb = new StringBuilder("IPVS connection entries\n");
        if (fmt.persistentConn()) {
            // "pro expire %-11s %-18s %-18s %-18s %-16s %s\n"
            sb.append("pro expire ").append(left("state", 11)).append(' ').append(left("source", 18)).append(' ')
              .append(left("virtual", 18)).append(' ').append(left("destination", 18)).append(' ')
              .append(left("pe name", 16)).append(" pe_data\n");
        } else {
            sb.append("pro expire ").append(left("state", 11)).append(' ').append(left("source", 18)).append(' ')
              .append(left("virtual", 18)).append(" destination\n");
        }
        for (ConnRow r : rows) {
            int proto = switch (r.protocol()) {
                case "TCP" -> VirtualService.IPPROTO_TCP;
                case "UDP" -> VirtualService.IPPROTO_UDP;
                case "SCTP" -> VirtualService.IPPROTO_SCTP;
                default -> 0;
            };
            String expire = String.format("%02d:%02d", r.expiresSec() / 60, r.expiresSec() % 60);
            String c = anyname(r.clientAddr(), r.clientPort(), proto, fmt.numeric());
            String v = anyname(r.virtualAddr(), r.virtualPort(), proto, fmt.numeric());
            String d = anyname(r.destAddr(), r.destPort(), proto, fmt.numeric());
            sb.append(left(r.protocol(), 3)).append(' ').append(left(expire, 6)).append(' ').append(left(r.state(), 11))
              .append(' ').append(left(c, 18)).append(' ').append(left(v, 18)).append(' ');
            if (fmt.persistentConn() && r.peName() != null) {
                // "%-3s %-6s %-11s %-18s %-18s %-16s %-18s %s\n": the row's widths differ from its header's
                sb.append(left(d, 16)).append(' ').append(left(r.peName(), 18)).append(' ').append(r.peData());
            } else {
                sb.append(d);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    // ---- print_title ----

    private static void title(StringBuilder sb, ListFormat fmt) {
        if (fmt.stats()) {
            // "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n"
            sb.append(left("Prot LocalAddress:Port", 33));
            for (String h : new String[]{"Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"}) sb.append(' ').append(right(h, 8));
            sb.append("\n  -> RemoteAddress:Port\n");
        } else if (fmt.rate()) {
            sb.append(left("Prot LocalAddress:Port", 33));
            for (String h : new String[]{"CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"}) sb.append(' ').append(right(h, 8));
            sb.append("\n  -> RemoteAddress:Port\n");
        } else if (fmt.thresholds()) {
            // "%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n"
            sb.append(left("Prot LocalAddress:Port", 33));
            for (String h : new String[]{"Uthreshold", "Lthreshold", "ActiveConn", "InActConn"}) sb.append(' ').append(left(h, 10));
            sb.append("\n  -> RemoteAddress:Port\n");
        } else if (fmt.persistentConn()) {
            // "%-33s %-9s %-11s %-10s %-10s\n  -> RemoteAddress:Port\n"
            sb.append(left("Prot LocalAddress:Port", 33)).append(' ').append(left("Weight", 9)).append(' ')
              .append(left("PersistConn", 11)).append(' ').append(left("ActiveConn", 10)).append(' ')
              .append(left("InActConn", 10)).append("\n  -> RemoteAddress:Port\n");
        } else if (fmt.tunInfo()) {
            sb.append("Prot LocalAddress:Port Scheduler Flags\n")
              .append("  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n");
        } else {
            sb.append("Prot LocalAddress:Port Scheduler Flags\n")
              .append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        }
    }

    // ---- print_service_entry ----

    private void serviceEntry(StringBuilder sb, VirtualService svc, ListFormat fmt, boolean rule) {
        ServiceKey key = svc.key();
        String svcName;
        if (key.isFwmark()) {
            String mark = Integer.toUnsignedString(key.fwmark());
            if (rule) svcName = "-f " + mark + (key.af() == IpAddr.AF_INET6 ? " -6" : "");
            else svcName = "FWM  " + mark + (key.af() == IpAddr.AF_INET6 ? " IPv6" : "");
        } else {
            String vname = anyname(key.addr(), key.port(), key.protocol(), fmt.numeric());
            if (rule) {
                svcName = switch (key.protocol()) {
                    case VirtualService.IPPROTO_TCP -> "-t";
                    case VirtualService.IPPROTO_UDP -> "-u";
                    case VirtualService.IPPROTO_SCTP -> "--sctp-service";
                    default -> "--xxx-service";
                } + " " + vname;
            } else {
                svcName = left(protocolName(key.protocol()), 4) + " " + vname;      // "%-4s %s"
                if (key.af() != IpAddr.AF_INET6) svcName = cut(svcName, 33);
            }
        }

        int flags = svc.flags();
        boolean schedFlags = (flags & (SchedFlags.SCHED1 | SchedFlags.SCHED2 | SchedFlags.SCHED3)) != 0;
        String sched = svc.scheduler().name();
        if (rule) {
            sb.append("-A ").append(svcName).append(" -s ").append(sched);
            if (svc.isPersistent()) {
                sb.append(" -p ").append(Integer.toUnsignedString(svc.timeoutSec()));
                appendMask(sb, svc, " -M ");
            }
            if (svc.peName() != null && !svc.peName().isEmpty()) sb.append(" --pe ").append(svc.peName());
            if (svc.isOnePacket()) sb.append(" -o");
            if (schedFlags) sb.append(" -b ").append(schedFlagsText(sched, flags));
        } else if (fmt.stats()) {
            IpvsStats s = stats.service(svc);
            sb.append(left(svcName, 33));
            largenum(sb, s.conns(), fmt);
            largenum(sb, s.inPkts(), fmt);
            largenum(sb, s.outPkts(), fmt);
            largenum(sb, s.inBytes(), fmt);
            largenum(sb, s.outBytes(), fmt);
        } else if (fmt.rate()) {
            IpvsStats s = stats.service(svc);
            sb.append(left(svcName, 33));
            largenum(sb, s.cps(), fmt);
            largenum(sb, s.inPps(), fmt);
            largenum(sb, s.outPps(), fmt);
            largenum(sb, s.inBps(), fmt);
            largenum(sb, s.outBps(), fmt);
        } else {
            sb.append(svcName).append(' ').append(sched);
            if (schedFlags) sb.append(" (").append(schedFlagsText(sched, flags)).append(')');
            if (svc.isPersistent()) {
                sb.append(" persistent ").append(Integer.toUnsignedString(svc.timeoutSec()));
                appendMask(sb, svc, " mask ");
                if (svc.peName() != null && !svc.peName().isEmpty()) sb.append(" pe ").append(svc.peName());
            }
            if (svc.isOnePacket()) sb.append(" ops");
        }
        sb.append('\n');

        int proto = key.isFwmark() ? 0 : key.protocol();      // a fwmark service has no protocol in the dump
        for (RealServer d : orderDests(svc, fmt.noSort())) {
            String dname = anyname(d.addr(), d.port(), proto, fmt.numeric());
            if (!rule && !d.addr().isV6()) dname = cut(dname, 28);
            if (rule) {
                saveDest(sb, svcName, dname, d);
            } else if (fmt.stats()) {
                IpvsStats s = stats.dest(svc, d);
                sb.append("  -> ").append(left(dname, 28));
                largenum(sb, s.conns(), fmt);
                largenum(sb, s.inPkts(), fmt);
                largenum(sb, s.outPkts(), fmt);
                largenum(sb, s.inBytes(), fmt);
                largenum(sb, s.outBytes(), fmt);
                sb.append('\n');
            } else if (fmt.rate()) {
                IpvsStats s = stats.dest(svc, d);
                // "  -> %-28s %8llu %8llu %8llu" then two largenums
                sb.append("  -> ").append(left(dname, 28))
                  .append(' ').append(right(Long.toUnsignedString(s.cps()), 8))
                  .append(' ').append(right(Long.toUnsignedString(s.inPps()), 8))
                  .append(' ').append(right(Long.toUnsignedString(s.outPps()), 8));
                largenum(sb, s.inBps(), fmt);
                largenum(sb, s.outBps(), fmt);
                sb.append('\n');
            } else if (fmt.thresholds()) {
                // "  -> %-28s %-10u %-10u %-10u %-10u\n"
                sb.append("  -> ").append(left(dname, 28)).append(' ').append(left(u(d.uThreshold()), 10))
                  .append(' ').append(left(u(d.lThreshold()), 10)).append(' ').append(left(u(d.activeConns()), 10))
                  .append(' ').append(left(u(d.inactConns()), 10)).append('\n');
            } else if (fmt.persistentConn()) {
                // "  -> %-28s %-9u %-11u %-10u %-10u\n"
                sb.append("  -> ").append(left(dname, 28)).append(' ').append(left(u(d.weight()), 9))
                  .append(' ').append(left(u(d.persistConns()), 11)).append(' ').append(left(u(d.activeConns()), 10))
                  .append(' ').append(left(u(d.inactConns()), 10)).append('\n');
            } else if (fmt.tunInfo()) {
                // "  -> %-28s %-7s %-13s %-6d %-10u %-10u\n"
                sb.append("  -> ").append(left(dname, 28)).append(' ').append(left(d.fwdMethod().listName, 7))
                  .append(' ').append(left(tunInfo(d), 13)).append(' ').append(left(Integer.toString(d.weight()), 6))
                  .append(' ').append(left(u(d.activeConns()), 10)).append(' ').append(left(u(d.inactConns()), 10))
                  .append('\n');
            } else {
                // "  -> %-28s %-7s %-6d %-10u %-10u\n"
                sb.append("  -> ").append(left(dname, 28)).append(' ').append(left(d.fwdMethod().listName, 7))
                  .append(' ').append(left(Integer.toString(d.weight()), 6)).append(' ')
                  .append(left(u(d.activeConns()), 10)).append(' ').append(left(u(d.inactConns()), 10)).append('\n');
            }
        }
    }

    private static void appendMask(StringBuilder sb, VirtualService svc, String word) {
        if (svc.af() == IpAddr.AF_INET && svc.netmask() != 0xFFFF_FFFF) {
            sb.append(word).append(IpAddr.v4(svc.netmask()));                  // inet_ntoa
        } else if (svc.af() == IpAddr.AF_INET6 && svc.netmask() != 128) {
            sb.append(word).append(svc.netmask());                             // "%i"
        }
    }

    /** {@code print_sched_flags}: names depend on the scheduler; sh/mh have no name for flag-3. */
    static String schedFlagsText(String sched, int flags) {
        List<String> out = new ArrayList<>(3);
        if (sched.equals("sh") || sched.equals("mh")) {
            if ((flags & SchedFlags.FALLBACK) != 0) out.add(sched + "-fallback");
            if ((flags & SchedFlags.PORT) != 0) out.add(sched + "-port");
        } else {
            if ((flags & SchedFlags.SCHED1) != 0) out.add("flag-1");
            if ((flags & SchedFlags.SCHED2) != 0) out.add("flag-2");
            if ((flags & SchedFlags.SCHED3) != 0) out.add("flag-3");
        }
        return String.join(",", out);
    }

    private static final String[] TUN_FLAG_SHORT = {"-c", "+c", "r+c"};
    private static final String[] TUN_FLAG_OPTS = {"--tun-nocsum", "--tun-csum", "--tun-remcsum"};

    /** {@code fwd_tun_info}: "ipip", "gue:PORT:FLAGS", "gre:FLAGS" for tunnels, else "n/a". */
    private static String tunInfo(RealServer d) {
        if (d.fwdMethod() != FwdMethod.TUNNEL) return "n/a";
        return switch (d.tunType()) {
            case IPIP -> "ipip";
            case GUE -> cut("gue:" + d.tunPort() + ":" + tunFlag(TUN_FLAG_SHORT, d.tunFlags()), 15);
            case GRE -> cut("gre:" + tunFlag(TUN_FLAG_SHORT, d.tunFlags()), 15);
        };
    }

    private static String tunFlag(String[] names, int flags) {
        return flags >= 0 && flags < names.length ? names[flags] : "?";
    }

    /** The -a line of {@code -S}: {@code print_tunnel_rule} for tunnels. */
    private static void saveDest(StringBuilder sb, String svcName, String dname, RealServer d) {
        sb.append("-a ").append(svcName).append(" -r ").append(dname).append(' ').append(d.fwdMethod().saveOption)
          .append(" -w ").append(d.weight());
        if (d.fwdMethod() == FwdMethod.TUNNEL) {
            sb.append(" --tun-type ").append(d.tunType().optionName);
            if (d.tunType() == TunnelType.GUE) sb.append(" --tun-port ").append(d.tunPort());
            if (d.tunType() != TunnelType.IPIP) sb.append(' ').append(tunFlag(TUN_FLAG_OPTS, d.tunFlags()));
        }
        sb.append('\n');
    }

    /** {@code print_largenum}: 9 columns, scaled to K/M/G/T unless --exact. */
    static void largenum(StringBuilder sb, long i, ListFormat fmt) {
        if (fmt.exact()) {
            String digits = Long.toUnsignedString(i);
            sb.append(right(digits, digits.length() <= 8 ? 9 : digits.length() + 1));
        } else if (Long.compareUnsigned(i, 100_000_000L) < 0) {
            sb.append(right(Long.toUnsignedString(i), 9));
        } else if (Long.compareUnsigned(i, 1_000_000_000L) < 0) {
            sb.append(right(Long.toUnsignedString(Long.divideUnsigned(i, 1000L)), 8)).append('K');
        } else if (Long.compareUnsigned(i, 100_000_000_000L) < 0) {
            sb.append(right(Long.toUnsignedString(Long.divideUnsigned(i, 1_000_000L)), 8)).append('M');
        } else if (Long.compareUnsigned(i, 100_000_000_000_000L) < 0) {
            sb.append(right(Long.toUnsignedString(Long.divideUnsigned(i, 1_000_000_000L)), 8)).append('G');
        } else {
            sb.append(right(Long.toUnsignedString(Long.divideUnsigned(i, 1_000_000_000_000L)), 8)).append('T');
        }
    }

    /** {@code addrport_to_anyname}: "addr:port" ("[v6]:port"), names unless numeric; at most 59 characters. */
    String anyname(IpAddr addr, int port, int protocol, boolean numeric) {
        String a = null, p = null;
        if (!numeric) {
            a = names.addrToHost(addr);
            p = names.portToService(port, protocol);
        }
        if (a == null) a = addr.toString();
        if (p == null) p = Integer.toString(port);
        return cut(addr.isV6() ? "[" + a + "]:" + p : a + ":" + p, 59);
    }

    static String protocolName(int protocol) {
        return switch (protocol) {
            case VirtualService.IPPROTO_TCP -> "TCP";
            case VirtualService.IPPROTO_UDP -> "UDP";
            case VirtualService.IPPROTO_SCTP -> "SCTP";
            default -> "?";
        };
    }

    // ---- ordering ----

    /**
     * Services in listing order: the kernel's dump order (its hash tables, see the class comment), then ipvsadm's
     * sort unless --nosort. The sort's input order matters: ipvsadm's comparator is not a total order.
     */
    static List<VirtualService> order(Collection<VirtualService> services, boolean noSort) {
        List<VirtualService> inserted = new ArrayList<>(services);
        // the kernel dumps ip_vs_svc_table's buckets, then ip_vs_svc_fwm_table's; each bucket newest first
        List<VirtualService> out = new ArrayList<>(inserted.size());
        for (boolean fwm : new boolean[]{false, true}) {
            for (int bucket = 0; bucket < 256; bucket++) {
                for (int i = inserted.size() - 1; i >= 0; i--) {
                    ServiceKey k = inserted.get(i).key();
                    if (k.isFwmark() == fwm && svcHash(k) == bucket) out.add(inserted.get(i));
                }
            }
        }
        if (!noSort) GlibcQsort.sort(out, Listing::compareServices);
        return out;
    }

    /** {@code ip_vs_svc_hashkey} / {@code ip_vs_svc_fwm_hashkey} with the per-netns salt taken as 0. */
    private static int svcHash(ServiceKey k) {
        if (k.isFwmark()) return k.fwmark() & 0xFF;
        int port = k.port();
        return (k.protocol() ^ k.addr().fold() ^ (port >>> 8) ^ port) & 0xFF;
    }

    /** {@code ipvs_cmp_services}: each field subtracted as C does it, unsigned differences wrapped into int. */
    static int compareServices(VirtualService s1, VirtualService s2) {
        ServiceKey a = s1.key(), b = s2.key();
        int r = a.fwmark() - b.fwmark();
        if (r != 0) return r;
        r = a.af() - b.af();
        if (r != 0) return r;
        r = a.protocol() - b.protocol();           // 0 for fwmark services, as the netlink dump leaves it
        if (r != 0) return r;
        int[] wa = words(a.addr()), wb = words(b.addr());
        if (a.af() == IpAddr.AF_INET6) {
            for (int i = 0; r == 0 && i < 4; i++) r = wa[i] - wb[i];
        } else {
            r = wa[0] - wb[0];
        }
        if (r != 0) return r;
        return a.port() - b.port();
    }

    /** Real servers in listing order. */
    static List<RealServer> orderDests(VirtualService svc, boolean noSort) {
        List<RealServer> list = new ArrayList<>(Arrays.asList(svc.dests()));
        if (!noSort) GlibcQsort.sort(list, Listing::compareDests);
        return list;
    }

    /** {@code ipvs_cmp_dests}: the first dest's family decides how many address words are compared. */
    static int compareDests(RealServer d1, RealServer d2) {
        int[] wa = words(d1.addr()), wb = words(d2.addr());
        int r = 0;
        if (d1.addr().isV6()) {
            for (int i = 0; r == 0 && i < 4; i++) r = wa[i] - wb[i];
        } else {
            r = wa[0] - wb[0];
        }
        if (r != 0) return r;
        return d1.port() - d2.port();
    }

    /** The address as the four host-order words of {@code union nf_inet_addr} (IPv4 in the first). */
    private static int[] words(IpAddr a) {
        if (a == null) return new int[4];
        if (!a.isV6()) return new int[]{a.v4(), 0, 0, 0};
        return new int[]{(int) (a.hi() >>> 32), (int) a.hi(), (int) (a.lo() >>> 32), (int) a.lo()};
    }

    // ---- printf helpers ----

    /** "%-Ns". */
    static String left(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** "%Ns". */
    static String right(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private static String u(int v) { return Integer.toUnsignedString(v); }

    private static String cut(String s, int max) { return s.length() <= max ? s : s.substring(0, max); }
}
