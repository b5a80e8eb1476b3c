package io.jlvs.service;

import io.jlvs.sched.Scheduler;

import java.util.Arrays;

/**
 * A virtual service (IPVS's {@code struct ip_vs_service}): keyed by {@code <af, protocol, address, port>} or by a
 * firewall mark (per family), with its scheduler and its real servers in IPVS's list order: a newly added real
 * server goes to the head of the list; editing one does not move it ({@code __ip_vs_update_dest}).
 *
 * <p>The destination list is an immutable array replaced on every change (copy-on-write, our RCU), so the
 * data path iterates it without locks.
 */
public final class VirtualService {
    /** {@code IP_VS_SVC_F_PERSISTENT}. */
    public static final int F_PERSISTENT = 0x0001;
    /** {@code IP_VS_SVC_F_ONEPACKET}. */
    public static final int F_ONEPACKET = 0x0004;

    public static final int IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_SCTP = 132;

    private static final RealServer[] NONE = new RealServer[0];

    private final ServiceKey key;
    private Scheduler scheduler;
    private int flags;
    private int timeoutSec;
    private int netmask;
    private String peName;
    private volatile RealServer[] dests = NONE;
    /** Written by the control path; read by other threads (the ingress guard's sync), hence volatile. */
    private volatile RealServer[] trash = NONE;
    private final io.jlvs.stats.Stats stats = new io.jlvs.stats.Stats();

    public VirtualService(ServiceKey key, Scheduler scheduler, int flags, int timeoutSec, int netmask, String peName) {
        this.key = key;
        this.flags = flags;
        this.timeoutSec = timeoutSec;
        this.netmask = netmask;
        this.peName = peName;
        this.scheduler = scheduler;
        scheduler.init(this);
    }

    /** A service with default options (no persistence, full netmask), for tests and benchmarks. */
    public static VirtualService of(ServiceKey key, Scheduler scheduler) {
        return new VirtualService(key, scheduler, 0, 0, key.af() == IpAddr.AF_INET ? -1 : 128, null);
    }

    public ServiceKey key() { return key; }
    /** Traffic counters of this service (written by the data-plane thread). */
    public io.jlvs.stats.Stats stats() { return stats; }
    public int af() { return key.af(); }
    public Scheduler scheduler() { return scheduler; }
    public int flags() { return flags; }
    public boolean isPersistent() { return (flags & F_PERSISTENT) != 0; }
    public boolean isOnePacket() { return (flags & F_ONEPACKET) != 0; }
    public boolean hasFlag(int f) { return (flags & f) != 0; }
    /** Persistence timeout in seconds. */
    public int timeoutSec() { return timeoutSec; }
    /** IPv4: the netmask as a host-order int; IPv6: the prefix length (as the kernel keeps it). */
    public int netmask() { return netmask; }
    public String peName() { return peName; }

    /** The real servers, head (most recently added) first. Do not modify the array. */
    public RealServer[] dests() { return dests; }
    public int numDests() { return dests.length; }

    public RealServer findDest(IpAddr addr, int port) {
        for (RealServer d : dests) if (d.port() == port && d.addr().equals(addr)) return d;
        return null;
    }

    /** {@code ip_vs_edit_service}: options replaced; a different scheduler is bound afresh to the same dests. */
    public void edit(Scheduler newScheduler, int flags, int timeoutSec, int netmask, String peName) {
        this.flags = flags;
        this.timeoutSec = timeoutSec;
        this.netmask = netmask;
        this.peName = peName;
        if (newScheduler != null && newScheduler != scheduler) {
            for (RealServer d : dests) d.listener(null);
            scheduler = newScheduler;
            newScheduler.init(this);
        }
    }

    /**
     * {@code ip_vs_add_dest}: a new real server, put at the head of the list. The caller checked it is not in the
     * list. A removed real server with the same address and port that connections still name comes back from the
     * trash ({@code ip_vs_trash_get_dest}): the same object, so those connections carry on.
     */
    public RealServer addDest(RealServerSpec spec) {
        RealServer d = fromTrash(spec.addr(), spec.port());
        if (d == null) {
            d = new RealServer(spec.addr(), spec.port());
            d.service(this);
        }
        d.update(spec, true);
        RealServer[] old = dests, next = new RealServer[old.length + 1];
        next[0] = d;
        System.arraycopy(old, 0, next, 1, old.length);
        renumber(next);
        dests = next;
        scheduler.addDest(this, d);
        return d;
    }

    /** {@code ip_vs_edit_dest}: changed in place, list position kept. */
    public void editDest(RealServer d, RealServerSpec spec) {
        d.update(spec, false);
        scheduler.updDest(this, d);
    }

    /**
     * {@code ip_vs_del_dest}: unlinked from the list; connections still bound to it keep their reference (their
     * packets are dropped while it is unavailable, as IPVS does with {@code expire_nodest_conn=0}), and it waits in
     * the trash until they are gone or it is added again.
     */
    public void removeDest(RealServer d) {
        RealServer[] old = dests;
        int i = Arrays.asList(old).indexOf(d);
        if (i < 0) return;
        RealServer[] next = new RealServer[old.length - 1];
        System.arraycopy(old, 0, next, 0, i);
        System.arraycopy(old, i + 1, next, i, old.length - i - 1);
        renumber(next);
        dests = next;
        d.unlink();
        scheduler.delDest(this, d, i);
        toTrash(d);
    }

    /**
     * IPVS's {@code dest_trash}, per service: removed dests that connections or templates still name. The kernel
     * frees a trashed dest once nothing refers to it (after a grace period); here, dests without connections leave
     * the trash at the next removal.
     */
    private void toTrash(RealServer d) {
        RealServer[] kept = new RealServer[trash.length + 1];
        int n = 0;
        for (RealServer t : trash) if (t != d && inUse(t)) kept[n++] = t;
        if (inUse(d)) kept[n++] = d;
        trash = Arrays.copyOf(kept, n);
    }

    private RealServer fromTrash(IpAddr addr, int port) {
        for (int i = 0; i < trash.length; i++) {
            RealServer t = trash[i];
            if (t.port() != port || !t.addr().equals(addr)) continue;
            RealServer[] rest = new RealServer[trash.length - 1];
            System.arraycopy(trash, 0, rest, 0, i);
            System.arraycopy(trash, i + 1, rest, i, trash.length - i - 1);
            trash = rest;
            return t;
        }
        return null;
    }

    private static boolean inUse(RealServer d) { return d.activeConns() + d.inactConns() + d.persistConns() > 0; }

    /**
     * The removed real servers connections still name: their replies still come through the director (the
     * ingress guard keeps hiding them from the host). A copy, without those whose last connection ended since
     * (their counters are read racily from another thread: a stale answer lasts one more call).
     */
    public RealServer[] trash() {
        RealServer[] t = trash;
        int n = 0;
        RealServer[] out = new RealServer[t.length];
        for (RealServer d : t) if (inUse(d)) out[n++] = d;
        return Arrays.copyOf(out, n);
    }

    private static void renumber(RealServer[] list) {
        for (int k = 0; k < list.length; k++) list[k].position(k);
    }

    /** {@code ip_vs_flush}/-D: every dest unlinked. */
    public void removeAllDests() {
        for (RealServer d : dests) removeDest(d);
    }

    @Override
    public String toString() { return key.toString(); }
}
