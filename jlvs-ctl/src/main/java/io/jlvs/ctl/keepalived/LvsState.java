package io.jlvs.ctl.keepalived;

import io.jlvs.service.IpAddr;
import io.jlvs.service.ServiceKey;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What keepalived's checker process keeps about the table it programs, and the table operations it issues, as
 * a pure state machine: no I/O, no clock; every method returns the {@link TableOp}s to apply, in order.
 * Learnt from {@code ipwrapper.c} ({@code init_services}, {@code perform_svr_state},
 * {@code update_quorum_state}, {@code perform_quorum_state}, {@code update_svr_wgt}, {@code clear_diff_services})
 * and {@code ipvswrapper.c} ({@code ipvs_cmd}: a delete of an {@code inhibit_on_failure} server is an edit to
 * weight 0, an add of one already in the table an edit back to its weight).
 *
 * <p>Per real server: <i>alive</i> (its checkers say up) and <i>set</i> (it is in the table). Per virtual server:
 * <i>quorum up</i> (the weight of live servers reached {@code quorum + hysteresis}, and has not fallen below
 * {@code quorum - hysteresis} since) and whether its sorry server is in.
 * <ul>
 *   <li><b>start</b>: every service is added; a real server that {@linkplain RealServerConf#startsDown starts down}
 *       ({@code alpha} with checkers) is not added, unless {@code inhibit_on_failure} (then with weight 0); every
 *       other one is added with its weight and alive. Then the quorum: below it, with a sorry server, the live
 *       servers are taken out and the sorry server put in; a sorry server with {@code sorry_server_inhibit} that
 *       is not needed is added with weight 0.</li>
 *   <li><b>{@link #setAlive}</b> (the checker runner's verdict): a server going up is added (or edited back to its
 *       weight), going down is removed (or edited to weight 0); while the sorry server is in, only the state
 *       changes; then the quorum is re-evaluated, which may swap the sorry server in or out.</li>
 *   <li><b>{@link #setWeight}</b>: a dynamic weight (MISC_CHECK {@code misc_dynamic}, FILE_CHECK): the table is
 *       edited when the server is in the pool; the quorum is re-evaluated.</li>
 *   <li><b>{@link #reload}</b>: the new configuration applied as a diff. Services and real servers present in
 *       both keep their state (alive, set, dynamic weight unless the configured weight changed); only what
 *       changed is touched.</li>
 * </ul>
 * Operations that the kernel would refuse are not issued (adding a server already in the table, deleting one
 * that is not), so a batch applies cleanly. Not thread-safe: the caller serialises (the daemon's control lock).
 */
public final class LvsState {
    /** ipvsadm's weight limit. */
    static final int WEIGHT_LIMIT = 65535;

    /** A table destination: a real server or a sorry server, with its runtime state. */
    private static final class Dest {
        final IpAddr addr;
        final int port;
        final Forwarding fwd;
        final int uThreshold, lThreshold;
        final boolean inhibit;
        final int configWeight;
        RealServerConf conf;                            // null for a sorry server
        int weight;                                     // effective weight (dynamic weights change it)
        boolean alive, set;

        Dest(RealServerConf r) {
            this(r.addr(), r.port(), r.forwarding(), r.uThreshold(), r.lThreshold(), r.inhibitOnFailure(), r.weight());
            this.conf = r;
        }

        Dest(SorryServer s) { this(s.addr(), s.port(), s.forwarding(), 0, 0, s.inhibit(), 1); }

        Dest(IpAddr addr, int port, Forwarding fwd, int u, int l, boolean inhibit, int weight) {
            this.addr = addr;
            this.port = port;
            this.fwd = fwd;
            this.uThreshold = u;
            this.lThreshold = l;
            this.inhibit = inhibit;
            this.configWeight = weight;
            this.weight = weight;
        }

        int realWeight() { return Math.max(0, Math.min(WEIGHT_LIMIT, weight)); }
    }

    private static final class Vs {
        VirtualServerConf conf;
        final Map<RealServerId, Dest> rss = new LinkedHashMap<>();
        Dest sorry;
        boolean quorumUp;
    }

    private KeepalivedConf conf;
    private final Map<VsKey, Vs> vss = new LinkedHashMap<>();
    private List<TableOp> out = new ArrayList<>();
    private List<QuorumChange> quorumChanges = new ArrayList<>();

    /**
     * A virtual server gained or lost its quorum (keepalived's {@code do_vs_notifies}: where {@code quorum_up} /
     * {@code quorum_down} run), {@code atStart} when reported by a start or a reload ("Starting with quorum up").
     */
    public record QuorumChange(VsKey vs, boolean up, boolean atStart, long liveWeight) {}

    /** The quorum changes since the last call, in order (the caller runs the scripts, logs them). */
    public List<QuorumChange> drainQuorumChanges() {
        List<QuorumChange> r = quorumChanges;
        quorumChanges = new ArrayList<>();
        return List.copyOf(r);
    }

    private LvsState(KeepalivedConf conf) { this.conf = conf; }

    /** A freshly started state and the operations that program the table for it. */
    public record Start(LvsState state, List<TableOp> ops) {}

    /** Starts as keepalived does, each real server starting down when {@link RealServerConf#startsDown}. */
    public static Start start(KeepalivedConf conf) { return start(conf, RealServerConf::startsDown); }

    /**
     * Starts as keepalived does ({@code init_services}): {@code lvs_flush}, {@code lvs_timeouts}, then every
     * virtual server.
     *
     * @param startsDown which real servers have failed checkers at start (alpha); the checker code may know better
     *                   than {@link RealServerConf#startsDown} (a checker block with its own {@code alpha})
     */
    public static Start start(KeepalivedConf conf, Predicate<RealServerConf> startsDown) {
        LvsState s = new LvsState(conf);
        if (conf.global().lvsFlush()) s.out.add(TableOp.flush());
        if (conf.global().lvsTimeouts() != null) s.out.add(TableOp.timeouts(conf.global().lvsTimeouts()));
        for (VirtualServerConf v : conf.virtualServers()) s.initVs(v, null, startsDown);
        return new Start(s, s.take());
    }

    /**
     * The operations that turn the table of {@code old} (every real server up) into the table of {@code next}: the
     * reload diff as a pure function of two configurations.
     */
    public static List<TableOp> diffOps(KeepalivedConf old, KeepalivedConf next) {
        LvsState s = start(old, r -> false).state();
        return s.reload(next, r -> false);
    }

    public KeepalivedConf conf() { return conf; }

    /** Whether the real server is alive (its checkers are up); false for an unknown id. */
    public boolean isAlive(RealServerId id) {
        Dest d = dest(id);
        return d != null && d.alive;
    }

    /** Whether the real server is in the table (possibly with weight 0). */
    public boolean isSet(RealServerId id) {
        Dest d = dest(id);
        return d != null && d.set;
    }

    /** The effective weight of the real server (its configured weight unless {@link #setWeight} changed it). */
    public int weight(RealServerId id) {
        Dest d = dest(id);
        return d == null ? 0 : d.weight;
    }

    /** Whether the virtual server has its quorum. */
    public boolean quorumUp(VsKey key) {
        Vs v = vss.get(key);
        return v != null && v.quorumUp;
    }

    /** Whether the virtual server's sorry server is in the pool (quorum lost). */
    public boolean sorryActive(VsKey key) {
        Vs v = vss.get(key);
        return v != null && v.sorry != null && v.sorry.alive;
    }

    private Dest dest(RealServerId id) {
        Vs v = vss.get(id.vs());
        return v == null ? null : v.rss.get(id);
    }

    private List<TableOp> take() {
        List<TableOp> r = out;
        out = new ArrayList<>();
        return List.copyOf(r);
    }

    // ---- checker verdicts ----

    /**
     * The checker runner's verdict for a real server ({@code perform_svr_state}): all its checkers up, or one
     * down. Unknown ids and unchanged states do nothing.
     */
    public List<TableOp> setAlive(RealServerId id, boolean alive) {
        Vs v = vss.get(id.vs());
        Dest d = v == null ? null : v.rss.get(id);
        if (d == null || d.alive == alive) return List.of();
        if (v.quorumUp || v.sorry == null || !v.sorry.alive) {
            if (alive) cmdAdd(v, d, false, v.conf.services());
            else cmdDel(v, d, v.conf.services());
        }
        d.alive = alive;
        updateQuorum(v, false);
        return take();
    }

    /**
     * A dynamic weight for a real server ({@code update_svr_wgt}): applied to the table when the server is in the
     * pool, then the quorum is re-evaluated.
     */
    public List<TableOp> setWeight(RealServerId id, int weight) {
        Vs v = vss.get(id.vs());
        Dest d = v == null ? null : v.rss.get(id);
        if (d == null) return List.of();
        int old = d.realWeight();
        d.weight = weight;
        if (d.realWeight() != old) {
            if (d.set && d.alive && (v.quorumUp || v.sorry == null || !v.sorry.alive)) cmdEdit(v, d, v.conf.services());
            updateQuorum(v, false);
        }
        return take();
    }

    // ---- start ----

    /** {@code init_service_vs}: services (when new), new real servers, quorum, an inhibited sorry server. */
    private void initVs(VirtualServerConf vc, Vs existing, Predicate<RealServerConf> startsDown) {
        Vs v = existing;
        if (v == null) {
            v = new Vs();
            v.conf = vc;
            for (RealServerConf r : vc.realServers()) v.rss.put(r.id(), new Dest(r));
            if (vc.sorryServer() != null) v.sorry = new Dest(vc.sorryServer());
            vss.put(vc.key(), v);
            for (ServiceKey k : vc.services()) out.add(TableOp.addService(k, vc));
        }
        boolean sorryIn = v.sorry != null && v.sorry.alive;  // only on a reload: the quorum state is carried
        for (Dest d : v.rss.values()) {
            if (existing != null && reloaded.contains(d)) continue;     // carried over: keeps its state
            boolean failed = startsDown.test(d.conf);
            if ((!failed && !d.alive) || (d.inhibit && !d.set)) {
                // a new server while the sorry server stands in waits out of the pool (keepalived adds it anyway)
                if (sorryIn) {
                    if (d.inhibit && !d.set) addDest(v, d, 0, vc.services());
                } else {
                    cmdAdd(v, d, failed, vc.services());
                }
                if (!failed) d.alive = true;
            }
        }
        updateQuorum(v, true);
        if (v.sorry != null && v.sorry.inhibit && !v.sorry.set) {
            if (vc.sorryServer().duplicatesRealServer()) {
                v.sorry.set = true;
            } else {
                addDest(v, v.sorry, 0, vc.services());
            }
        }
    }

    // ---- the table operations of ipvs_cmd ----

    /** ADD_DEST: an inhibited server in the table is edited back to its weight; one not in the table is added. */
    private void cmdAdd(Vs v, Dest d, boolean failed, List<ServiceKey> on) {
        if (d.inhibit && d.set) {
            for (ServiceKey k : on) out.add(TableOp.editDest(k, d.addr, d.port, d.fwd, d.realWeight(), d.uThreshold, d.lThreshold));
        } else if (!d.set) {
            addDest(v, d, d.inhibit && failed ? 0 : d.realWeight(), on);
        }
    }

    private void addDest(Vs v, Dest d, int weight, List<ServiceKey> on) {
        for (ServiceKey k : on) out.add(TableOp.addDest(k, d.addr, d.port, d.fwd, weight, d.uThreshold, d.lThreshold));
        d.set = true;
    }

    /** DEL_DEST: an inhibited server is edited to weight 0; another one is removed. */
    private void cmdDel(Vs v, Dest d, List<ServiceKey> on) {
        if (d.inhibit) {
            if (d.set) for (ServiceKey k : on) out.add(TableOp.editDest(k, d.addr, d.port, d.fwd, 0, d.uThreshold, d.lThreshold));
        } else {
            forceDel(d, on);
        }
    }

    /** Removes the server whatever its inhibit setting ({@code clear_service_rs}). */
    private void forceDel(Dest d, List<ServiceKey> on) {
        if (!d.set) return;
        for (ServiceKey k : on) out.add(TableOp.deleteDest(k, d.addr, d.port, d.fwd));
        d.set = false;
    }

    /** EDIT_DEST with the weight the server has in the table now. */
    private void cmdEdit(Vs v, Dest d, List<ServiceKey> on) {
        if (!d.set) return;
        int w = tableWeight(v, d);
        for (ServiceKey k : on) out.add(TableOp.editDest(k, d.addr, d.port, d.fwd, w, d.uThreshold, d.lThreshold));
    }

    /** The weight a server in the table has: its own while in the pool, 0 while inhibited. */
    private static int tableWeight(Vs v, Dest d) {
        if (d == v.sorry) return d.alive ? d.realWeight() : 0;
        boolean inPool = d.alive && (v.quorumUp || v.sorry == null || !v.sorry.alive);
        return inPool || !d.inhibit ? d.realWeight() : 0;
    }

    // ---- quorum ----

    private static long liveWeight(Vs v) {
        long sum = 0;
        for (Dest d : v.rss.values()) if (d.alive) sum += d.realWeight();
        return sum;
    }

    /** {@code update_quorum_state}. */
    private void updateQuorum(Vs v, boolean init) {
        long sum = liveWeight(v);
        long threshold = (long) v.conf.quorum() + (v.quorumUp ? -1L : 1L) * v.conf.hysteresis();
        if (!v.quorumUp && sum >= threshold) {
            v.quorumUp = true;
            quorumChanges.add(new QuorumChange(v.conf.key(), true, init, sum));
            if (v.sorry != null && v.sorry.alive) {
                cmdDel(v, v.sorry, v.conf.services());
                v.sorry.alive = false;
                performQuorumState(v, true);
            }
        } else if ((v.quorumUp && (sum == 0 || sum < threshold)) || (init && !v.quorumUp && v.sorry != null && !v.sorry.alive)) {
            v.quorumUp = false;
            quorumChanges.add(new QuorumChange(v.conf.key(), false, init, sum));
            if (v.sorry != null && !v.sorry.alive) {
                performQuorumState(v, false);
                cmdAdd(v, v.sorry, false, v.conf.services());
                v.sorry.alive = true;
            }
        }
    }

    /** {@code perform_quorum_state}: the live servers back into the pool, or out of it. */
    private void performQuorumState(Vs v, boolean add) {
        for (Dest d : v.rss.values()) {
            if (!d.alive) continue;
            if (add) {
                d.alive = false;
                cmdAdd(v, d, false, v.conf.services());
                d.alive = true;
            } else {
                cmdDel(v, d, v.conf.services());
            }
        }
    }

    // ---- reload ----

    /** Real servers carried over in the reload being applied (not "new" for init). */
    private final Set<Dest> reloaded = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** {@link #reload(KeepalivedConf, Predicate)} with {@link RealServerConf#startsDown} for new servers. */
    public List<TableOp> reload(KeepalivedConf next) { return reload(next, RealServerConf::startsDown); }

    /**
     * Applies a new configuration as a diff ({@code clear_diff_services}, then {@code init_services}): removed
     * virtual servers, services, real servers and sorry servers are deleted; changed service options edited;
     * changed real servers (weight, thresholds, method, inhibit) edited; new ones added as at start. Real servers
     * present in both keep alive/set and their dynamic weight (unless the configured weight changed), virtual
     * servers keep their quorum state. Timeouts are set again when they changed; {@code lvs_flush} is not redone.
     *
     * @param startsDown for the new real servers, as in {@link #start(KeepalivedConf, Predicate)}
     */
    public List<TableOp> reload(KeepalivedConf next, Predicate<RealServerConf> startsDown) {
        Objects.requireNonNull(next);
        GlobalDefs.LvsTimeouts t = next.global().lvsTimeouts();
        if (t != null && !t.equals(conf.global().lvsTimeouts())) out.add(TableOp.timeouts(t));
        reloaded.clear();
        Map<VsKey, Vs> kept = new LinkedHashMap<>();
        Map<VsKey, VirtualServerConf> nextByKey = new java.util.HashMap<>();
        for (VirtualServerConf nv : next.virtualServers()) nextByKey.put(nv.key(), nv);
        for (Vs v : vss.values()) {
            VirtualServerConf nv = nextByKey.get(v.conf.key());
            if (nv == null) {
                for (ServiceKey k : v.conf.services()) out.add(TableOp.deleteService(k));
                continue;
            }
            diffVs(v, nv);
            kept.put(nv.key(), v);
        }
        vss.clear();
        for (VirtualServerConf nv : next.virtualServers()) {
            Vs v = kept.get(nv.key());
            if (v == null) {
                initVs(nv, null, startsDown);
            } else {
                vss.put(nv.key(), v);
                initVs(nv, v, startsDown);
            }
        }
        reloaded.clear();
        conf = next;
        return take();
    }

    /**
     * A destination in both configurations, on the services in both: removed, added, moved (another method under
     * a group or mark means another destination port) or edited, so that it ends as {@code want} says.
     */
    private void update(Vs v, Dest od, Dest nd, boolean want, List<ServiceKey> on) {
        boolean changed = od.realWeight() != nd.realWeight() || !od.fwd.equals(nd.fwd) || od.uThreshold != nd.uThreshold
                || od.lThreshold != nd.lThreshold || od.inhibit != nd.inhibit;
        int w = tableWeight(v, nd);
        for (ServiceKey k : on) {
            boolean moved = TableOp.destPort(k, od.fwd, od.port) != TableOp.destPort(k, nd.fwd, nd.port);
            if (od.set && (!want || moved)) out.add(TableOp.deleteDest(k, od.addr, od.port, od.fwd));
            if (want && (!od.set || moved)) {
                out.add(TableOp.addDest(k, nd.addr, nd.port, nd.fwd, w, nd.uThreshold, nd.lThreshold));
            } else if (want && changed) {
                out.add(TableOp.editDest(k, nd.addr, nd.port, nd.fwd, w, nd.uThreshold, nd.lThreshold));
            }
        }
        nd.set = want;
    }

    /** One virtual server present in both configurations. */
    private void diffVs(Vs v, VirtualServerConf nv) {
        VirtualServerConf ov = v.conf;
        Set<ServiceKey> newServices = new HashSet<>(nv.services()), oldServices = new HashSet<>(ov.services());
        List<ServiceKey> keptServices = new ArrayList<>(), addedServices = new ArrayList<>();
        for (ServiceKey k : ov.services()) {
            if (newServices.contains(k)) keptServices.add(k);
            else out.add(TableOp.deleteService(k));
        }
        for (ServiceKey k : nv.services()) if (!oldServices.contains(k)) addedServices.add(k);
        if (!ov.sameServiceOptions(nv)) for (ServiceKey k : keptServices) out.add(TableOp.editService(k, nv));

        // the real servers
        Map<RealServerId, Dest> rss = new LinkedHashMap<>();
        Map<RealServerId, Dest> oldRss = new LinkedHashMap<>(v.rss);
        Set<RealServerId> newIds = new HashSet<>();
        for (RealServerConf r : nv.realServers()) newIds.add(r.id());
        for (Dest d : oldRss.values()) {
            if (!newIds.contains(d.conf.id())) forceDel(d, keptServices);
        }
        v.conf = nv;
        Dest oldSorry = v.sorry;
        v.sorry = null;                                  // real server weights below are computed without it
        for (RealServerConf r : nv.realServers()) {
            Dest od = oldRss.get(r.id());
            Dest nd = new Dest(r);
            if (od != null) {
                nd.alive = od.alive;
                nd.set = od.set;
                nd.weight = r.weight() != od.configWeight ? r.weight() : od.weight;
                reloaded.add(nd);
            }
            rss.put(r.id(), nd);
        }
        // the sorry server: the same one keeps its state, another one replaces it
        Dest ns = nv.sorryServer() == null ? null : new Dest(nv.sorryServer());
        if (oldSorry != null) {
            boolean same = ns != null && ns.addr.equals(oldSorry.addr) && ns.port == oldSorry.port;
            if (same) {
                ns.alive = oldSorry.alive;
                ns.set = oldSorry.set;
            } else if (oldSorry.alive || oldSorry.set) {
                boolean alsoRealServer = false;
                for (Dest d : rss.values()) alsoRealServer |= d.set && d.addr.equals(oldSorry.addr) && d.port == oldSorry.port;
                if (!alsoRealServer) forceDel(oldSorry, keptServices);
            }
        }
        v.rss.clear();
        v.rss.putAll(rss);
        v.sorry = ns;
        for (Dest nd : rss.values()) {
            Dest od = oldRss.get(nd.conf.id());
            if (od == null) continue;
            // in the table afterwards: in the pool (a live server, unless the sorry server stands in), or with
            // weight 0 when inhibited; the quorum is evaluated afterwards (init), which may swap the sorry server
            boolean inPool = nd.alive && (v.quorumUp || ns == null || !ns.alive);
            update(v, od, nd, inPool || nd.inhibit, keptServices);
        }
        if (ns != null && oldSorry != null && ns.set && ns.addr.equals(oldSorry.addr) && ns.port == oldSorry.port) {
            update(v, oldSorry, ns, true, keptServices);
        }
        // new members of a group: the service, with every server that is in the table
        for (ServiceKey k : addedServices) {
            out.add(TableOp.addService(k, nv));
            for (Dest d : rss.values()) {
                if (d.set) out.add(TableOp.addDest(k, d.addr, d.port, d.fwd, tableWeight(v, d), d.uThreshold, d.lThreshold));
            }
            if (ns != null && ns.set && !nv.sorryServer().duplicatesRealServer()) {
                out.add(TableOp.addDest(k, ns.addr, ns.port, ns.fwd, tableWeight(v, ns), 0, 0));
            }
        }
    }
}
