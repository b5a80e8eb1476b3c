package io.jlvs.service;

/**
 * A real server (IPVS's {@code struct ip_vs_dest}): an address and port inside one virtual service, its
 * forwarding method, weight, connection thresholds and live counters.
 *
 * <p>Configuration fields are written only by the control path (through {@link VirtualService}); the
 * counters and the OVERLOAD flag are written by the data path that binds and unbinds connections.
 */
public final class RealServer {
    /** {@code IP_VS_DEST_F_AVAILABLE}: the dest is in its service (cleared when it is removed). */
    public static final int F_AVAILABLE = 0x0001;
    /** {@code IP_VS_DEST_F_OVERLOAD}: the upper connection threshold was reached. */
    public static final int F_OVERLOAD = 0x0002;

    private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger();

    private final IpAddr addr;
    private final int port;
    /** Unique in this process: what a connection record stores to name its real server. */
    private final int id = IDS.getAndIncrement();
    /** The service this dest belongs to (IPVS's {@code dest->svc}); null for a detached test dest. */
    private VirtualService svc;
    private final io.jlvs.stats.Stats stats = new io.jlvs.stats.Stats();

    private volatile int weight;
    private volatile int lastWeight;
    private int uThreshold;
    private int lThreshold;
    private FwdMethod fwdMethod;
    private TunnelType tunType = TunnelType.IPIP;
    private int tunPort;
    private int tunFlags;
    private volatile int flags;

    private int activeConns;
    private int inactConns;
    private int persistConns;

    /** Index in its service's list (kept by {@link VirtualService}). */
    private int position;
    /** The service's scheduler index, told of every change that can alter a scheduling decision. */
    private LoadListener listener;

    /**
     * Told when a dest's counters, weight or flags change, so an index over the dests (the tournament tree of
     * the least-load schedulers) stays exact. Called on the thread that made the change; must not allocate.
     */
    public interface LoadListener {
        void loadChanged(RealServer dest);
    }

    RealServer(IpAddr addr, int port) {
        this.addr = addr;
        this.port = port;
    }

    /** Test and benchmark constructor: a DR real server with the given weight, as {@code -a ... -w weight}. */
    public static RealServer of(IpAddr addr, int port, int weight) {
        RealServer d = new RealServer(addr, port);
        d.update(new RealServerSpec(addr, port, FwdMethod.DROUTE, weight, 0, 0, TunnelType.IPIP, 0, 0), true);
        return d;
    }

    /** As {@code __ip_vs_update_dest}: weights, method, tunnel, thresholds; OVERLOAD cleared when allowed. */
    void update(RealServerSpec s, boolean add) {
        if (add || s.weight() != 0) lastWeight = s.weight();   // last_weight keeps the latest non-zero weight
        weight = s.weight();
        fwdMethod = s.fwdMethod();
        tunType = s.tunType();
        tunPort = s.tunPort();
        tunFlags = s.tunFlags();
        int f = flags | F_AVAILABLE;
        if (s.uThreshold() == 0 || s.uThreshold() > uThreshold) f &= ~F_OVERLOAD;
        flags = f;
        uThreshold = s.uThreshold();
        lThreshold = s.lThreshold();
    }

    void unlink() {
        flags &= ~F_AVAILABLE;
        listener = null;
    }

    void position(int index) { position = index; }

    /** Index of this dest in its service's list. */
    public int position() { return position; }

    public void listener(LoadListener l) { listener = l; }

    private void changed() {
        LoadListener l = listener;
        if (l != null) l.loadChanged(this);
    }

    public int id() { return id; }
    public VirtualService service() { return svc; }
    void service(VirtualService s) { svc = s; }
    /** Traffic counters of this real server (written by the data-plane thread). */
    public io.jlvs.stats.Stats stats() { return stats; }
    /** The address as the data path keeps it: two longs, IPv4 in the low 32 bits of lo. */
    public long addrHi() { return addr.hi(); }
    public long addrLo() { return addr.lo(); }

