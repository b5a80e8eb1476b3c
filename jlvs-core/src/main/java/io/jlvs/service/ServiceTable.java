package io.jlvs.service;

import io.jlvs.packet.Flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All virtual services of a director, with IPVS's lookup order ({@code ip_vs_service_find}): the firewall-mark
 * service first (when the packet has a mark), then {@code <af, protocol, address, port>}, then for TCP the FTP
 * rule (vport 20, or vport >= 1024, with a port-21 service on that address), then the port-zero service.
 *
 * <p>The control path edits a map and publishes an immutable open-addressing snapshot after each change;
 * {@link #lookup(Flow)} reads only the snapshot: no allocation, no locks. Inside {@link #deferPublish()} ...
 * {@link #publishDeferred()} (a control-API batch) changes are collected and published once at the end, so a batch
 * of n adds costs O(n) instead of O(n^2) rebuilds, and the data path sees the services of the whole batch at once.
 */
public final class ServiceTable {
    static final int FTPPORT = 21, FTPDATA = 20;
    /** {@code net.ipv4.ip_unprivileged_port_start}: ports below need bind privilege. */
    static final int PROT_SOCK = 1024;

    private final Map<ServiceKey, VirtualService> byKey = new LinkedHashMap<>();
    private volatile Snapshot snapshot = Snapshot.build(List.of());
    /** Depth of {@link #deferPublish()} calls not yet closed; the snapshot is rebuilt only at depth 0. */
    private int deferDepth;
    private boolean dirty;

    public VirtualService get(ServiceKey key) { return byKey.get(key); }

    public int size() { return byKey.size(); }

    /** The services as last published, as an array shared with the data path: do not modify it. No allocation. */
    public VirtualService[] snapshot() { return snapshot.services; }

    /** Services in insertion order (listings sort their own copy). */
    public List<VirtualService> services() { return new ArrayList<>(byKey.values()); }

    /** Adds a service; false if one with that key exists (the caller reports "Service already exists"). */
    public boolean add(VirtualService svc) {
        if (byKey.putIfAbsent(svc.key(), svc) != null) return false;
        publish();
        return true;
    }

    public VirtualService remove(ServiceKey key) {
        VirtualService svc = byKey.remove(key);
        if (svc != null) {
            svc.removeAllDests();
            publish();
        }
        return svc;
    }

    public void clear() {
        for (VirtualService svc : byKey.values()) svc.removeAllDests();
        byKey.clear();
        publish();
    }

    private void publish() {
        if (deferDepth > 0) {
            dirty = true;
            return;
        }
        snapshot = Snapshot.build(byKey.values());
        dirty = false;
    }

    /**
     * Starts a bulk change: add/remove/clear stop rebuilding the lookup snapshot until the matching
     * {@link #publishDeferred()}. {@link #get} and {@link #services()} see every change at once; {@link #lookup} and
     * {@link #snapshot()} keep answering from the last published state. Nests; control path only.
     */
    public void deferPublish() { deferDepth++; }

    /** Ends a bulk change: at the outermost level, publishes one snapshot if anything changed. */
    public void publishDeferred() {
        if (deferDepth == 0) throw new IllegalStateException("publishDeferred without deferPublish");
        if (--deferDepth == 0 && dirty) publish();
    }

    /** The service a packet belongs to, in IPVS's order, or null. */
    public VirtualService lookup(Flow f) {
        Snapshot s = snapshot;
        if (f.fwmark != 0) {
            VirtualService svc = s.find(f.af, 0, 0, f.fwmark & 0xFFFF_FFFFL, 0, true);
            if (svc != null) return svc;
        }
        return lookup(f.af, f.protocol, f.dstHi, f.dstLo, f.dstPort);
    }

    /** Is this an address of some (non-fwmark) virtual service? Allocation-free. */
    public boolean isVirtualAddress(int af, long hi, long lo) {
        return snapshot.find(af, Snapshot.ADDRESS, hi, lo, 0, false) != null;
    }

    /** {@code <protocol, vaddr, vport>} then the FTP and port-zero rules (no fwmark). */
    public VirtualService lookup(int af, int protocol, long hi, long lo, int port) {
        Snapshot s = snapshot;
        VirtualService svc = s.find(af, protocol, hi, lo, port, false);
        if (svc == null && protocol == VirtualService.IPPROTO_TCP && (port == FTPDATA || port >= PROT_SOCK)) {
            svc = s.find(af, protocol, hi, lo, FTPPORT, false);
        }
        if (svc == null) svc = s.find(af, protocol, hi, lo, 0, false);
        return svc;
    }

    /** Immutable open-addressing index over the services; fwmark services keyed by (af, mark). */
    private static final class Snapshot {
        /** Pseudo-protocol of the per-address entries behind {@link #isVirtualAddress}. */
        static final int ADDRESS = 0xFF;
        private final VirtualService[] slots;
        /** Every service once, in insertion order. */
        VirtualService[] services = new VirtualService[0];
        private final long[] his, los;
        private final int[] metas;
        private final int mask;

        private Snapshot(int capacity) {
            slots = new VirtualService[capacity];
            his = new long[capacity];
            los = new long[capacity];
            metas = new int[capacity];
            mask = capacity - 1;
        }

        static Snapshot build(Iterable<VirtualService> services) {
            int n = 0;
            for (VirtualService ignored : services) n++;
            int cap = Integer.highestOneBit(Math.max(4, n * 4 + 1) - 1) << 1;   // a service and its address
            Snapshot s = new Snapshot(cap);
            s.services = new VirtualService[n];
            int next = 0;
            for (VirtualService svc : services) {
                s.services[next++] = svc;
                ServiceKey k = svc.key();
                long hi = k.isFwmark() ? 0 : k.addr().hi();
                long lo = k.isFwmark() ? k.fwmark() & 0xFFFF_FFFFL : k.addr().lo();
                s.put(svc, meta(k.af(), k.protocol(), k.port(), k.isFwmark()), hi, lo);
                if (!k.isFwmark() && s.find(k.af(), ADDRESS, hi, lo, 0, false) == null) {
                    s.put(svc, meta(k.af(), ADDRESS, 0, false), hi, lo);
                }
            }
            return s;
        }

        private void put(VirtualService svc, int meta, long hi, long lo) {
            int i = hash(meta, hi, lo) & mask;
            while (slots[i] != null) i = (i + 1) & mask;
            slots[i] = svc;
            his[i] = hi;
            los[i] = lo;
            metas[i] = meta;
        }

        static int meta(int af, int protocol, int port, boolean fwmark) {
            return (fwmark ? 1 << 31 : 0) | ((af & 0x7F) << 24) | ((protocol & 0xFF) << 16) | (port & 0xFFFF);
        }

        static int hash(int meta, long hi, long lo) {
            long h = (hi * 0x9E3779B97F4A7C15L) ^ lo ^ ((long) meta << 17);
            h *= 0xC2B2AE3D27D4EB4FL;
            return (int) (h ^ (h >>> 29) ^ (h >>> 47));
        }

        VirtualService find(int af, int protocol, long hi, long lo, int port, boolean fwmark) {
            int meta = meta(af, protocol, port, fwmark);
            int i = hash(meta, hi, lo) & mask;
            VirtualService svc;
            while ((svc = slots[i]) != null) {
                if (metas[i] == meta && los[i] == lo && his[i] == hi) return svc;
                i = (i + 1) & mask;
            }
            return null;
        }
    }
}
