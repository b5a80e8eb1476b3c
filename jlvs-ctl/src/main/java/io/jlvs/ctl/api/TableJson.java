package io.jlvs.ctl.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jlvs.ctl.ipvsadm.IpvsStats;
import io.jlvs.ctl.ipvsadm.StatsProvider;
import io.jlvs.sched.SchedFlags;
import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.ServiceKey;
import io.jlvs.service.TunnelType;
import io.jlvs.service.FwdMethod;
import io.jlvs.service.VirtualService;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * The service table as the {@code list} op returns it ({@code "json": true}): the fields of ipvsadm's
 * {@code -L -n --stats} with names instead of columns. Services in insertion order, real servers in IPVS's list
 * order (most recently added first). Counters are unsigned 64-bit numbers.
 *
 * <pre>
 * {"services": [{
 *    "key": {"af": "inet", "protocol": "tcp", "address": "192.0.2.10", "port": 80},   // or {"af": "inet", "fwmark": 7}
 *    "scheduler": "wlc", "flags": ["persistent"], "flagBits": 1, "timeout": 300, "netmask": "255.255.255.255",
 *    "pe": null,
 *    "stats": {"conns": 0, "inPkts": 0, "outPkts": 0, "inBytes": 0, "outBytes": 0,
 *              "cps": 0, "inPps": 0, "outPps": 0, "inBps": 0, "outBps": 0},
 *    "dests": [{"address": "10.0.0.1", "port": 80, "method": "route", "weight": 1,
 *               "upperThreshold": 0, "lowerThreshold": 0,
 *               "activeConns": 0, "inactConns": 0, "persistConns": 0, "stats": {...}}]}]}
 * </pre>
 * A tunnel real server also has {@code "tunnel": {"type": "ipip", "port": 0, "flags": 0}}; an IPv6 service's
 * netmask is its prefix length (a number).
 */
final class TableJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private TableJson() {}

    static ObjectNode table(List<VirtualService> services, StatsProvider stats) {
        ObjectNode root = F.objectNode();
        ArrayNode arr = root.putArray("services");
        for (VirtualService svc : services) arr.add(service(svc, stats));
        return root;
    }

    static ObjectNode service(VirtualService svc, StatsProvider stats) {
        ObjectNode o = F.objectNode();
        o.set("key", key(svc.key()));
        o.put("scheduler", svc.scheduler().name());
        ArrayNode flags = o.putArray("flags");
        if (svc.isPersistent()) flags.add("persistent");
        if (svc.isOnePacket()) flags.add("one-packet");
        if (svc.hasFlag(SchedFlags.SCHED1)) flags.add("flag-1");
        if (svc.hasFlag(SchedFlags.SCHED2)) flags.add("flag-2");
        if (svc.hasFlag(SchedFlags.SCHED3)) flags.add("flag-3");
        o.put("flagBits", svc.flags());
        o.put("timeout", svc.timeoutSec());
        if (svc.af() == IpAddr.AF_INET) o.put("netmask", IpAddr.v4(svc.netmask()).toString());
        else o.put("netmask", svc.netmask());
        o.put("pe", svc.peName());
        o.set("stats", stats(stats.service(svc)));
        ArrayNode dests = o.putArray("dests");
        for (RealServer d : svc.dests()) dests.add(dest(svc, d, stats));
        return o;
    }

    static ObjectNode key(ServiceKey k) {
        ObjectNode o = F.objectNode();
        o.put("af", k.af() == IpAddr.AF_INET6 ? "inet6" : "inet");
        if (k.isFwmark()) {
            u64(o, "fwmark", k.fwmark() & 0xFFFF_FFFFL);
        } else {
            o.put("protocol", ServiceKey.protocolName(k.protocol()).toLowerCase(Locale.ROOT));
            o.put("address", k.addr().toString());
            o.put("port", k.port());
        }
        return o;
    }

    static ObjectNode dest(VirtualService svc, RealServer d, StatsProvider stats) {
        ObjectNode o = F.objectNode();
        o.put("address", d.addr().toString());
        o.put("port", d.port());
        o.put("method", d.fwdMethod().listName.toLowerCase(Locale.ROOT));
        o.put("weight", d.weight());
        u64(o, "upperThreshold", Integer.toUnsignedLong(d.uThreshold()));
        u64(o, "lowerThreshold", Integer.toUnsignedLong(d.lThreshold()));
        if (d.fwdMethod() == FwdMethod.TUNNEL) {
            ObjectNode t = o.putObject("tunnel");
            t.put("type", d.tunType() == null ? TunnelType.IPIP.name().toLowerCase(Locale.ROOT)
                    : d.tunType().name().toLowerCase(Locale.ROOT));
            t.put("port", d.tunPort());
            t.put("flags", d.tunFlags());
        }
        o.put("activeConns", d.activeConns());
        o.put("inactConns", d.inactConns());
        o.put("persistConns", d.persistConns());
        o.set("stats", stats(stats.dest(svc, d)));
        return o;
    }

    static ObjectNode stats(IpvsStats s) {
        ObjectNode o = F.objectNode();
        u64(o, "conns", s.conns());
        u64(o, "inPkts", s.inPkts());
        u64(o, "outPkts", s.outPkts());
        u64(o, "inBytes", s.inBytes());
        u64(o, "outBytes", s.outBytes());
        u64(o, "cps", s.cps());
        u64(o, "inPps", s.inPps());
        u64(o, "outPps", s.outPps());
        u64(o, "inBps", s.inBps());
        u64(o, "outBps", s.outBps());
        return o;
    }

    /** An unsigned 64-bit value, as the smallest node a parser reads it back into (so documents compare equal). */
    private static void u64(ObjectNode o, String name, long v) {
        if (v >= 0 && v <= Integer.MAX_VALUE) o.put(name, (int) v);
        else if (v >= 0) o.put(name, v);
        else o.put(name, new BigInteger(Long.toUnsignedString(v)));
    }
}