    public IpAddr addr() { return addr; }
    public int af() { return addr.af(); }
    public int port() { return port; }
    public int weight() { return weight; }
    /** The latest non-zero weight (mh keeps a quiesced dest's slots with it). */
    public int lastWeight() { return lastWeight; }
    public int uThreshold() { return uThreshold; }
    public int lThreshold() { return lThreshold; }
    public FwdMethod fwdMethod() { return fwdMethod; }
    public TunnelType tunType() { return tunType; }
    public int tunPort() { return tunPort; }
    public int tunFlags() { return tunFlags; }
    public int flags() { return flags; }
    public boolean isOverloaded() { return (flags & F_OVERLOAD) != 0; }
    public boolean isAvailable() { return (flags & F_AVAILABLE) != 0; }
    public int activeConns() { return activeConns; }
    public int inactConns() { return inactConns; }
    public int persistConns() { return persistConns; }

    /** {@code ip_vs_dest_conn_overhead}: activeconns * 256 + inactconns. */
    public int overhead() { return (activeConns << 8) + inactConns; }

    /** Not overloaded and weight above zero: what rr, wrr, wlc... accept. */
    public boolean isSchedulable() { return (flags & F_OVERLOAD) == 0 && weight > 0; }

    /**
     * As {@code ip_vs_bind_dest}'s counting: a new connection (active or not) and the OVERLOAD rule
     * {@code activeconns + inactconns >= u_threshold}.
     */
    public void bindConn(boolean active) {
        if (active) activeConns++; else inactConns++;
        if (uThreshold != 0 && activeConns + inactConns >= uThreshold) flags |= F_OVERLOAD;
        changed();
    }

    /**
     * As {@code ip_vs_unbind_dest}: the connection leaves; OVERLOAD clears below l_threshold, or below 3/4 of
     * u_threshold when l_threshold is 0.
     */
    public void unbindConn(boolean active) {
        if (active) activeConns--; else inactConns--;
        clearOverloadIfBelow();
        changed();
    }

    private void clearOverloadIfBelow() {
        int total = activeConns + inactConns;
        if (lThreshold != 0) {
            if (total < lThreshold) flags &= ~F_OVERLOAD;
        } else if (uThreshold != 0) {
            if ((long) total * 4 < (long) uThreshold * 3) flags &= ~F_OVERLOAD;
        } else {
            flags &= ~F_OVERLOAD;
        }
    }

    /** A connection moved between established and not (IPVS's INACTIVE flag changes). */
    public void connBecameActive() {
        inactConns--;
        activeConns++;
        changed();
    }

    public void connBecameInactive() {
        activeConns--;
        inactConns++;
        changed();
    }

    public void persistConnsAdd(int delta) { persistConns += delta; }

    /** {@code ip_vs_bind_dest} for a persistence template: persistconns, then the same OVERLOAD test. */
    public void bindTemplate() {
        persistConns++;
        if (uThreshold != 0 && activeConns + inactConns >= uThreshold) flags |= F_OVERLOAD;
        changed();
    }

    /** {@code ip_vs_unbind_dest} for a persistence template. */
    public void unbindTemplate() {
        persistConns--;
        clearOverloadIfBelow();
        changed();
    }

    /** Test helper: set the counters directly (as a connection engine would have left them). */
    public RealServer counters(int active, int inactive) {
        this.activeConns = active;
        this.inactConns = inactive;
        changed();
        return this;
    }

    /** Test helper: force the OVERLOAD flag. */
    public RealServer overloaded(boolean on) {
        flags = on ? flags | F_OVERLOAD : flags & ~F_OVERLOAD;
        changed();
        return this;
    }

    /** Test helper: set the weight as {@code -e ... -w} would, last_weight included. */
    public RealServer weight(int w) {
        if (w != 0) lastWeight = w;
        weight = w;
        changed();
        return this;
    }

    /** "addr:port", IPv6 in brackets, as ipvsadm prints it numerically. */
    @Override
    public String toString() {
        return addr.isV6() ? "[" + addr + "]:" + port : addr + ":" + port;
    }
}
