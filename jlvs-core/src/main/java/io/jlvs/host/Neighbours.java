package io.jlvs.host;

/**
 * The neighbour table of one data-plane thread (the kernel's {@code arp_tbl} / {@code nd_tbl} for the frames jlvs
 * sends): IP address and interface to MAC, with a state. Fed by the kernel's neighbour events
 * ({@code RTM_NEWNEIGH}, through {@link NeighbourEvents}) and by the ARP replies and neighbour advertisements the
 * data plane sees ({@link ArpResponder}, {@link NdpResponder}). Owned by its thread: no locks.
 *
 * <p>Primitive open addressing ({@link AddressMap}), one table for both families (the key's tag holds the family
 * and the interface), fixed capacity: a full table learns nothing more, and counts it.
 */
public final class Neighbours {
    /** States. A MAC is known in {@link #STALE} and {@link #REACHABLE}, as the kernel's {@code NUD_VALID}. */
    public static final int NONE = 0, INCOMPLETE = 1, STALE = 2, REACHABLE = 3;
    /** {@link #lookup} result without a usable MAC. */
    public static final long NO_MAC = -1;
    /** {@link #update} results. */
    public static final int IGNORED = 0, ADDED = 1, CHANGED = 2, REFRESHED = 3, FULL = 4;

    /** Kernel {@code ndm_state} bits, {@code include/uapi/linux/neighbour.h}. */
    public static final int NUD_INCOMPLETE = 0x01, NUD_REACHABLE = 0x02, NUD_STALE = 0x04, NUD_DELAY = 0x08,
            NUD_PROBE = 0x10, NUD_FAILED = 0x20, NUD_NOARP = 0x40, NUD_PERMANENT = 0x80;

    private static final int STATE_SHIFT = 56;
    private static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;

    private final AddressMap map;
    private long full;

    public Neighbours(int maxEntries) {
        this.map = new AddressMap(maxEntries, HostTables.RANDOM.nextLong());
    }

    private static long tag(int af, int ifIndex) { return (long) af << 32 | (ifIndex & 0xFFFF_FFFFL); }

    /** The neighbour's MAC on {@code ifIndex}, or {@link #NO_MAC} when unknown or incomplete. */
    public long lookup(int af, long hi, long lo, int ifIndex) {
        int s = map.find(hi, lo, tag(af, ifIndex));
        if (s == AddressMap.MISSING) return NO_MAC;
        long v = map.v0(s);
        return (int) (v >>> STATE_SHIFT) >= STALE ? v & MAC_MASK : NO_MAC;
    }

    /** {@link #NONE}, {@link #INCOMPLETE}, {@link #STALE} or {@link #REACHABLE}. */
    public int state(int af, long hi, long lo, int ifIndex) {
        int s = map.find(hi, lo, tag(af, ifIndex));
        return s == AddressMap.MISSING ? NONE : (int) (map.v0(s) >>> STATE_SHIFT);
    }

    /** Clock reading of the neighbour's last update, or -1 when absent. */
    public long updatedNs(int af, long hi, long lo, int ifIndex) {
        int s = map.find(hi, lo, tag(af, ifIndex));
        return s == AddressMap.MISSING ? -1 : map.v1(s);
    }

    /** True for a MAC a neighbour may have: 48 bits, not zero, not group (multicast or broadcast). */
    public static boolean isUnicastMac(long mac) {
        return mac > 0 && (mac >>> 48) == 0 && (mac & (1L << 40)) == 0;
    }

    /**
     * Records a neighbour: {@code mac} in {@code state} ({@link #STALE} or {@link #REACHABLE}), or
     * {@link #INCOMPLETE} (the MAC is ignored; an entry with a MAC keeps it). A group or zero MAC is ignored.
     *
     * @return {@link #ADDED} (a MAC is known where none was), {@link #CHANGED} (another MAC), {@link #REFRESHED},
     *         {@link #IGNORED} or {@link #FULL}
     */
    public int update(int af, long hi, long lo, int ifIndex, long mac, int state, long nowNs) {
        boolean incomplete = state == INCOMPLETE;
        if (!incomplete && (state != STALE && state != REACHABLE || !isUnicastMac(mac))) return IGNORED;
        int s = map.insert(hi, lo, tag(af, ifIndex));
        if (s == AddressMap.MISSING) {
            full++;
            return FULL;
        }
        long old = map.v0(s);
        int oldState = map.isNew() ? NONE : (int) (old >>> STATE_SHIFT);
        if (incomplete) {
            if (oldState >= STALE) return REFRESHED;
            map.v0(s, (long) INCOMPLETE << STATE_SHIFT);
            map.v1(s, nowNs);
            return REFRESHED;
        }
        map.v0(s, (long) state << STATE_SHIFT | mac);
        map.v1(s, nowNs);
        if (oldState < STALE) return ADDED;
        return (old & MAC_MASK) == mac ? REFRESHED : CHANGED;
    }

    /** Marks a known neighbour {@link #STALE} without changing its MAC (RFC 4861 7.2.5: a non-override NA). */
    public void markStale(int af, long hi, long lo, int ifIndex) {
        int s = map.find(hi, lo, tag(af, ifIndex));
        if (s == AddressMap.MISSING) return;
        long v = map.v0(s);
        if ((int) (v >>> STATE_SHIFT) == REACHABLE) map.v0(s, (long) STALE << STATE_SHIFT | (v & MAC_MASK));
    }

    /** Forgets a neighbour ({@code RTM_DELNEIGH}, {@code NUD_FAILED}). */
    public boolean remove(int af, long hi, long lo, int ifIndex) {
        return map.remove(hi, lo, tag(af, ifIndex));
    }

    /** Forgets every neighbour on an interface (the link went down or away). Scans the table. */
    public int removeInterface(int ifIndex) {
        int n = 0;
        for (int s = 0; s < map.capacity(); ) {
            if (map.used(s) && (int) map.tag(s) == ifIndex) {
                map.removeAt(s);                // a later entry may have moved into s: look at s again
                n++;
            } else {
                s++;
            }
        }
        return n;
    }

    /**
     * Our state for a kernel {@code ndm_state}: {@code PERMANENT}, {@code NOARP} and {@code REACHABLE} are
     * reachable; {@code STALE}, {@code DELAY} and {@code PROBE} are stale (the MAC is used); {@code INCOMPLETE}
     * is incomplete; anything else ({@code FAILED}, {@code NONE}) is {@link #NONE}: forget the neighbour.
     */
    public static int fromNud(int nud) {
        if ((nud & (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE)) != 0) return REACHABLE;
        if ((nud & (NUD_STALE | NUD_DELAY | NUD_PROBE)) != 0) return STALE;
        if ((nud & NUD_INCOMPLETE) != 0) return INCOMPLETE;
        return NONE;
    }

    public int size() { return map.size(); }

    public int maxEntries() { return map.maxEntries(); }

    /** Updates refused because the table was full. */
    public long fullCount() { return full; }

    public void clear() { map.clear(); }
}
