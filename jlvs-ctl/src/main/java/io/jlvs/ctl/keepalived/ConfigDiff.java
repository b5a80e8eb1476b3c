package io.jlvs.ctl.keepalived;

import io.jlvs.service.ServiceKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What changed between two configurations, as a pure function of them ({@link #compute}): virtual servers added,
 * removed or changed (services of a group, service options, quorum, sorry server), real servers added, removed or
 * changed (table settings, checkers). Real servers are matched by {@link RealServerId} (virtual server key,
 * address, port), as keepalived's {@code vs_iseq}/{@code rs_iseq} match them on a reload.
 *
 * <p>For the checker runner: the state of the checkers of a real server in {@link #checkersKept()} (same id,
 * same checker blocks, same timings) carries over; {@link #added()} need new checkers started, {@link #removed()}
 * theirs stopped; a server whose checkers changed ({@link RealServerChanged#checkersChanged()}) gets new ones.
 * The table operations for a reload come from {@link LvsState#reload}, which also needs the runtime state.
 *
 * @param changes every change, virtual servers before their real servers, in the order of the new file
 *                (removals in the order of the old one, first)
 */
public record ConfigDiff(List<Change> changes, List<RealServerId> checkersKept) {
    public ConfigDiff {
        changes = List.copyOf(changes);
        checkersKept = List.copyOf(checkersKept);
    }

    /** One difference. */
    public sealed interface Change permits GlobalChanged, VirtualServerAdded, VirtualServerRemoved, VirtualServerChanged,
            RealServerAdded, RealServerRemoved, RealServerChanged {}

    /** {@code global_defs} LVS settings differ. */
    public record GlobalChanged(GlobalDefs old, GlobalDefs now) implements Change {}

    public record VirtualServerAdded(VirtualServerConf vs) implements Change {}

    public record VirtualServerRemoved(VirtualServerConf vs) implements Change {}

    /**
     * A virtual server in both with something different.
     *
     * @param servicesAdded   IPVS services that appear (a group grew)
     * @param servicesRemoved IPVS services that go (a group shrank)
     * @param optionsChanged  scheduler, flags or persistence differ ({@code ipvsadm -E})
     * @param otherChanged    quorum, hysteresis, sorry server, alpha/omega, scripts, defaults of its servers
     */
    public record VirtualServerChanged(VirtualServerConf old, VirtualServerConf now, List<ServiceKey> servicesAdded,
                                       List<ServiceKey> servicesRemoved, boolean optionsChanged, boolean otherChanged)
            implements Change {}

    public record RealServerAdded(RealServerConf rs) implements Change {}

    public record RealServerRemoved(RealServerConf rs) implements Change {}

    /**
     * A real server in both with something different.
     *
     * @param tableChanged    weight, thresholds, forwarding or inhibit_on_failure differ (the table entry changes)
     * @param checkersChanged its checker blocks or checker timings differ
     */
    public record RealServerChanged(RealServerConf old, RealServerConf now, boolean tableChanged, boolean checkersChanged)
            implements Change {}

    /** The differences from {@code old} to {@code now}. */
    public static ConfigDiff compute(KeepalivedConf old, KeepalivedConf now) {
        List<Change> changes = new ArrayList<>();
        List<RealServerId> kept = new ArrayList<>();
        if (!old.global().equals(now.global())) changes.add(new GlobalChanged(old.global(), now.global()));
        java.util.Map<VsKey, VirtualServerConf> oldByKey = new java.util.HashMap<>(), nowByKey = new java.util.HashMap<>();
        for (VirtualServerConf v : old.virtualServers()) oldByKey.put(v.key(), v);
        for (VirtualServerConf v : now.virtualServers()) nowByKey.put(v.key(), v);
        for (VirtualServerConf ov : old.virtualServers()) {
            if (!nowByKey.containsKey(ov.key())) changes.add(new VirtualServerRemoved(ov));
        }
        for (VirtualServerConf nv : now.virtualServers()) {
            VirtualServerConf ov = oldByKey.get(nv.key());
            if (ov == null) {
                changes.add(new VirtualServerAdded(nv));
                for (RealServerConf r : nv.realServers()) changes.add(new RealServerAdded(r));
                continue;
            }
            List<ServiceKey> added = new ArrayList<>(nv.services());
            added.removeAll(ov.services());
            List<ServiceKey> removed = new ArrayList<>(ov.services());
            removed.removeAll(nv.services());
            boolean options = !ov.sameServiceOptions(nv);
            boolean other = ov.quorum() != nv.quorum() || ov.hysteresis() != nv.hysteresis()
                    || !Objects.equals(ov.quorumUp(), nv.quorumUp()) || !Objects.equals(ov.quorumDown(), nv.quorumDown())
                    || ov.alpha() != nv.alpha() || ov.omega() != nv.omega() || ov.inhibitOnFailure() != nv.inhibitOnFailure()
                    || !ov.forwarding().equals(nv.forwarding()) || !Objects.equals(ov.virtualhost(), nv.virtualhost())
                    || !ov.checkDefaults().equals(nv.checkDefaults())
                    || !sameSorry(ov.sorryServer(), nv.sorryServer());
            if (!added.isEmpty() || !removed.isEmpty() || options || other) {
                changes.add(new VirtualServerChanged(ov, nv, added, removed, options, other));
            }
            java.util.Map<RealServerId, RealServerConf> oldRs = new java.util.HashMap<>(), nowRs = new java.util.HashMap<>();
            for (RealServerConf r : ov.realServers()) oldRs.put(r.id(), r);
            for (RealServerConf r : nv.realServers()) nowRs.put(r.id(), r);
            for (RealServerConf or : ov.realServers()) {
                if (!nowRs.containsKey(or.id())) changes.add(new RealServerRemoved(or));
            }
            for (RealServerConf nr : nv.realServers()) {
                RealServerConf or = oldRs.get(nr.id());
                if (or == null) {
                    changes.add(new RealServerAdded(nr));
                    continue;
                }
                boolean table = or.weight() != nr.weight() || or.uThreshold() != nr.uThreshold()
                        || or.lThreshold() != nr.lThreshold() || !or.forwarding().equals(nr.forwarding())
                        || or.inhibitOnFailure() != nr.inhibitOnFailure();
                boolean checkers = !or.sameCheckers(nr) || !or.checkDefaults().equals(nr.checkDefaults())
                        || or.alpha() != nr.alpha() || !Objects.equals(or.virtualhost(), nr.virtualhost());
                if (!checkers) kept.add(nr.id());
                if (table || checkers || !or.sameSettings(nr)) changes.add(new RealServerChanged(or, nr, table, checkers));
            }
        }
        return new ConfigDiff(changes, kept);
    }

    private static boolean sameSorry(SorryServer a, SorryServer b) {
        return a == null ? b == null : a.sameSettings(b);
    }

    public boolean isEmpty() { return changes.isEmpty(); }

    /** Real servers that appear (in new or existing virtual servers). */
    public List<RealServerId> added() {
        return changes.stream().filter(c -> c instanceof RealServerAdded).map(c -> ((RealServerAdded) c).rs().id()).toList();
    }

    /** Real servers that go (with their virtual server or alone). */
    public List<RealServerId> removed() {
        List<RealServerId> out = new ArrayList<>();
        for (Change c : changes) {
            if (c instanceof RealServerRemoved r) out.add(r.rs().id());
            else if (c instanceof VirtualServerRemoved v) for (RealServerConf r : v.vs().realServers()) out.add(r.id());
        }
        return out;
    }

    /** Real servers in both whose settings or checkers differ. */
    public List<RealServerChanged> changed() {
        return changes.stream().filter(c -> c instanceof RealServerChanged).map(c -> (RealServerChanged) c).toList();
    }

    /** Real servers in both configurations with exactly the same settings and checkers. */
    public List<RealServerId> unchanged() {
        java.util.Set<RealServerId> changedIds = new java.util.HashSet<>();
        for (RealServerChanged c : changed()) changedIds.add(c.now().id());
        return checkersKept.stream().filter(id -> !changedIds.contains(id)).toList();
    }
}
