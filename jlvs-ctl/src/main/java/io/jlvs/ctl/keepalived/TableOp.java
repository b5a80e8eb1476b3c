package io.jlvs.ctl.keepalived;

import io.jlvs.sched.SchedFlags;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.IpAddr;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.TunnelType;
import io.jlvs.service.VirtualService;

import java.util.ArrayList;
import java.util.List;

/**
 * One change to the IPVS table, as the ipvsadm command line that makes it (without the program name): what
 * keepalived's {@code ipvs_cmd} sends to the kernel, in a form jlvs's control API applies
 * ({@code ControlService} batch) and a human reads ({@link #toString}: {@code -a -t 192.0.2.10:80 -r
 * 203.0.113.11:80 -m -w 1}).
 *
 * @param kind what it does
 * @param argv the ipvsadm arguments
 */
public record TableOp(Kind kind, List<String> argv) {
    public enum Kind { FLUSH, SET_TIMEOUTS, ADD_SERVICE, EDIT_SERVICE, DELETE_SERVICE, ADD_DEST, EDIT_DEST, DELETE_DEST }

    public TableOp {
        argv = List.copyOf(argv);
    }

    @Override
    public String toString() { return String.join(" ", argv); }

    static TableOp flush() { return new TableOp(Kind.FLUSH, List.of("-C")); }

    static TableOp timeouts(GlobalDefs.LvsTimeouts t) {
        return new TableOp(Kind.SET_TIMEOUTS, List.of("--set", Integer.toString(t.tcpSec()), Integer.toString(t.tcpFinSec()),
                Integer.toString(t.udpSec())));
    }

    static TableOp addService(ServiceKey k, VirtualServerConf vs) { return service(Kind.ADD_SERVICE, "-A", k, vs); }

    static TableOp editService(ServiceKey k, VirtualServerConf vs) { return service(Kind.EDIT_SERVICE, "-E", k, vs); }

    static TableOp deleteService(ServiceKey k) {
        List<String> a = new ArrayList<>(List.of("-D"));
        a.addAll(serviceArgs(k));
        return new TableOp(Kind.DELETE_SERVICE, a);
    }

    private static TableOp service(Kind kind, String cmd, ServiceKey k, VirtualServerConf vs) {
        List<String> a = new ArrayList<>(List.of(cmd));
        a.addAll(serviceArgs(k));
        a.add("-s");
        a.add(vs.scheduler());
        if (vs.persistenceSec() > 0) {
            a.add("-p");
            a.add(Integer.toString(vs.persistenceSec()));
            if (vs.netmask() != -1 && k.af() == vs.key().af()) {
                a.add("-M");
                a.add(k.af() == IpAddr.AF_INET6 ? Integer.toString(vs.netmask()) : IpAddr.v4(vs.netmask()).toString());
            }
            if (vs.persistenceEngine() != null) {
                a.add("--pe");
                a.add(vs.persistenceEngine());
            }
        }
        if ((vs.flags() & VirtualService.F_ONEPACKET) != 0) a.add("-o");
        String f = schedFlags(vs.scheduler(), vs.flags());
        if (!f.isEmpty()) {
            a.add("-b");
            a.add(f);
        }
        return new TableOp(kind, a);
    }

    /** The {@code -b} names ipvsadm takes: sh-/mh- names for those schedulers, flag-N otherwise. */
    static String schedFlags(String sched, int flags) {
        List<String> out = new ArrayList<>(3);
        boolean hash = sched.equals("sh") || sched.equals("mh");
        if ((flags & SchedFlags.SCHED1) != 0) out.add(hash ? sched + "-fallback" : "flag-1");
        if ((flags & SchedFlags.SCHED2) != 0) out.add(hash ? sched + "-port" : "flag-2");
        if ((flags & SchedFlags.SCHED3) != 0) out.add("flag-3");
        return String.join(",", out);
    }

    static TableOp addDest(ServiceKey k, IpAddr addr, int port, Forwarding fwd, int weight, int u, int l) {
        return dest(Kind.ADD_DEST, "-a", k, addr, port, fwd, weight, u, l);
    }

    static TableOp editDest(ServiceKey k, IpAddr addr, int port, Forwarding fwd, int weight, int u, int l) {
        return dest(Kind.EDIT_DEST, "-e", k, addr, port, fwd, weight, u, l);
    }

    static TableOp deleteDest(ServiceKey k, IpAddr addr, int port, Forwarding fwd) {
        List<String> a = new ArrayList<>(List.of("-d"));
        a.addAll(serviceArgs(k));
        a.add("-r");
        a.add(hostPort(addr, destPort(k, fwd, port)));
        return new TableOp(Kind.DELETE_DEST, a);
    }

    private static TableOp dest(Kind kind, String cmd, ServiceKey k, IpAddr addr, int port, Forwarding fwd, int weight,
                                int u, int l) {
        List<String> a = new ArrayList<>(List.of(cmd));
        a.addAll(serviceArgs(k));
        a.add("-r");
        a.add(hostPort(addr, destPort(k, fwd, port)));
        a.add(switch (fwd.method()) {
            case MASQ -> "-m";
            case TUNNEL -> "-i";
            default -> "-g";
        });
        a.add("-w");
        a.add(Integer.toString(weight));
        if (u != 0) {
            a.add("-x");
            a.add(Integer.toString(u));
        }
        if (l != 0) {
            a.add("-y");
            a.add(Integer.toString(l));
        }
        if (fwd.method() == FwdMethod.TUNNEL && fwd.tunType() != TunnelType.IPIP) {
            a.add("--tun-type");
            a.add(fwd.tunType().optionName);
            if (fwd.tunType() == TunnelType.GUE) {
                a.add("--tun-port");
                a.add(Integer.toString(fwd.tunPort()));
            }
            if (fwd.tunFlags() == TunnelType.FLAG_CSUM) a.add("--tun-csum");
            else if (fwd.tunFlags() == TunnelType.FLAG_REMCSUM) a.add("--tun-remcsum");
        }
        return new TableOp(kind, a);
    }

    /**
     * The destination port keepalived sends ({@code ipvs_cmd}, {@code ipvs_group_cmd}): the service's port for
     * DR/TUN (0 under a mark), the server's own for NAT (the service's when it has none).
     */
    static int destPort(ServiceKey k, Forwarding fwd, int port) {
        if (!fwd.isNat()) return k.isFwmark() ? 0 : k.port();
        return port == 0 && !k.isFwmark() ? k.port() : port;
    }

    static List<String> serviceArgs(ServiceKey k) {
        if (k.isFwmark()) {
            return k.af() == IpAddr.AF_INET6 ? List.of("-f", Integer.toUnsignedString(k.fwmark()), "-6")
                    : List.of("-f", Integer.toUnsignedString(k.fwmark()));
        }
        String hp = hostPort(k.addr(), k.port());
        return switch (k.protocol()) {
            case VirtualService.IPPROTO_TCP -> List.of("-t", hp);
            case VirtualService.IPPROTO_UDP -> List.of("-u", hp);
            default -> List.of("--sctp-service", hp);
        };
    }

    static String hostPort(IpAddr a, int port) {
        return (a.isV6() ? "[" + a + "]" : a.toString()) + ":" + port;
    }
}
