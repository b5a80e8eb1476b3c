package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;
import io.jlvs.service.RealServer;
import io.jlvs.service.VirtualService;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reload against a fresh start, over random pairs of configurations: the diff leaves exactly the table a fresh
 * start makes, every operation is accepted, and a real server whose entry did not change keeps its table object.
 */
class ReloadProperties {

    /** A random configuration over small pools of addresses, so that two of them overlap a lot. */
    static String randomConfig(long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        if (r.nextBoolean()) sb.append("global_defs {\n lvs_timeouts tcp ").append(300 + r.nextInt(3) * 300).append("\n}\n");
        boolean group = r.nextInt(3) > 0;
        if (group) {
            sb.append("virtual_server_group G {\n");
            int first = 10 + r.nextInt(3);
            sb.append(" 192.0.2.").append(first).append('-').append(first + 1 + r.nextInt(2)).append(" 80\n");
            if (r.nextBoolean()) sb.append(" 192.0.2.20 8080\n");
            if (r.nextBoolean()) sb.append(" fwmark ").append(5 + r.nextInt(2)).append('\n');
            sb.append("}\n");
        }
        String[] heads = {"192.0.2.1 80", "192.0.2.2 53", "192.0.2.3 443", "fwmark 1", "fwmark 2", "group G"};
        String[] protos = {"TCP", "UDP", "TCP", null, null, "TCP"};
        String[] scheds = {"rr", "wrr", "wlc", "sh", "mh", "lc"};
        String[] methods = {"NAT", "DR", "TUN"};
        for (int v = 0; v < heads.length; v++) {
            if (r.nextInt(10) < 4 || (v == 5 && !group)) continue;
            sb.append("virtual_server ").append(heads[v]).append(" {\n");
            if (protos[v] != null) sb.append(" protocol ").append(protos[v]).append('\n');
            sb.append(" lb_algo ").append(scheds[r.nextInt(scheds.length)]).append('\n');
            sb.append(" lb_kind ").append(methods[r.nextInt(methods.length)]).append('\n');
            if (r.nextInt(3) == 0) sb.append(" persistence_timeout ").append(60 * (1 + r.nextInt(3))).append('\n');
            if (r.nextInt(4) == 0) sb.append(" inhibit_on_failure\n");
            sb.append(" quorum ").append(1 + r.nextInt(3)).append('\n');
            if (r.nextInt(3) == 0) sb.append(" sorry_server 198.51.100.").append(90 + r.nextInt(2)).append(" 80\n");
            int n = 0;
            for (int k = 1; k <= 5; k++) {
                if (r.nextInt(10) < 5 && !(k == 5 && n == 0)) continue;
                n++;
                sb.append(" real_server 203.0.113.").append(k).append(r.nextBoolean() ? " 80" : " 8080").append(" {\n");
                sb.append("  weight ").append(1 + r.nextInt(3)).append('\n');
                if (r.nextInt(4) == 0) sb.append("  uthreshold ").append(100 * (1 + r.nextInt(2))).append('\n');
                if (r.nextInt(4) == 0) sb.append("  lvs_method ").append(methods[r.nextInt(methods.length)]).append('\n');
                if (r.nextInt(5) == 0) sb.append("  inhibit_on_failure ").append(r.nextBoolean() ? "on" : "off").append('\n');
                sb.append(" }\n");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    static KeepalivedConf conf(String text) {
        KeepalivedLoader.Result res = Table.load(text);
        assertThat(res.valid()).as(res.messages().report() + "\n" + text).isTrue();
        return res.conf();
    }

    static Map<String, RealServer> dests(Table t) {
        Map<String, RealServer> m = new HashMap<>();
        for (VirtualService s : t.table.services()) {
            for (RealServer d : s.dests()) m.put(s.key() + " " + d.addr() + ":" + d.port(), d);
        }
        return m;
    }

    @Property(tries = 200)
    void reloadLeavesTheTableAFreshStartMakes(@ForAll long seedA, @ForAll long seedB) {
        String a = randomConfig(seedA), b = randomConfig(seedB);
        KeepalivedConf ca = conf(a), cb = conf(b);
        LvsState.Start s = LvsState.start(ca, x -> false);
        Table t = new Table().apply(s.ops());
        Map<String, RealServer> before = dests(t);
        List<TableOp> ops = s.state().reload(cb, x -> false);
        t.apply(ops);
        String fresh = new Table().apply(LvsState.start(cb, x -> false).ops()).save();
        assertThat(t.save()).as("from\n%s\nto\n%s\nops %s", a, b, ops).isEqualTo(fresh);

        // a real server in both files keeps its table entry (counters, connections) where the entry stays
        Map<String, RealServer> after = dests(t);
        for (VirtualServerConf nv : cb.virtualServers()) {
            VirtualServerConf ov = ca.virtualServer(nv.key());
            if (ov == null) continue;
            for (RealServerConf nr : nv.realServers()) {
                RealServerConf or = ov.realServer(nr.id());
                if (or == null) continue;
                for (var k : nv.services()) {
                    if (!ov.services().contains(k)) continue;
                    String key = k + " " + nr.addr() + ":" + TableOp.destPort(k, nr.forwarding(), nr.port());
                    String oldKey = k + " " + or.addr() + ":" + TableOp.destPort(k, or.forwarding(), or.port());
                    if (key.equals(oldKey) && before.containsKey(key) && after.containsKey(key)) {
                        assertThat(after.get(key)).as(key).isSameAs(before.get(key));
                    }
                }
            }
        }
        // and back again
        t.apply(s.state().reload(ca, x -> false));
        assertThat(t.save()).isEqualTo(new Table().apply(LvsState.start(ca, x -> false).ops()).save());
    }

    @Property(tries = 200)
    void theDiffNamesEveryRealServerExactlyOnce(@ForAll long seedA, @ForAll long seedB) {
        KeepalivedConf ca = conf(randomConfig(seedA)), cb = conf(randomConfig(seedB));
        ConfigDiff d = ConfigDiff.compute(ca, cb);
        List<RealServerId> oldIds = ca.realServers().stream().map(RealServerConf::id).toList();
        List<RealServerId> newIds = cb.realServers().stream().map(RealServerConf::id).toList();
        List<RealServerId> kept = new ArrayList<>(newIds);
        kept.retainAll(oldIds);
        assertThat(d.added()).containsExactlyInAnyOrderElementsOf(newIds.stream().filter(id -> !oldIds.contains(id)).toList());
        assertThat(d.removed()).containsExactlyInAnyOrderElementsOf(oldIds.stream().filter(id -> !newIds.contains(id)).toList());
        List<RealServerId> accounted = new ArrayList<>(d.unchanged());
        d.changed().forEach(c -> accounted.add(c.now().id()));
        assertThat(accounted).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(ConfigDiff.compute(ca, ca).isEmpty()).isTrue();
    }

    @Property(tries = 200)
    void verdictsKeepTheTableConsistentWithTheState(@ForAll long seed, @ForAll long steps) {
        KeepalivedConf c = conf(randomConfig(seed));
        Random r = new Random(steps);
        LvsState.Start s = LvsState.start(c, x -> r.nextInt(4) == 0);
        LvsState st = s.state();
        Table t = new Table().apply(s.ops());
        List<RealServerConf> all = c.realServers();
        if (all.isEmpty()) return;
        for (int i = 0; i < 30; i++) {
            RealServerConf rs = all.get(r.nextInt(all.size()));
            if (r.nextInt(5) == 0) t.apply(st.setWeight(rs.id(), r.nextInt(4)));
            else t.apply(st.setAlive(rs.id(), r.nextBoolean()));
            check(c, st, t);
        }
    }

    @Property(tries = 200)
    void reloadsBetweenVerdictsKeepTheTableConsistentWithTheState(@ForAll long seedA, @ForAll long seedB, @ForAll long steps) {
        KeepalivedConf a = conf(randomConfig(seedA)), b = conf(randomConfig(seedB));
        Random r = new Random(steps);
        LvsState.Start s = LvsState.start(a, x -> r.nextInt(4) == 0);
        LvsState st = s.state();
        Table t = new Table().apply(s.ops());
        verdicts(a, st, t, r, 10);
        t.apply(st.reload(b, x -> r.nextInt(4) == 0));
        check(b, st, t);
        verdicts(b, st, t, r, 10);
        t.apply(st.reload(a, x -> r.nextInt(4) == 0));
        check(a, st, t);
        verdicts(a, st, t, r, 10);
    }

    static void verdicts(KeepalivedConf c, LvsState st, Table t, Random r, int n) {
        List<RealServerConf> all = c.realServers();
        if (all.isEmpty()) return;
        for (int i = 0; i < n; i++) {
            RealServerConf rs = all.get(r.nextInt(all.size()));
            if (r.nextInt(5) == 0) t.apply(st.setWeight(rs.id(), r.nextInt(4)));
            else t.apply(st.setAlive(rs.id(), r.nextBoolean()));
            check(c, st, t);
        }
    }

    /** The oracle: what the table must hold for the state's alive flags, weights and quorum. */
    static void check(KeepalivedConf c, LvsState st, Table t) {
        Map<String, RealServer> table = dests(t);
        for (VirtualServerConf v : c.virtualServers()) {
            boolean sorryIn = st.sorryActive(v.key());
            assertThat(sorryIn).isEqualTo(v.sorryServer() != null && !st.quorumUp(v.key()));
            for (var svc : v.services()) {
                for (RealServerConf rs : v.realServers()) {
                    RealServer d = table.get(svc + " " + rs.addr() + ":" + TableOp.destPort(svc, rs.forwarding(), rs.port()));
                    boolean alive = st.isAlive(rs.id());
                    boolean inPool = alive && !sorryIn;
                    if (v.sorryServer() != null && v.sorryServer().addr().equals(rs.addr())) continue;
                    if (inPool) {
                        assertThat(d).as("%s in %s", rs.id(), svc).isNotNull();
                        assertThat(d.weight()).isEqualTo(st.weight(rs.id()));
                    } else if (rs.inhibitOnFailure()) {
                        assertThat(d).as("%s inhibited in %s", rs.id(), svc).isNotNull();
                        assertThat(d.weight()).isZero();
                    } else {
                        assertThat(d).as("%s out of %s", rs.id(), svc).isNull();
                    }
                }
                if (v.sorryServer() != null) {
                    SorryServer so = v.sorryServer();
                    RealServer d = table.get(svc + " " + so.addr() + ":" + TableOp.destPort(svc, so.forwarding(), so.port()));
                    if (sorryIn) assertThat(d).isNotNull().extracting(RealServer::weight).isEqualTo(1);
                    else if (so.inhibit()) assertThat(d).isNotNull().extracting(RealServer::weight).isEqualTo(0);
                    else assertThat(d).isNull();
                }
            }
        }
        assertThat(IpAddr.AF_INET).isEqualTo(2);
    }
}
