package io.jlvs.ctl.keepalived;

import io.jlvs.sched.SchedFlags;
import io.jlvs.sched.SchedulerRegistry;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The LVS part of keepalived.conf: {@code global_defs} (the LVS keywords), {@code virtual_server_group} and
 * {@code virtual_server} with their real servers, read from the {@link ConfParser} tree into a
 * {@link KeepalivedConf}, with keepalived's defaults and corrections ({@code check_parser.c},
 * {@code check_data.c:validate_check_config}). Checker blocks are collected untouched for the checker code.
 *
 * <p>What is reported, and how:
 * <ul>
 *   <li><b>error</b> (the file is invalid): a bad or missing value, naming the keyword and the token; an address
 *       that is not one; an unknown group; a duplicated real server or virtual server; a real server of another
 *       address family than its service without tunnelling;</li>
 *   <li><b>warning</b>: a correction keepalived makes and logs (protocol defaulted to UDP, quorum reduced to the
 *       total weight, a DR port reset to the virtual port, a virtual server without real servers ignored...);</li>
 *   <li><b>skipped</b>: every keyword jlvs does not implement (VRRP, BFD, SMTP alerts, SNMP, most of
 *       {@code global_defs}, {@code lvs_sync_daemon} until connection sync exists), by name, file and line.</li>
 * </ul>
 * One difference from keepalived, on purpose: {@code persistence_granularity} applies to every service of a
 * group (keepalived resets the netmask of group members to the full mask).
 */
public final class LvsConfigReader {
    /** keepalived's {@code lvs_schedulers[]} plus twos (listed by the man page). */
    static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh", "fo", "ovf",
            "lblcr", "sed", "nq", "twos");
    /** The checker blocks of a real server (keepalived's {@code install_checkers_keyword}). */
    public static final Set<String> CHECKERS = Set.of("TCP_CHECK", "HTTP_GET", "SSL_GET", "SMTP_CHECK", "DNS_CHECK",
            "UDP_CHECK", "PING_CHECK", "MISC_CHECK", "FILE_CHECK", "BFD_CHECK");
    /** {@code IPVS_SVC_PERSISTENT_TIMEOUT}. */
    static final int DEFAULT_PERSISTENCE_SEC = 360;
    /** {@code LVS_MAX_TIMEOUT}: 31 days. */
    static final int MAX_TIMEOUT_SEC = 86400 * 31;
    /** {@code IPVS_DEF_SCHED}. */
    static final String DEFAULT_SCHEDULER = "wlc";
    /** Addresses one group may expand to (jlvs bound: each is an IPVS service). */
    public static final int MAX_GROUP_ADDRESSES = 65_536;
    /** A timer may not exceed 31 days. */
    static final double MAX_TIMER_SEC = MAX_TIMEOUT_SEC;

    private static final Set<String> VRRP_TOP = Set.of("vrrp_instance", "vrrp_sync_group", "vrrp_script",
            "vrrp_track_file", "track_process", "static_ipaddress", "static_routes", "static_rules",
            "static_track_group", "linkbeat_interfaces", "interface_up_down_delays", "garp_group", "vrrp_group");
    private static final Set<String> PROCESS_TOP = Set.of("net_namespace", "net_namespace_ipvs", "namespace_with_ipsets",
            "instance", "use_pid_dir", "linkbeat_use_polling", "child_wait_time");

    private final Diagnostics diag;
    private final Map<String, VirtualServerGroup> groups = new LinkedHashMap<>();

    private LvsConfigReader(Diagnostics diag) { this.diag = diag; }

    /** Reads the tree of one configuration. */
    public static KeepalivedConf read(List<ConfNode> tree, String file, String configId, Diagnostics diag) {
        return new LvsConfigReader(diag).readAll(tree, file, configId);
    }

    private KeepalivedConf readAll(List<ConfNode> tree, String file, String configId) {
        GlobalDefs global = GlobalDefs.DEFAULT;
        List<ConfNode> checkerBlocks = new ArrayList<>();
        for (ConfNode n : tree) {
            if (n.keyword().equals("virtual_server_group")) readGroup(n);
        }
        List<VirtualServerConf> vss = new ArrayList<>();
        Map<VsKey, VirtualServerConf> byKey = new HashMap<>();
        Map<ServiceKey, VirtualServerConf> byService = new HashMap<>();
        for (ConfNode n : tree) {
            switch (n.keyword()) {
                case "global_defs" -> global = readGlobal(n, global);
                case "virtual_server_group" -> { /* read above: a group may be used before it is defined */ }
                case "virtual_server" -> {
                    VirtualServerConf vs = new VsReader(n).read();
                    if (vs != null && unique(n, vs, byKey, byService)) vss.add(vs);
                }
                case "SSL", "track_file" -> checkerBlocks.add(n);
                default -> {
                    if (VRRP_TOP.contains(n.keyword())) diag.skipped(n, "VRRP is not implemented in jlvs");
                    else if (n.keyword().equals("bfd_instance")) diag.skipped(n, "BFD is not implemented in jlvs");
                    else if (PROCESS_TOP.contains(n.keyword())) diag.skipped(n, "keepalived process option, not implemented in jlvs");
                    else diag.skipped(n, "unknown keyword");
                }
            }
        }
        return new KeepalivedConf(file, configId, global, groups, vss, checkerBlocks);
    }

    /** The virtual server neither repeats another one nor programs a service another one programs. */
    private boolean unique(ConfNode n, VirtualServerConf vs, Map<VsKey, VirtualServerConf> byKey,
                           Map<ServiceKey, VirtualServerConf> byService) {
        VirtualServerConf dup = byKey.get(vs.key());
        if (dup != null) {
            diag.error(n, "virtual_server " + vs.key() + " is already defined at " + dup.where());
            return false;
        }
        for (ServiceKey s : vs.services()) {
            VirtualServerConf other = byService.get(s);
            if (other != null) {
                diag.error(n, "virtual_server " + vs.key() + ": service " + s + " is also defined by the virtual_server at "
                        + other.where());
                return false;
            }
        }
        byKey.put(vs.key(), vs);
        for (ServiceKey s : vs.services()) byService.put(s, vs);
        return true;
    }

    // ---- global_defs ----

    private GlobalDefs readGlobal(ConfNode block, GlobalDefs g) {
        String routerId = g.routerId();
        GlobalDefs.LvsTimeouts timeouts = g.lvsTimeouts();
        boolean flush = g.lvsFlush();
        GlobalDefs.FlushOnStop onStop = g.lvsFlushOnStop();
        GlobalDefs.SyncDaemon sync = g.syncDaemon();
        for (ConfNode n : block.children()) {
            switch (n.keyword()) {
                case "router_id" -> {
                    String v = required(n, 0, "router id");
                    if (v != null) routerId = v;
                }
                case "lvs_timeouts" -> {
                    GlobalDefs.LvsTimeouts t = readTimeouts(n);
                    if (t != null) timeouts = t;
                }
                case "lvs_flush" -> {
                    noArgs(n);
                    flush = true;
                }
                case "lvs_flush_on_stop" -> {
                    if (n.args().isEmpty()) onStop = GlobalDefs.FlushOnStop.FULL;
                    else if (n.args().size() == 1 && n.arg(0).equals("VS")) onStop = GlobalDefs.FlushOnStop.VS;
                    else diag.error(n, "lvs_flush_on_stop: expected nothing or VS, got '" + n.arg(0) + "'");
                }
                case "lvs_sync_daemon" -> {
                    GlobalDefs.SyncDaemon s = readSyncDaemon(n);
                    if (s != null) {
                        sync = s;
                        diag.skipped(n, "connection synchronisation is not implemented in jlvs yet (parsed and checked, no daemon started)");
                    }
                }
                default -> diag.skipped(n, "not implemented in jlvs");
            }
        }
        return new GlobalDefs(routerId, timeouts, flush, onStop, sync);
    }

    private GlobalDefs.LvsTimeouts readTimeouts(ConfNode n) {
        if (n.args().isEmpty()) {
            diag.error(n, "lvs_timeouts: at least one of tcp, tcpfin, udp is needed");
            return null;
        }
        int tcp = 0, fin = 0, udp = 0;
        for (int i = 0; i < n.args().size(); i += 2) {
            String what = n.arg(i);
            if (!what.equals("tcp") && !what.equals("tcpfin") && !what.equals("udp")) {
                diag.error(n, "lvs_timeouts: unknown timeout '" + what + "' (expected tcp, tcpfin or udp)");
                return null;
            }
            Long v = number(n, i + 1, 1, MAX_TIMEOUT_SEC, "lvs_timeouts " + what);
            if (v == null) return null;
            switch (what) {
                case "tcp" -> tcp = v.intValue();
                case "tcpfin" -> fin = v.intValue();
                default -> udp = v.intValue();
            }
        }
        return new GlobalDefs.LvsTimeouts(tcp, fin, udp);
    }

    private GlobalDefs.SyncDaemon readSyncDaemon(ConfNode n) {
        String ifname = required(n, 0, "interface");
        if (ifname == null) return null;
        if (ifname.length() > 15) {
            diag.error(n, "lvs_sync_daemon: interface name '" + ifname + "' longer than 15 characters");
            return null;
        }
        String inst = null;
        int id = 0, maxlen = 0, port = 0, ttl = 0;
        IpAddr group = null;
        for (int i = 1; i < n.args().size(); i++) {
            String w = n.arg(i);
            Long v;
            switch (w) {
                case "inst" -> {
                    inst = required(n, ++i, "inst");
                    if (inst == null) return null;
                }
                case "id" -> {
                    if ((v = number(n, ++i, 0, 255, "lvs_sync_daemon id")) == null) return null;
                    id = v.intValue();
                }
                case "maxlen" -> {
                    if ((v = number(n, ++i, 1, 65507, "lvs_sync_daemon maxlen")) == null) return null;
                    maxlen = v.intValue();
                }
                case "port" -> {
                    if ((v = number(n, ++i, 1, 65535, "lvs_sync_daemon port")) == null) return null;
                    port = v.intValue();
                }
                case "ttl" -> {
                    if ((v = number(n, ++i, 1, 255, "lvs_sync_daemon ttl")) == null) return null;
                    ttl = v.intValue();
                }
                case "group" -> {
                    String g = required(n, ++i, "group");
                    if (g == null) return null;
                    group = IpAddr.parse(g);
                    if (group == null) {
                        diag.error(n, "lvs_sync_daemon: invalid group address '" + g + "'");
                        return null;
                    }
                }
                default -> {
                    if (inst != null) {
                        diag.error(n, "lvs_sync_daemon: unknown option '" + w + "'");
                        return null;
                    }
                    inst = w;                           // the instance without "inst", as before keepalived 1.4
                }
            }
        }
        return new GlobalDefs.SyncDaemon(ifname, inst, id, maxlen, port, ttl, group);
    }

    // ---- virtual_server_group ----

    private void readGroup(ConfNode n) {
        String name = required(n, 0, "group name");
        if (name == null) return;
        if (n.args().size() > 1) diag.warning(n, "virtual_server_group: extra words after the name ignored");
        if (groups.containsKey(name)) {
            diag.error(n, "virtual_server_group " + name + " is already defined at " + groups.get(name).where());
            return;
        }
        List<VirtualServerGroup.Entry> entries = new ArrayList<>();
        long total = 0;
        for (ConfNode e : n.children()) {
            VirtualServerGroup.Entry entry = readGroupEntry(name, e);
            if (entry == null) continue;
            if (entry instanceof VirtualServerGroup.Range r) {
                total += Math.min(r.size(), MAX_GROUP_ADDRESSES + 1L);
                if (total > MAX_GROUP_ADDRESSES) {
                    diag.error(e, "virtual_server_group " + name + ": more than " + MAX_GROUP_ADDRESSES
                            + " addresses (each is an IPVS service)");
                    return;
                }
            }
            if (entries.contains(entry)) {
                diag.warning(e, "virtual_server_group " + name + ": duplicated entry ignored");
                continue;
            }
            entries.add(entry);
        }
        if (entries.isEmpty()) {
            diag.warning(n, "virtual_server_group " + name + " has no entries - removing");
            return;
        }
        groups.put(name, new VirtualServerGroup(name, entries, n.where()));
    }

    private VirtualServerGroup.Entry readGroupEntry(String group, ConfNode e) {
        if (!e.children().isEmpty()) diag.error(e, "virtual_server_group " + group + ": unexpected block");
        if (e.keyword().equals("fwmark")) {
            Long mark = number(e, 0, 1, 0xFFFF_FFFFL, "fwmark");
            if (mark == null) return null;
            int af = 0;
            if (e.args().size() > 1) {
                af = family(e, e.arg(1));
                if (af == 0) return null;
            }
            if (e.args().size() > 2) diag.warning(e, "fwmark: extra words ignored");
            return new VirtualServerGroup.Fwmark((int) (long) mark, af);
        }
        String text = e.keyword();
        int port = 0;
        if (!e.args().isEmpty()) {
            Long p = number(e, 0, 0, 65535, "port of " + text);
            if (p == null) return null;
            port = p.intValue();
            if (e.args().size() > 1) diag.warning(e, text + ": extra words after the port ignored");
        }
        VirtualServerGroup.Range r = parseRange(e, text, port);
        return r;
    }

    /** {@code a.b.c.d}, {@code a.b.c.d-e}, {@code a.b.c.d-e.f.g.h}, {@code a.b.c.d/n} and the IPv6 forms. */
    private VirtualServerGroup.Range parseRange(ConfNode e, String text, int port) {
        int slash = text.indexOf('/');
        if (slash >= 0) {
            IpAddr a = IpAddr.parse(text.substring(0, slash));
            Long len = parseDecimal(text.substring(slash + 1));
            int max = a != null && a.isV6() ? 128 : 32;
            if (a == null || len == null || len < 1 || len > max) {
                diag.error(e, "invalid virtual server group address or netmask '" + text + "'");
                return null;
            }
            int hostBits = max - len.intValue();
            long hi = a.hi(), lo = a.lo();
            long hostHi = hostBits > 64 ? (hostBits >= 128 ? -1L : (1L << (hostBits - 64)) - 1) : 0;
            long hostLo = hostBits >= 64 ? -1L : (1L << hostBits) - 1;
            if (!a.isV6()) {
                hostHi = 0;
                hostLo = hostBits >= 32 ? 0xFFFF_FFFFL : (1L << hostBits) - 1;
            }
            if ((hi & hostHi) != 0 || (lo & hostLo) != 0) {
                diag.error(e, "address mask bits not empty - '" + text + "'");
                return null;
            }
            return new VirtualServerGroup.Range(a, new IpAddr(a.af(), hi | hostHi, lo | hostLo), port);
        }
        int dash = text.indexOf('-');
        if (dash < 0) {
            IpAddr a = IpAddr.parse(text);
            if (a == null) {
                diag.error(e, "invalid virtual server group address '" + text + "'");
                return null;
            }
            return new VirtualServerGroup.Range(a, a, port);
        }
        IpAddr first = IpAddr.parse(text.substring(0, dash));
        String endText = text.substring(dash + 1);
        if (first == null || endText.isEmpty()) {
            diag.error(e, "invalid virtual server group range '" + text + "'");
            return null;
        }
        IpAddr last;
        if ((!first.isV6() && endText.indexOf('.') >= 0) || (first.isV6() && endText.indexOf(':') >= 0)) {
            last = IpAddr.parse(endText);
            if (last == null || last.af() != first.af()) {
                diag.error(e, "invalid range end in '" + text + "'");
                return null;
            }
            if (last.compareTo(first) < 0) {
                diag.error(e, "address range end is less than address range start - '" + text + "'");
                return null;
            }
        } else {
            Long end;
            try {
                end = first.isV6() ? Long.parseLong(endText, 16) : parseDecimal(endText);
            } catch (NumberFormatException ex) {
                end = null;
            }
            long limit = first.isV6() ? 0xFFFF : 255;
            if (end == null || end < 0 || end > limit) {
                diag.error(e, "invalid range end '" + endText + "' in '" + text + "' (at most " + (first.isV6() ? "ffff" : "255") + ")");
                return null;
            }
            long start = first.isV6() ? first.lo() & 0xFFFF : first.lo() & 0xFF;
            if (start >= end) {
                diag.error(e, "address range end is not greater than address range start - '" + text + "'");
                return null;
            }
            long lo = first.isV6() ? (first.lo() & ~0xFFFFL) | end : (first.lo() & ~0xFFL) | end;
            last = new IpAddr(first.af(), first.hi(), lo);
        }
        return new VirtualServerGroup.Range(first, last, port);
    }

    // ---- virtual_server ----

    /** Reads one virtual_server block; null when it is invalid or ignored. */
    private final class VsReader {
        private final ConfNode node;
        private VsKey.Kind kind;
        private IpAddr addr;
        private int port, fwmark, af, protocol;
        private String groupName;
        private String scheduler;
        private int flags;
        private final List<ConfNode> shFlags = new ArrayList<>();
        private int persistence = -1;
        private ConfNode granularity;
        private String pe;
        private Forwarding forwarding;
        private int quorum = 1, hysteresis, vsWeight = 1;
        private String quorumUp, quorumDown, virtualhost;
        private boolean alpha, omega, inhibit;
        private ConfNode ipFamily;
        private CheckDefaults timings = CheckDefaults.NONE;
        private ConfNode sorryNode;
        private IpAddr sorryAddr;
        private int sorryPort;
        private boolean sorryInhibit;
        private Forwarding sorryForwarding;
        private final List<RsReader> realServers = new ArrayList<>();

        VsReader(ConfNode node) { this.node = node; }

        VirtualServerConf read() {
            if (!readHead()) return null;
            for (ConfNode n : node.children()) keyword(n);
            return finish();
        }

        private boolean readHead() {
            String a0 = required(node, 0, "address, fwmark or group");
            if (a0 == null) return false;
            int used;
            if (a0.equals("group")) {
                groupName = required(node, 1, "group name");
                if (groupName == null) return false;
                kind = VsKey.Kind.GROUP;
                used = 2;
            } else if (a0.equals("fwmark")) {
                Long m = number(node, 1, 1, 0xFFFF_FFFFL, "virtual_server fwmark");
                if (m == null) return false;
                fwmark = (int) (long) m;
                kind = VsKey.Kind.FWMARK;
                used = 2;
            } else {
                addr = IpAddr.parse(a0);
                if (addr == null) {
                    diag.error(node, "virtual_server: invalid address '" + a0 + "'");
                    return false;
                }
                af = addr.af();
                used = 1;
                if (node.args().size() > 1) {
                    Long p = number(node, 1, 0, 65535, "virtual_server port");
                    if (p == null) return false;
                    port = p.intValue();
                    used = 2;
                }
                kind = VsKey.Kind.ADDRESS;
            }
            if (node.args().size() > used) diag.warning(node, "virtual_server: extra words ignored: " + node.args().subList(used, node.args().size()));
            return true;
        }

        private void keyword(ConfNode n) {
            switch (n.keyword()) {
                case "lvs_sched", "lb_algo" -> {
                    String s = required(n, 0, "scheduler");
                    if (s == null) return;
                    if (!SCHEDULERS.contains(s) || !SchedulerRegistry.exists(s)) {
                        diag.error(n, n.keyword() + ": invalid scheduler '" + s + "' (known: "
                                + String.join(" ", SCHEDULERS.stream().filter(SchedulerRegistry::exists).sorted().toList()) + ")");
                        return;
                    }
                    scheduler = s;
                }
                case "ops" -> {
                    noArgs(n);
                    flags |= VirtualService.F_ONEPACKET;
                }
                case "flag-1" -> flag(n, SchedFlags.SCHED1);
                case "flag-2" -> flag(n, SchedFlags.SCHED2);
                case "flag-3" -> flag(n, SchedFlags.SCHED3);
                case "sh-port", "sh-fallback", "mh-port", "mh-fallback" -> {
                    noArgs(n);
                    shFlags.add(n);
                }
                case "hashed" -> diag.skipped(n, "has no effect (IPVS sets it itself)");
                case "lvs_method", "lb_kind" -> {
                    Forwarding f = forwarding(n, "virtual");
                    if (f != null) forwarding = f;
                }
                case "protocol" -> {
                    String p = required(n, 0, "protocol");
                    if (p == null) return;
                    switch (p.toUpperCase(Locale.ROOT)) {
                        case "TCP" -> protocol = VirtualService.IPPROTO_TCP;
                        case "UDP" -> protocol = VirtualService.IPPROTO_UDP;
                        case "SCTP" -> protocol = VirtualService.IPPROTO_SCTP;
                        default -> diag.error(n, "protocol: unknown protocol '" + p + "' (expected TCP, UDP or SCTP)");
                    }
                }
                case "persistence_timeout" -> {
                    if (n.args().isEmpty()) {
                        persistence = DEFAULT_PERSISTENCE_SEC;
                    } else {
                        Long t = number(n, 0, 1, MAX_TIMEOUT_SEC, "persistence_timeout");
                        if (t != null) persistence = t.intValue();
                    }
                }
                case "persistence_granularity" -> {
                    if (required(n, 0, "netmask") != null) granularity = n;
                }
                case "persistence_engine" -> {
                    String s = required(n, 0, "engine");
                    if (s == null) return;
                    if (!s.equals("sip")) diag.error(n, "persistence_engine: unknown engine '" + s + "' (known: sip)");
                    else pe = s;
                }
                case "quorum" -> {
                    Long q = number(n, 0, 1, 0xFFFF_FFFFL, "quorum");
                    if (q != null) quorum = (int) Math.min(q, Integer.MAX_VALUE);
                }
                case "hysteresis" -> {
                    Long h = number(n, 0, 0, 0xFFFF_FFFFL, "hysteresis");
                    if (h != null) hysteresis = (int) Math.min(h, Integer.MAX_VALUE);
                }
                case "weight" -> {
                    Long w = number(n, 0, 1, 65535, "weight");
                    if (w != null) vsWeight = w.intValue();
                }
                case "quorum_up" -> quorumUp = script(n, quorumUp);
                case "quorum_down" -> quorumDown = script(n, quorumDown);
                case "alpha" -> alpha = true;
                case "omega" -> omega = true;
                case "inhibit_on_failure" -> inhibit = true;
                case "virtualhost" -> {
                    String v = required(n, 0, "virtualhost");
                    if (v != null) virtualhost = v;
                }
                case "ip_family" -> {
                    if (required(n, 0, "family") != null && family(n, n.arg(0)) != 0) ipFamily = n;
                }
                case "delay_loop", "retry", "delay_before_retry", "warmup", "connect_timeout" -> timings = timing(n, timings);
                case "sorry_server" -> sorry(n);
                case "sorry_server_inhibit" -> {
                    if (sorryNode == null) diag.warning(n, "sorry_server_inhibit used before or without sorry_server - ignoring");
                    else sorryInhibit = true;
                }
                case "sorry_server_lvs_method" -> {
                    if (sorryNode == null) {
                        diag.warning(n, "sorry_server_lvs_method used before or without sorry_server - ignoring");
                        return;
                    }
                    Forwarding f = forwarding(n, "sorry");
                    if (f != null) sorryForwarding = f;
                }
                case "real_server" -> {
                    RsReader r = new RsReader(n);
                    if (r.readHead()) realServers.add(r);
                }
                case "ha_suspend" -> diag.skipped(n, "jlvs does not manage virtual addresses (VRRP); checkers always run");
                case "smtp_alert" -> diag.skipped(n, "SMTP alerts are not implemented in jlvs");
                case "snmp_name" -> diag.skipped(n, "SNMP is not implemented in jlvs");
                default -> {
                    if (CHECKERS.contains(n.keyword())) diag.error(n, n.keyword() + " belongs in a real_server block");
                    else diag.skipped(n, "unknown keyword in virtual_server");
                }
            }
        }

        private void flag(ConfNode n, int bit) {
            noArgs(n);
            flags |= bit;
        }

        private void sorry(ConfNode n) {
            String a = required(n, 0, "sorry server address");
            if (a == null) return;
            IpAddr ip = IpAddr.parse(a);
            if (ip == null) {
                diag.error(n, "sorry_server: invalid address '" + a + "'");
                return;
            }
            int p = 0;
            if (n.args().size() > 1) {
                Long v = number(n, 1, 0, 65535, "sorry_server port");
                if (v == null) return;
                p = v.intValue();
            }
            if (sorryNode != null) diag.warning(n, "sorry_server already given at " + sorryNode.where() + " - replacing");
            sorryNode = n;
            sorryAddr = ip;
            sorryPort = p;
            sorryInhibit = false;
            sorryForwarding = null;
        }

        private VirtualServerConf finish() {
            VirtualServerGroup group = null;
            if (kind == VsKey.Kind.GROUP) {
                group = groups.get(groupName);
                if (group == null) {
                    diag.error(node, "virtual_server group " + groupName + ": no virtual_server_group of that name");
                    return null;
                }
            }
            if (realServers.isEmpty()) {
                diag.warning(node, "virtual server " + describe() + " has no real servers - ignoring");
                return null;
            }
            Forwarding vsForwarding = forwarding;
            if (vsForwarding == null) {
                boolean anyUnset = sorryNode != null && sorryForwarding == null;
                for (RsReader r : realServers) anyUnset |= r.forwarding == null;
                if (anyUnset) diag.warning(node, "virtual server " + describe() + ": no forwarding method set, setting default NAT");
                vsForwarding = Forwarding.NAT;
            }
            // the address family: given by the address, or (fwmark) by ip_family, the non-tunnelled servers, or IPv4
            if (kind == VsKey.Kind.FWMARK) af = fwmarkFamily(vsForwarding);
            else if (kind == VsKey.Kind.GROUP) af = groupFamily(group);
            boolean byAddress = kind == VsKey.Kind.ADDRESS || (group != null && group.hasAddresses());
            boolean onlyMarks = kind == VsKey.Kind.FWMARK || (group != null && !group.hasAddresses());
            if (byAddress) {
                if (protocol == 0) {
                    diag.warning(node, "virtual server " + describe() + ": no protocol set - defaulting to UDP");
                    protocol = VirtualService.IPPROTO_UDP;
                }
                if ((flags & VirtualService.F_ONEPACKET) != 0 && protocol != VirtualService.IPPROTO_UDP) {
                    diag.warning(node, "virtual server " + describe() + ": one packet scheduling requires UDP - resetting");
                    flags &= ~VirtualService.F_ONEPACKET;
                }
            }
            if (onlyMarks && protocol != 0) {
                diag.warning(node, "virtual server " + describe() + ": protocol specified for fwmark - protocol will be ignored");
                protocol = 0;
            }
            if (scheduler == null) {
                diag.warning(node, "virtual server " + describe() + ": no scheduler set, setting default '" + DEFAULT_SCHEDULER + "'");
                scheduler = DEFAULT_SCHEDULER;
            }
            for (ConfNode f : shFlags) {
                String sched = f.keyword().substring(0, 2);
                if (!scheduler.equals(sched)) {
                    diag.warning(f, f.keyword() + " only applies to the " + sched + " scheduler - ignoring");
                } else {
                    flags |= f.keyword().endsWith("-port") ? SchedFlags.PORT : SchedFlags.FALLBACK;
                }
            }
            int netmask = -1;
            if (granularity != null) {
                netmask = readGranularity(granularity);
                if (netmask == Integer.MIN_VALUE) return null;
                if (persistence <= 0) persistence = DEFAULT_PERSISTENCE_SEC;
            }
            if (persistence < 0) persistence = 0;
            if (persistence == 0 && kind == VsKey.Kind.ADDRESS && port == 0) {
                diag.warning(node, "virtual server " + describe() + ": zero port only valid for persistent services - setting");
                persistence = DEFAULT_PERSISTENCE_SEC;
            }
            if (persistence == 0 && group != null) {
                for (VirtualServerGroup.Entry e : group.entries()) {
                    if (e instanceof VirtualServerGroup.Range r && r.port() == 0) {
                        diag.warning(node, "virtual server " + describe() + ": zero port only valid for persistent services - setting");
                        persistence = DEFAULT_PERSISTENCE_SEC;
                        break;
                    }
                }
            }
            VsKey key = switch (kind) {
                case ADDRESS -> VsKey.address(protocol, addr, port);
                case FWMARK -> VsKey.fwmark(af, fwmark);
                case GROUP -> VsKey.group(groupName, af, protocol);
            };
            List<ServiceKey> services = services(group);
            CheckDefaults vsTimings = timings.orElse(new CheckDefaults(CheckDefaults.DEFAULT_DELAY_LOOP_US,
                    CheckDefaults.UNSET, CheckDefaults.UNSET, CheckDefaults.UNSET, CheckDefaults.DEFAULT_CONNECT_TIMEOUT_US));

            // the real servers: defaults from the virtual server, ports corrected, duplicates removed
            List<RealServerConf> rss = new ArrayList<>();
            Map<RealServerId, RealServerConf> seen = new HashMap<>();
            long weightSum = 0;
            boolean failed = false;
            for (RsReader r : realServers) {
                Forwarding fwd = r.forwarding != null ? r.forwarding : vsForwarding;
                if (!checkFamily(r.node, r.addr, fwd, services)) {
                    failed = true;
                    continue;
                }
                int rport = correctedPort(r.node, "real server", r.addr, r.port, fwd);
                RealServerId id = new RealServerId(key, r.addr, rport);
                RealServerConf rs = new RealServerConf(id, r.weight >= 0 ? r.weight : vsWeight, fwd, r.uThreshold,
                        r.lThreshold, r.notifyUp, r.notifyDown, r.inhibit != null ? r.inhibit : inhibit,
                        r.alpha != null ? r.alpha : alpha, r.virtualhost != null ? r.virtualhost : virtualhost,
                        r.timings.orElse(vsTimings), r.checkers, r.node.where());
                RealServerConf dup = seen.get(id);
                if (dup != null) {
                    diag.error(r.node, "real server " + id + " is already listed at " + dup.where());
                    failed = true;
                    continue;
                }
                if (rs.uThreshold() != 0 && rs.lThreshold() > rs.uThreshold()) {
                    diag.error(r.node, "real server " + id + ": lthreshold " + rs.lThreshold() + " above uthreshold " + rs.uThreshold());
                    failed = true;
                    continue;
                }
                seen.put(id, rs);
                rss.add(rs);
                weightSum += rs.weight();
            }
            SorryServer sorry = null;
            if (sorryNode != null) {
                Forwarding fwd = sorryForwarding != null ? sorryForwarding : vsForwarding;
                if (!checkFamily(sorryNode, sorryAddr, fwd, services)) return null;
                int sport = correctedPort(sorryNode, "sorry server", sorryAddr, sorryPort, fwd);
                RealServerConf same = seen.get(new RealServerId(key, sorryAddr, sport));
                boolean inh = sorryInhibit;
                if (same != null && same.inhibitOnFailure() != inh) {
                    diag.warning(sorryNode, "real server " + same.id() + " matches sorry server, but inhibit setting differs, "
                            + (same.inhibitOnFailure() ? "setting" : "clearing") + " on sorry server");
                    inh = same.inhibitOnFailure();
                }
                sorry = new SorryServer(sorryAddr, sport, fwd, inh, same != null, sorryNode.where());
            }
            if (failed) return null;
            if (quorum > weightSum) {
                diag.warning(node, "quorum " + quorum + " for " + describe() + " exceeds total weight of real servers "
                        + weightSum + ", reducing quorum to " + weightSum);
                quorum = (int) weightSum;
            }
            if (hysteresis != 0 && hysteresis >= quorum) {
                int h = Math.max(0, quorum - 1);
                diag.warning(node, "virtual server " + describe() + ": hysteresis " + hysteresis + " >= quorum " + quorum
                        + "; setting hysteresis to " + h);
                hysteresis = h;
            }
            return new VirtualServerConf(key, services, scheduler, flags, persistence, netmask, pe, vsForwarding, quorum,
                    hysteresis, quorumUp, quorumDown, alpha, omega, inhibit, virtualhost, vsTimings, sorry, rss, node.where());
        }

        private String describe() {
            return switch (kind) {
                case ADDRESS -> (addr.isV6() ? "[" + addr + "]" : addr.toString()) + ":" + port;
                case FWMARK -> "FWM " + Integer.toUnsignedString(fwmark);
                case GROUP -> "[" + groupName + "]";
            };
        }

        private int fwmarkFamily(Forwarding vsForwarding) {
            if (ipFamily != null) return family(ipFamily, ipFamily.arg(0));
            int found = 0;
            boolean mixed = false;
            if (sorryNode != null) {
                Forwarding f = sorryForwarding != null ? sorryForwarding : vsForwarding;
                if (f.method() != FwdMethod.TUNNEL) return sorryAddr.af();
                found = sorryAddr.af();
            }
            for (RsReader r : realServers) {
                Forwarding f = r.forwarding != null ? r.forwarding : vsForwarding;
                if (f.method() != FwdMethod.TUNNEL) return r.addr.af();
            }
            for (RsReader r : realServers) {
                if (found == 0) found = r.addr.af();
                else if (found != r.addr.af()) mixed = true;
            }
            return mixed || found == 0 ? IpAddr.AF_INET : found;
        }

        private int groupFamily(VirtualServerGroup group) {
            for (VirtualServerGroup.Entry e : group.entries()) {
                if (e instanceof VirtualServerGroup.Range r) return r.first().af();
            }
            for (VirtualServerGroup.Entry e : group.entries()) {
                if (e instanceof VirtualServerGroup.Fwmark f && f.af() != 0) return f.af();
            }
            if (ipFamily != null) return family(ipFamily, ipFamily.arg(0));
            return realServers.isEmpty() ? IpAddr.AF_INET : realServers.getFirst().addr.af();
        }

        /** The IPVS services: one, or for a group every address of every range, then every mark. */
        private List<ServiceKey> services(VirtualServerGroup group) {
            List<ServiceKey> out = new ArrayList<>();
            switch (kind) {
                case ADDRESS -> out.add(ServiceKey.of(protocol, addr, port));
                case FWMARK -> out.add(new ServiceKey(af, 0, null, 0, fwmark));
                case GROUP -> {
                    for (VirtualServerGroup.Entry e : group.entries()) {
                        if (e instanceof VirtualServerGroup.Range r) {
                            long hi = r.first().hi(), lo = r.first().lo();
                            long n = r.size();
                            for (long i = 0; i < n; i++, lo++) {
                                out.add(ServiceKey.of(protocol, new IpAddr(r.first().af(), hi, lo), r.port()));
                            }
                        }
                    }
                    for (VirtualServerGroup.Entry e : group.entries()) {
                        if (e instanceof VirtualServerGroup.Fwmark f) {
                            out.add(new ServiceKey(f.af() != 0 ? f.af() : af, 0, null, 0, f.mark()));
                        }
                    }
                }
            }
            return out;
        }

        /** A non-tunnelled server must be of the family of every service. */
        private boolean checkFamily(ConfNode n, IpAddr a, Forwarding fwd, List<ServiceKey> services) {
            if (fwd.method() == FwdMethod.TUNNEL) return true;
            for (ServiceKey s : services) {
                if (s.af() != a.af()) {
                    diag.error(n, "address family of virtual server " + describe() + " (" + s + ") and server "
                            + a + " don't match (only tunnelled servers may differ)");
                    return false;
                }
            }
            return true;
        }

        /** keepalived's port corrections: NAT without a port takes the virtual port; DR/TUN must use it (0 for a mark). */
        private int correctedPort(ConfNode n, String what, IpAddr a, int p, Forwarding fwd) {
            if (kind == VsKey.Kind.GROUP) {
                // kept as written (its identity on reload, as keepalived's rs_iseq); the table uses each entry's port
                if (!fwd.isNat() && p != 0) {
                    diag.warning(n, what + " " + a + ": port of a " + fwd.method().listName
                            + " server in a group is the port of each group entry - " + p + " ignored");
                }
                return p;
            }
            if (fwd.isNat()) return kind == VsKey.Kind.ADDRESS && p == 0 ? port : p;
            if (kind == VsKey.Kind.FWMARK) {
                if (p != 0) diag.warning(n, "fwmark virtual server " + describe() + ", " + what + " " + a + " has port specified - clearing");
                return 0;
            }
            if (p != 0 && p != port) {
                diag.warning(n, "virtual server " + describe() + " and " + what + " " + a + " ports don't match - resetting to " + port);
            }
            return port;
        }

        /** {@code persistence_granularity}: a dotted mask for IPv4, a prefix length 1..128 for IPv6; MIN_VALUE if bad. */
        private int readGranularity(ConfNode n) {
            String s = n.arg(0);
            if (af == IpAddr.AF_INET6) {
                Long len = parseDecimal(s);
                if (len == null || len < 1 || len > 128) {
                    diag.error(n, "persistence_granularity: invalid IPv6 prefix length '" + s + "' (expected 1..128)");
                    return Integer.MIN_VALUE;
                }
                return len.intValue();
            }
            IpAddr m = IpAddr.parseV4(s);
            if (m == null) {
                diag.error(n, "persistence_granularity: invalid IPv4 netmask '" + s + "'");
                return Integer.MIN_VALUE;
            }
            return m.v4();
        }
    }

    /** Reads one real_server block. */
    private final class RsReader {
        final ConfNode node;
        IpAddr addr;
        int port;
        int weight = -1;
        Forwarding forwarding;
        int uThreshold, lThreshold;
        String notifyUp, notifyDown, virtualhost;
        Boolean inhibit, alpha;
        CheckDefaults timings = CheckDefaults.NONE;
        final List<ConfNode> checkers = new ArrayList<>();

        RsReader(ConfNode node) { this.node = node; }

        boolean readHead() {
            String a = required(node, 0, "real server address");
            if (a == null) return false;
            addr = IpAddr.parse(a);
            if (addr == null) {
                diag.error(node, "real_server: invalid address '" + a + "'");
                return false;
            }
            if (node.args().size() > 1) {
                Long p = number(node, 1, 0, 65535, "real_server port");
                if (p == null) return false;
                port = p.intValue();
            }
            if (node.args().size() > 2) diag.warning(node, "real_server: extra words ignored: " + node.args().subList(2, node.args().size()));
            boolean ok = true;
            for (ConfNode n : node.children()) ok &= keyword(n);
            return ok;
        }

        private boolean keyword(ConfNode n) {
            switch (n.keyword()) {
                case "weight" -> {
                    Long w = number(n, 0, 0, 65535, "weight");
                    if (w == null) return false;
                    weight = w.intValue();
                }
                case "lvs_method", "lb_kind" -> {
                    Forwarding f = forwarding(n, "real");
                    if (f == null) return false;
                    forwarding = f;
                }
                case "uthreshold" -> {
                    Long v = number(n, 0, 0, Integer.MAX_VALUE, "uthreshold");
                    if (v == null) return false;
                    uThreshold = v.intValue();
                }
                case "lthreshold" -> {
                    Long v = number(n, 0, 0, Integer.MAX_VALUE, "lthreshold");
                    if (v == null) return false;
                    lThreshold = v.intValue();
                }
                case "inhibit_on_failure" -> {
                    Boolean b = bool(n);
                    if (b == null) return false;
                    inhibit = b;
                }
                case "alpha" -> {
                    Boolean b = bool(n);
                    if (b == null) return false;
                    alpha = b;
                }
                case "notify_up" -> notifyUp = script(n, notifyUp);
                case "notify_down" -> notifyDown = script(n, notifyDown);
                case "virtualhost" -> {
                    String v = required(n, 0, "virtualhost");
                    if (v != null) virtualhost = v;
                }
                case "delay_loop", "retry", "delay_before_retry", "warmup", "connect_timeout" -> timings = timing(n, timings);
                case "smtp_alert" -> diag.skipped(n, "SMTP alerts are not implemented in jlvs");
                case "snmp_name" -> diag.skipped(n, "SNMP is not implemented in jlvs");
                default -> {
                    if (CHECKERS.contains(n.keyword())) checkers.add(n);
                    else diag.skipped(n, "unknown keyword in real_server");
                }
            }
            return true;
        }
    }

    // ---- values ----

    /** {@code lvs_method NAT|DR|TUN [type ipip|gue|gre] [port N] [nocsum|csum|remcsum]}; null (reported) if bad. */
    private Forwarding forwarding(ConfNode n, String server) {
        String m = required(n, 0, "method");
        if (m == null) return null;
        FwdMethod method = switch (m) {
            case "NAT" -> FwdMethod.MASQ;
            case "DR" -> FwdMethod.DROUTE;
            case "TUN" -> FwdMethod.TUNNEL;
            default -> null;
        };
        if (method == null) {
            diag.error(n, n.keyword() + ": unknown [" + m + "] routing method for " + server + " server (expected NAT, DR or TUN)");
            return null;
        }
        TunnelType type = TunnelType.IPIP;
        int port = 0, csum = TunnelType.FLAG_NOCSUM;
        for (int i = 1; i < n.args().size(); i++) {
            String w = n.arg(i);
            if (method != FwdMethod.TUNNEL) {
                diag.error(n, n.keyword() + ": option '" + w + "' only applies to TUN");
                return null;
            }
            switch (w) {
                case "type" -> {
                    String t = n.arg(++i);
                    if (t == null) {
                        diag.error(n, n.keyword() + ": missing tunnel type for " + server + " server");
                        return null;
                    }
                    type = TunnelType.byName(t);
                    if (type == null) {
                        diag.error(n, n.keyword() + ": unknown tunnel type '" + t + "' for " + server + " server (expected ipip, gue or gre)");
                        return null;
                    }
                }
                case "port" -> {
                    Long p = number(n, ++i, 1, 65535, "gue tunnel port");
                    if (p == null) return null;
                    port = p.intValue();
                }
                case "nocsum" -> csum = TunnelType.FLAG_NOCSUM;
                case "csum" -> csum = TunnelType.FLAG_CSUM;
                case "remcsum" -> csum = TunnelType.FLAG_REMCSUM;
                default -> {
                    diag.error(n, n.keyword() + ": invalid tunnel option '" + w + "' for " + server + " server");
                    return null;
                }
            }
        }
        if ((type == TunnelType.GUE) != (port != 0)) {
            diag.error(n, n.keyword() + ": gue tunnels require port, otherwise cannot have port");
            return null;
        }
        if (type == TunnelType.IPIP && csum != TunnelType.FLAG_NOCSUM) {
            diag.error(n, n.keyword() + ": ipip tunnels do not support checksum option");
            return null;
        }
        if (type == TunnelType.GRE && csum == TunnelType.FLAG_REMCSUM) {
            diag.error(n, n.keyword() + ": gre tunnels do not support remote checksum option");
            return null;
        }
        return new Forwarding(method, type, port, csum);
    }

    private CheckDefaults timing(ConfNode n, CheckDefaults t) {
        switch (n.keyword()) {
            case "retry" -> {
                Long r = number(n, 0, 1, 0xFFFF_FFFFL, "retry");
                return r == null ? t : t.withRetry(r);
            }
            case "delay_loop" -> {
                Long v = timer(n, 0.000001);
                return v == null ? t : t.withDelayLoop(v);
            }
            case "connect_timeout" -> {
                Long v = timer(n, 0.000001);
                return v == null ? t : t.withConnectTimeout(v);
            }
            case "delay_before_retry" -> {
                Long v = timer(n, 0);
                return v == null ? t : t.withDelayBeforeRetry(v);
            }
            default -> {
                Long v = timer(n, 0);
                return v == null ? t : t.withWarmup(v);
            }
        }
    }

    /** {@code read_timer}: seconds with a fraction, to microseconds; null (reported) if bad. */
    private Long timer(ConfNode n, double minSec) {
        String s = required(n, 0, "time in seconds");
        if (s == null) return null;
        double v;
        try {
            if (!s.matches("[+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) throw new NumberFormatException();
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            diag.error(n, n.keyword() + ": invalid number '" + s + "'");
            return null;
        }
        if (!(v >= minSec) || v > MAX_TIMER_SEC) {
            diag.error(n, n.keyword() + ": number '" + s + "' outside range [" + (minSec == 0 ? "0" : "0.000001") + ", "
                    + (long) MAX_TIMER_SEC + "]");
            return null;
        }
        return Math.round(v * CheckDefaults.TIMER_HZ);
    }

    /** A decimal integer argument in [min, max]; null (reported) when missing or bad. */
    private Long number(ConfNode n, int i, long min, long max, String what) {
        String s = n.arg(i);
        if (s == null) {
            diag.error(n, what + ": missing value");
            return null;
        }
        Long v = parseDecimal(s);
        if (v == null) {
            diag.error(n, what + ": invalid number '" + s + "'");
            return null;
        }
        if (v < min || v > max) {
            diag.error(n, what + ": number '" + s + "' outside range [" + min + ", " + max + "]");
            return null;
        }
        return v;
    }

    /** An unsigned or signed decimal without garbage; null otherwise (or beyond a long). */
    static Long parseDecimal(String s) {
        if (s.isEmpty() || s.length() > 19) return null;
        int i = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
        if (i == s.length()) return null;
        for (int k = i; k < s.length(); k++) if (s.charAt(k) < '0' || s.charAt(k) > '9') return null;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code check_true_false}: no argument is true; on/true/yes, off/false/no. */
    private Boolean bool(ConfNode n) {
        if (n.args().isEmpty()) return true;
        return switch (n.arg(0)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> {
                diag.error(n, n.keyword() + ": invalid value '" + n.arg(0) + "' (expected on, off, true, false, yes or no)");
                yield null;
            }
        };
    }

    private String script(ConfNode n, String previous) {
        String s = required(n, 0, "script");
        if (s == null) return previous;
        if (previous != null) {
            diag.warning(n, n.keyword() + " script already specified - ignoring " + s);
            return previous;
        }
        if (n.args().size() > 1) diag.skipped(n, "running the script as user " + n.arg(1) + " is not implemented in jlvs; it runs as jlvsd's user");
        return s;
    }

    private int family(ConfNode n, String s) {
        return switch (s) {
            case "inet" -> IpAddr.AF_INET;
            case "inet6" -> IpAddr.AF_INET6;
            default -> {
                diag.error(n, n.keyword() + ": unknown address family '" + s + "' (expected inet or inet6)");
                yield 0;
            }
        };
    }

    private String required(ConfNode n, int i, String what) {
        String s = n.arg(i);
        if (s == null || s.isEmpty()) {
            diag.error(n, n.keyword() + ": missing " + what);
            return null;
        }
        return s;
    }

    private void noArgs(ConfNode n) {
        if (!n.args().isEmpty()) diag.warning(n, n.keyword() + " takes no value - '" + n.arg(0) + "' ignored");
    }
}
