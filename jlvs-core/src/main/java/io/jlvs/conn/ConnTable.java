package io.jlvs.conn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

import static io.jlvs.conn.ConnSlab.ALL;
import static io.jlvs.conn.ConnSlab.i16;
import static io.jlvs.conn.ConnSlab.i32;
import static io.jlvs.conn.ConnSlab.i64;
import static io.jlvs.conn.ConnSlab.i8;


/**
 * IPVS's connection table ({@code ip_vs_conn.c}) for one data-plane thread: connections and persistence templates
 * in a preallocated off-heap slab ({@link ConnSlab}), found through an open-addressing index ({@link ConnIndex}),
 * expired by a timer wheel ({@link ConnWheel}). A connection is an int index into the slab; every field is read
 * and written through this class by index.
 *
 * <h2>One hash per connection, both directions</h2>
 * As {@code ip_vs_conn_hashkey_param}, a connection is hashed once, on {@code (af, protocol, caddr, cport)}: the
 * client side, which both directions share. A packet from the client ({@link #lookupIn}) hashes its source; a
 * reply going back to the client ({@link #lookupOut}) hashes its destination. Templates ({@link ConnFlags#TEMPLATE},
 * cport 0) live in the same index ({@link #lookupTemplate}, {@link #lookupFwmarkTemplate}). A connection whose
 * client port is not known yet ({@link ConnFlags#NO_CPORT}, FTP passive data) is stored with cport 0 and found by
 * a second in-lookup with cport 0 while such connections exist, until {@link #fillCport} rehashes it.
 * One-packet connections ({@link ConnFlags#ONE_PACKET}) are not hashed, as {@code ip_vs_conn_hash} refuses them.
 *
 * <h2>Capacity</h2>
 * Fixed at construction: {@code capacityV4} narrow records (52 bytes, IPv4) and {@code capacityV6} wide ones
 * (88 bytes, IPv6 or mixed-family; IPv4 connections spill into them when the narrow ones are used up). When no
 * record is free, {@link #create} returns {@link #NONE} and counts the refusal in {@link #fullDrops()}; existing
 * connections are never evicted. The index has two slots per record, so it never fills and its load factor is at
 * most 0.5. Memory per IPv4 connection: 52 (record) + 8 (index) bytes, plus 4 bytes per wheel bucket in total.
 *
 * <h2>Expiry</h2>
 * Time is passed in ({@code nowNs} from the owner's injected clock) and kept as milliseconds since the table's
 * start in a wrapping int. {@link #refresh} (per packet) only stores {@code expiresAt = now + timeout} in the
 * record; the wheel holds one timer per connection at the deadline it was last armed for, and when that runs out
 * the timer is re-armed at the stored {@code expiresAt} if the connection was refreshed meanwhile, or the
 * {@link ExpiryHandler} is asked. A shorter timeout (a state change) moves the timer earlier at once, as
 * {@code mod_timer} would. {@link #expire} processes at most {@code limit} timers per call.
 *
 * <h2>Threads</h2>
 * Single writer: the table belongs to the data-plane thread that created it (its conn-table shard) and every
 * method, lookups included, must be called on that thread. There are no locks and no volatile fields; the control
 * path gets listings by asking the owner (a command drained at the top of its duty cycle) to run
 * {@link #forEach}. Lookups, create, remove, refresh and expire do not allocate, box or throw on valid input.
 *
 * <h2>Controlled connections</h2>
 * {@link #controlAdd}/{@link #controlDel} keep {@code control} and {@code nControl} as
 * {@code ip_vs_control_add/del}; {@link #remove} drops the connection's own control link. A connection removed
 * while it still controls others leaves the index and the wheel at once but keeps its record (a "zombie") until
 * the last controlled connection lets go, so a {@code control} index never points at a reused record.
 */
public final class ConnTable implements AutoCloseable {
    /** No connection. */
    public static final int NONE = -1;
    public static final int AF_INET = 2, AF_INET6 = 10;
    /** The protocol of fwmark templates. */
    public static final int IPPROTO_IP = 0;
    /** Longest timeout kept (about 12.4 days): deadlines are compared in a wrapping 32-bit millisecond clock. */
    public static final int MAX_TIMEOUT_MS = 1 << 30;
    /** 2^18 one-millisecond buckets: a turn of the wheel is 262 s, 1 MiB of bucket heads. */
    public static final int DEFAULT_WHEEL_BITS = 18;

    private static final long MASK32 = 0xFFFF_FFFFL;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int PUBLIC_FLAGS = 0xFFFF & ~ConnSlab.TABLE_BITS;
    /** Flags only the table changes: HASHED by hashing, NO_CPORT by fillCport. */
    private static final int MANAGED_FLAGS = ConnFlags.HASHED | ConnFlags.NO_CPORT;

    private static final long CPORT = ConnSlab.CPORT, VPORT = ConnSlab.VPORT, DPORT = ConnSlab.DPORT;
    private static final long FLAGS = ConnSlab.FLAGS, PROTOCOL = ConnSlab.PROTOCOL, STATE = ConnSlab.STATE;
    private static final long IN_PKTS = ConnSlab.IN_PKTS, DEST = ConnSlab.DEST, CONTROL = ConnSlab.CONTROL;
    private static final long N_CONTROL = ConnSlab.N_CONTROL, TIMEOUT = ConnSlab.TIMEOUT, EXPIRES = ConnSlab.EXPIRES;

    private final Arena arena;
    private final ConnSlab slab;
    private final ConnIndex index;
    private final ConnWheel wheel;
    private final long k0, k1;
    private final long startNs;
    private final int narrow;

    private int size;
    private int zombies;
    private int noCport;
    private long fullDrops;

    /**
     * A table for {@code capacityV4} IPv4 and {@code capacityV6} IPv6 (or mixed-family) connections whose clock
     * starts at {@code startNs}, with a random hash key and the default wheel.
     */
    public ConnTable(int capacityV4, int capacityV6, long startNs) {
        this(capacityV4, capacityV6, startNs, DEFAULT_WHEEL_BITS, randomKey(), randomKey());
    }

    /** As above with the wheel size ({@code 2^wheelBits} one-millisecond buckets) and the hash key given. */
    public ConnTable(int capacityV4, int capacityV6, long startNs, int wheelBits, long hashKey0, long hashKey1) {
        long total = (long) capacityV4 + capacityV6;
        if (capacityV4 < 0 || capacityV6 < 0 || total < 1 || total >= (1 << 30)) {
            throw new IllegalArgumentException("connection table capacity " + capacityV4 + " + " + capacityV6
                    + " out of range 1.." + ((1 << 30) - 1));
        }
        if (wheelBits < 4 || wheelBits > 24) throw new IllegalArgumentException("wheelBits " + wheelBits + " out of range 4..24");
        this.arena = Arena.ofShared();
        try {
            this.slab = new ConnSlab(arena, capacityV4, capacityV6);
            this.index = new ConnIndex(arena, (int) total);
            this.wheel = new ConnWheel(arena, slab, wheelBits, 0);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        this.narrow = capacityV4;
        this.k0 = hashKey0;
        this.k1 = hashKey1;
        this.startNs = startNs;
        index.clear();
    }

    private static long randomKey() {
        return Holder.RANDOM.nextLong();
    }

    private static final class Holder {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    // ---------------------------------------------------------------------------------------------- lookups

    /**
     * {@code ip_vs_conn_in_get}: the connection of a packet from the client {@code caddr:cport} to the virtual
     * address {@code vaddr:vport} (not templates), or {@link #NONE}. Falls back to a NO_CPORT connection.
     */
    public int lookupIn(int af, int protocol, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport) {
        if (af != AF_INET6) { af = AF_INET; caHi = 0; caLo &= MASK32; vaHi = 0; vaLo &= MASK32; }
        protocol &= 0xFF;
        cport &= 0xFFFF;
        vport &= 0xFFFF;
        int c = findIn(af, protocol, caHi, caLo, cport, vaHi, vaLo, vport);
        if (c == NONE && noCport > 0 && cport != 0) c = findIn(af, protocol, caHi, caLo, 0, vaHi, vaLo, vport);
        return c;
    }

    private int findIn(int af, int protocol, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport) {
        int wantAf6 = af == AF_INET6 ? ConnSlab.F_AF6 : 0;
        int wantNoCport = cport == 0 ? ConnFlags.NO_CPORT : 0;
        return find(af, protocol, caHi, caLo, cport, vaHi, vaLo, vport,
                ConnSlab.F_AF6 | ConnFlags.NO_CPORT, wantAf6 | wantNoCport, null);
    }

    /**
     * The index probe behind every lookup by {@code <af, protocol, caddr, cport, vaddr, vport>}: the first record
     * with that key whose flags under {@code flagMask} equal {@code flagWant} and that {@code match} (if any) accepts.
     */
    private int find(int af, int protocol, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport,
                     int flagMask, int flagWant, IntPredicate match) {
        long h = hash(af, protocol, caHi, caLo, cport);
        int tag = index.tag(h), idMask = index.idMask;
        int ports = ports(cport, vport);
        for (int i = index.home(h); ; i = index.next(i)) {
            int s = index.slot(i);
            if (s == 0) return NONE;
            if ((s & ~idMask) != tag) continue;
            int c = (s & idMask) - 1;
            long p = slab.p(c);
            int f = i16(ALL, p + FLAGS);
            if (i32(ALL, p + CPORT) == ports
                    && (f & flagMask) == flagWant
                    && (i8(ALL, p + PROTOCOL) & 0xFF) == protocol
                    && addrEq(c, p, 0, caHi, caLo) && addrEq(c, p, 1, vaHi, vaLo)
                    && (match == null || match.test(c))) {
                return c;
            }
        }
    }

    /**
     * {@code ip_vs_conn_out_get}: the connection of a reply from {@code from:fromPort} to the client
     * {@code caddr:cport}, or {@link #NONE}. As the current kernel: for NAT the reply comes from the real server
     * ({@code daddr:dport}), for the other methods from the virtual address ({@code vaddr:vport}): DR/TUN replies
     * that happen to route back through the director carry the VIP as source (Linux 5.10, "ipvs: Add traffic
     * statistic up even it is VS/DR or VS/TUN mode"; older kernels matched {@code daddr:dport} for every method).
     */
    public int lookupOut(int af, int protocol, long fromHi, long fromLo, int fromPort, long caHi, long caLo, int cport) {
        if (af != AF_INET6) { af = AF_INET; caHi = 0; caLo &= MASK32; fromHi = 0; fromLo &= MASK32; }
        protocol &= 0xFF;
        cport &= 0xFFFF;
        fromPort &= 0xFFFF;
        long h = hash(af, protocol, caHi, caLo, cport);
        int tag = index.tag(h), idMask = index.idMask;
        int wantAf6 = af == AF_INET6 ? ConnSlab.F_AF6 : 0;
        for (int i = index.home(h); ; i = index.next(i)) {
            int s = index.slot(i);
            if (s == 0) return NONE;
            if ((s & ~idMask) != tag) continue;
            int c = (s & idMask) - 1;
            long p = slab.p(c);
            int f = i16(ALL, p + FLAGS);
            if ((i16(ALL, p + CPORT) & 0xFFFF) != cport
                    || (f & ConnSlab.F_AF6) != wantAf6
                    || (i8(ALL, p + PROTOCOL) & 0xFF) != protocol
                    || !addrEq(c, p, 0, caHi, caLo)) {
                continue;
            }
            boolean nat = (f & ConnFlags.FWD_MASK) == ConnFlags.MASQ;
            int port = i16(ALL, p + (nat ? DPORT : VPORT)) & 0xFFFF;
            if (port == fromPort && addrEq(c, p, nat ? 2 : 1, fromHi, fromLo)) return c;
        }
    }

    /**
     * {@code ip_vs_ct_in_get}: the persistence template {@code <protocol, caddr, cport, vaddr, vport>} (cport 0 for
     * the templates {@code ip_vs_sched_persist} makes), or {@link #NONE}. The template's dest is not part of the key.
     */
    public int lookupTemplate(int af, int protocol, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport) {
        return lookupTemplate(af, protocol, caHi, caLo, cport, vaHi, vaLo, vport, null);
    }

    /**
     * {@code ip_vs_ct_in_get} with a persistence engine's {@code ct_match}: the first template with this key for
     * which {@code match} is true (it is asked about each template with the key, in index order), or
     * {@link #NONE}. {@code match} null accepts the first. For a fwmark template pass protocol {@link #IPPROTO_IP}
     * and vaddr {@code (0, fwmark)}. Allocates nothing; {@code match} must not change the table.
     */
    public int lookupTemplate(int af, int protocol, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport,
                              IntPredicate match) {
        if (af != AF_INET6) { af = AF_INET; caHi = 0; caLo &= MASK32; vaHi = 0; vaLo &= MASK32; }
        return findTemplate(af, protocol & 0xFF, caHi, caLo, cport & 0xFFFF, vaHi, vaLo, vport & 0xFFFF, match);
    }

    /**
     * The template of a fwmark service: {@code <IPPROTO_IP, caddr, 0, fwmark, vport>} ({@code vport} is 0 for
     * fwmark services, kept for the FTP/port-zero variants).
     */
    public int lookupFwmarkTemplate(int af, long caHi, long caLo, int fwmark, int vport) {
        if (af != AF_INET6) { af = AF_INET; caHi = 0; caLo &= MASK32; }
        return findTemplate(af, IPPROTO_IP, caHi, caLo, 0, 0, fwmark & MASK32, vport & 0xFFFF, null);
    }

    private int findTemplate(int af, int protocol, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport,
                             IntPredicate match) {
        int wantAf6 = af == AF_INET6 ? ConnSlab.F_AF6 : 0;
        return find(af, protocol, caHi, caLo, cport, vaHi, vaLo, vport,
                ConnSlab.F_AF6 | ConnFlags.TEMPLATE, wantAf6 | ConnFlags.TEMPLATE, match);
    }

    /** cport and vport as the int at header offset 0 holds them. */
    private static int ports(int cport, int vport) {
        return LITTLE_ENDIAN ? cport | vport << 16 : cport << 16 | vport;
    }

    /** Address {@code which} (0 caddr, 1 vaddr, 2 daddr) of record {@code c} at header {@code p} equals hi:lo. */
    private boolean addrEq(int c, long p, int which, long hi, long lo) {
        if (c < narrow) {
            return hi == 0 && (i32(ALL, p - ConnSlab.NARROW_HEADER + which * 4L) & MASK32) == lo;
        }
        long a = p - ConnSlab.WIDE_HEADER + which * 16L;
        return i64(ALL, a + 8) == lo && i64(ALL, a) == hi;
    }

    // ----------------------------------------------------------------------------------------- create, remove

    /**
     * {@code ip_vs_conn_new}: a connection (or template, with {@link ConnFlags#TEMPLATE}) in state 0, hashed (unless
     * ONE_PACKET) and timed to expire {@code timeoutMs} after {@code nowNs} (IPVS starts with 3 s). Returns its
     * index, or {@link #NONE} when the table is full (counted). The caller checked that no connection with the same
     * key exists ({@code lookupIn} missed). {@code daf} is the dest's family (differs from {@code af} only for
     * tunnels); {@code destId} the caller's dest registry index or {@link #NONE}; IPv4 addresses in the low 32 bits.
     * For fwmark templates pass protocol {@link #IPPROTO_IP} and vaddr {@code (0, fwmark)}.
     */
    public int create(int af, int protocol, long caHi, long caLo, int cport, long vaHi, long vaLo, int vport,
                      int daf, long daHi, long daLo, int dport, int flags, int destId, int timeoutMs, long nowNs) {
        boolean v6 = af == AF_INET6, d6 = daf == AF_INET6;
        if (!v6) { caHi = 0; caLo &= MASK32; vaHi = 0; vaLo &= MASK32; }
        if (!d6) { daHi = 0; daLo &= MASK32; }
        int c = slab.alloc(v6 || d6);
        if (c == NONE) {
            fullDrops++;
            return NONE;
        }
        int f = (flags & PUBLIC_FLAGS & ~ConnFlags.HASHED) | ConnSlab.F_LIVE
                | (v6 ? ConnSlab.F_AF6 : 0) | (d6 ? ConnSlab.F_DAF6 : 0);
        if ((f & ConnFlags.NO_CPORT) != 0) {
            cport = 0;
            noCport++;
        }
        slab.setAddr(c, 0, caHi, caLo);
        slab.setAddr(c, 1, vaHi, vaLo);
        slab.setAddr(c, 2, daHi, daLo);
        long p = slab.p(c);
        i16(ALL, p + CPORT, (short) cport);
        i16(ALL, p + VPORT, (short) vport);
        i16(ALL, p + DPORT, (short) dport);
        i8(ALL, p + PROTOCOL, (byte) protocol);
        i8(ALL, p + STATE, (byte) 0);
        i16(ALL, p + IN_PKTS, (short) 0);
        i32(ALL, p + DEST, destId);
        i32(ALL, p + CONTROL, NONE);
        i32(ALL, p + N_CONTROL, 0);
        int timeout = clampTimeout(timeoutMs);
        int e = tick(nowNs) + timeout;
        i32(ALL, p + TIMEOUT, timeout);
        i32(ALL, p + EXPIRES, e);
        if ((f & ConnFlags.ONE_PACKET) == 0) {
            f |= ConnFlags.HASHED;
            i16(ALL, p + FLAGS, (short) f);
            index.insert(c, hash(v6 ? AF_INET6 : AF_INET, protocol & 0xFF, caHi, caLo, cport & 0xFFFF));
        } else {
            i16(ALL, p + FLAGS, (short) f);
        }
        wheel.link(c, e);
        size++;
        return c;
    }

    /**
     * Takes the connection out of the table at once: unhashed, timer cancelled, its control link dropped, record
     * freed (or kept as a zombie while it still controls others). Does nothing for a connection already removed.
     * The dest bookkeeping ({@code ip_vs_unbind_dest}) is the caller's, before this call.
     */
    /**
     * {@code ip_vs_conn_unhash}: takes a live connection out of the lookup index but keeps its record and timer, so it
     * still expires (and its owner unbinds it) as usual. Port reuse uses it when the old connection still controls
     * others: the new connection with the same key must be the one lookups find (the kernel hashes the new one in
     * front of it), while the old one lives on for the connections it controls.
     */
    public void unhash(int conn) {
        long p = slab.p(conn);
        int f = i16(ALL, p + FLAGS);
        if ((f & ConnSlab.F_LIVE) == 0 || (f & ConnFlags.HASHED) == 0) return;
        index.delete(conn, hashOf(conn), this);
        i16(ALL, p + FLAGS, (short) (f & ~ConnFlags.HASHED));
    }

    public void remove(int conn) {
        long p = slab.p(conn);
        int f = i16(ALL, p + FLAGS);
        if ((f & ConnSlab.F_LIVE) == 0) return;
        if ((f & ConnFlags.HASHED) != 0) index.delete(conn, hashOf(conn), this);
        wheel.unlink(conn);
        if ((f & ConnFlags.NO_CPORT) != 0) noCport--;
        size--;
        if (i32(ALL, p + CONTROL) != NONE) controlDel(conn);
        f &= ~(ConnSlab.F_LIVE | ConnFlags.HASHED);
        if (i32(ALL, p + N_CONTROL) > 0) {
            i16(ALL, p + FLAGS, (short) (f | ConnSlab.F_ZOMBIE));
            zombies++;
        } else {
            slab.free(conn);
        }
    }

    /** {@code ip_vs_conn_fill_cport}: a NO_CPORT connection learns its client port and is rehashed on it. */
    public void fillCport(int conn, int cport) {
        long p = slab.p(conn);
        int f = i16(ALL, p + FLAGS);
        if ((f & ConnFlags.HASHED) == 0) return;
        index.delete(conn, hashOf(conn), this);
        if ((f & ConnFlags.NO_CPORT) != 0) {
            noCport--;
            i16(ALL, p + FLAGS, (short) (f & ~ConnFlags.NO_CPORT));
            i16(ALL, p + CPORT, (short) cport);
        }
        index.insert(conn, hashOf(conn));
    }

    /**
     * {@code ip_vs_check_template} when the template's dest is gone: the template is rekeyed to
     * {@code cport 0, vport 0xffff, dport 0xffff} so no lookup finds it; it stays until it expires.
     */
    public void invalidateTemplate(int conn) {
        long p = slab.p(conn);
        if ((i16(ALL, p + VPORT) & 0xFFFF) == 0xFFFF) return;
        int f = i16(ALL, p + FLAGS);
        boolean hashed = (f & ConnFlags.HASHED) != 0;
        if (hashed) index.delete(conn, hashOf(conn), this);
        i16(ALL, p + DPORT, (short) 0xFFFF);
        i16(ALL, p + VPORT, (short) 0xFFFF);
        i16(ALL, p + CPORT, (short) 0);
        if (hashed) index.insert(conn, hashOf(conn));
    }

    /** {@code ip_vs_control_add}: {@code conn} is controlled by {@code ctl} (a template or an FTP control conn). */
    public void controlAdd(int conn, int ctl) {
        if (slab.getInt(conn, CONTROL) != NONE) controlDel(conn);
        slab.setInt(conn, CONTROL, ctl);
        slab.setInt(ctl, N_CONTROL, slab.getInt(ctl, N_CONTROL) + 1);
    }

    /** {@code ip_vs_control_del}: {@code conn} leaves its controller; a removed controller left with none is freed. */
    public void controlDel(int conn) {
        int ctl = slab.getInt(conn, CONTROL);
        if (ctl == NONE) return;
        slab.setInt(conn, CONTROL, NONE);
        int n = slab.getInt(ctl, N_CONTROL);
        if (n == 0) return;
        slab.setInt(ctl, N_CONTROL, --n);
        if (n == 0 && (slab.getShort(ctl, FLAGS) & ConnSlab.F_ZOMBIE) != 0) {
            zombies--;
            slab.free(ctl);
        }
    }

    /** The hash of a hashed record's key (its current af, protocol, caddr, cport). */
    /** The last key hashed and its hash: a SYN's {@code create} reuses what its missed {@code lookupIn} computed. */
    private int memoAf = -1, memoProtocol, memoPort;
    private long memoHi, memoLo, memoHash;

    /** {@link ConnHash#hash} with a one-entry memo (keys are normalized by the callers). */
    private long hash(int af, int protocol, long hi, long lo, int port) {
        if (af == memoAf && port == memoPort && lo == memoLo && hi == memoHi && protocol == memoProtocol) return memoHash;
        long h = ConnHash.hash(k0, k1, af, protocol, hi, lo, port);
        memoAf = af;
        memoProtocol = protocol;
        memoPort = port;
        memoHi = hi;
        memoLo = lo;
        memoHash = h;
        return h;
    }

    long hashOf(int c) {
        long p = slab.p(c);
        int f = i16(ALL, p + FLAGS);
        int af = (f & ConnSlab.F_AF6) != 0 ? AF_INET6 : AF_INET;
        return ConnHash.hash(k0, k1, af, i8(ALL, p + PROTOCOL) & 0xFF, slab.addrHi(c, 0), slab.addrLo(c, 0),
                i16(ALL, p + CPORT) & 0xFFFF);
    }

    // ------------------------------------------------------------------------------------------------ expiry

    /** Milliseconds since the table's start, wrapping. */
    int tick(long nowNs) {
        return (int) ((nowNs - startNs) / 1_000_000L);
    }

    private static int clampTimeout(int ms) {
        return ms < 0 ? 0 : Math.min(ms, MAX_TIMEOUT_MS);
    }

    /**
     * The connection saw a packet: it now expires its timeout after {@code nowNs}. O(1): only the record is
     * written, unless the deadline moved earlier (a shorter timeout), when its timer is moved too.
     */
    public void refresh(int conn, long nowNs) {
        long p = slab.p(conn);
        int e = tick(nowNs) + i32(ALL, p + TIMEOUT);
        int old = i32(ALL, p + EXPIRES);
        i32(ALL, p + EXPIRES, e);
        if (e - old < 0 && wheel.linked(conn)) {
            wheel.unlink(conn);
            wheel.link(conn, e);
        }
    }

    /** Sets the timeout applied by the next {@link #refresh} ({@code cp->timeout}), clamped to 0..MAX_TIMEOUT_MS. */
    public void timeout(int conn, int timeoutMs) {
        slab.setInt(conn, TIMEOUT, clampTimeout(timeoutMs));
    }

    /** {@code ip_vs_conn_expire_now}: the connection is due; the next {@link #expire} hands it to the handler. */
    public void expireNow(int conn, long nowNs) {
        if ((slab.getShort(conn, FLAGS) & ConnSlab.F_LIVE) == 0) return;
        int e = tick(nowNs);
        slab.setInt(conn, EXPIRES, e);
        if (wheel.linked(conn)) {
            wheel.unlink(conn);
            wheel.link(conn, e);
        }
    }

    /**
     * Runs the timers due at {@code nowNs}, at most {@code limit} of them: a connection refreshed since its timer
     * was armed is re-armed at its {@code expiresAt}; one that has run out is offered to {@code handler} and
     * removed if it agrees. Returns the number of timers processed (for the duty cycle's work count).
     */
    public int expire(long nowNs, int limit, ExpiryHandler handler) {
        int now = tick(nowNs);
        int done = 0;
        while (done < limit) {
            int c = wheel.nextDue(now);
            if (c == NONE) break;
            done++;
            wheel.unlink(c);
            long p = slab.p(c);
            int e = i32(ALL, p + EXPIRES);
            if (e - now > 0) {
                wheel.link(c, e);
                continue;
            }
            if (handler.onExpire(c)) {
                remove(c);
            } else if ((i16(ALL, p + FLAGS) & ConnSlab.F_LIVE) != 0 && !wheel.linked(c)) {
                e = i32(ALL, p + EXPIRES);
                if (e - now <= 0) {
                    e = now + Math.max(1, i32(ALL, p + TIMEOUT));
                    i32(ALL, p + EXPIRES, e);
                }
                wheel.link(c, e);
            }
        }
        return done;
    }

    // ------------------------------------------------------------------------------------------- accessors

    public boolean isLive(int conn) { return (slab.getShort(conn, FLAGS) & ConnSlab.F_LIVE) != 0; }
    public int af(int conn) { return (slab.getShort(conn, FLAGS) & ConnSlab.F_AF6) != 0 ? AF_INET6 : AF_INET; }
    /** The dest's address family ({@code cp->daf}). */
    public int daf(int conn) { return (slab.getShort(conn, FLAGS) & ConnSlab.F_DAF6) != 0 ? AF_INET6 : AF_INET; }
    public int protocol(int conn) { return slab.getByte(conn, PROTOCOL); }
    public int state(int conn) { return slab.getByte(conn, STATE); }
    public void state(int conn, int state) { slab.setByte(conn, STATE, state); }

    /** {@link ConnFlags} bits 0..15 (HASHED while in the index). */
    public int flags(int conn) { return slab.getShort(conn, FLAGS) & PUBLIC_FLAGS; }

    /** Replaces the flags; HASHED and NO_CPORT are the table's (see {@link #fillCport}) and are kept as they are. */
    public void flags(int conn, int flags) {
        int old = slab.getShort(conn, FLAGS);
        int keep = ConnSlab.TABLE_BITS | MANAGED_FLAGS;
        slab.setShort(conn, FLAGS, (old & keep) | (flags & PUBLIC_FLAGS & ~MANAGED_FLAGS));
    }

    public long caddrHi(int conn) { return slab.addrHi(conn, 0); }
    public long caddrLo(int conn) { return slab.addrLo(conn, 0); }
    public int cport(int conn) { return slab.getShort(conn, CPORT); }
    public long vaddrHi(int conn) { return slab.addrHi(conn, 1); }
    /** The virtual address, or the firewall mark of a fwmark template. */
    public long vaddrLo(int conn) { return slab.addrLo(conn, 1); }
    public int vport(int conn) { return slab.getShort(conn, VPORT); }
    public long daddrHi(int conn) { return slab.addrHi(conn, 2); }
    public long daddrLo(int conn) { return slab.addrLo(conn, 2); }
    public int dport(int conn) { return slab.getShort(conn, DPORT); }

    /** The caller's dest registry index, or {@link #NONE}. */
    public int destId(int conn) { return slab.getInt(conn, DEST); }
    public void destId(int conn, int destId) { slab.setInt(conn, DEST, destId); }
    /** The controlling template or FTP control connection, or {@link #NONE}. */
    public int control(int conn) { return slab.getInt(conn, CONTROL); }
    /** How many connections this one controls. */
    public int nControl(int conn) { return slab.getInt(conn, N_CONTROL); }

    /** Packets counted for sync, modulo 2^16. */
    public int inPkts(int conn) { return slab.getShort(conn, IN_PKTS); }
    /** Counts one packet and returns the new count (modulo 2^16), as {@code atomic_inc_return(&cp->in_pkts)}. */
    public int incInPkts(int conn) {
        int n = (slab.getShort(conn, IN_PKTS) + 1) & 0xFFFF;
        slab.setShort(conn, IN_PKTS, n);
        return n;
    }

    public int timeoutMs(int conn) { return slab.getInt(conn, TIMEOUT); }
    /** The deadline in the table's millisecond clock (wrapping; see {@link #expiresInMs}). */
    public int expiresAt(int conn) { return slab.getInt(conn, EXPIRES); }
    /** Milliseconds left before the connection is due (negative when overdue), for listings. */
    public int expiresInMs(int conn, long nowNs) { return slab.getInt(conn, EXPIRES) - tick(nowNs); }

    // --------------------------------------------------------------------------------------- whole table

    /** Connections in the table (one-packet ones included, zombies not). */
    public int size() { return size; }
    /** Removed controllers kept until their controlled connections go. */
    public int zombies() { return zombies; }
    /** Records in all: IPv4 plus IPv6. */
    public int capacity() { return slab.narrow + slab.wide; }
    public int capacityV4() { return slab.narrow; }
    public int capacityV6() { return slab.wide; }
    /** Connections refused because no record was free. */
    public long fullDrops() { return fullDrops; }

    /** Bytes of native memory held: slab + index + wheel. */
    public long nativeBytes() { return slab.bytes() + index.bytes() + wheel.bytes(); }
    public long slabBytes() { return slab.bytes(); }
    public long indexBytes() { return index.bytes(); }
    public long wheelBytes() { return wheel.bytes(); }

    /** Calls {@code action} with every connection in the table, in index order. Control path: O(capacity). */
    public void forEach(IntConsumer action) {
        for (int c = 0, n = capacity(); c < n; c++) {
            if ((slab.getShort(c, FLAGS) & ConnSlab.F_LIVE) != 0) action.accept(c);
        }
    }

    /**
     * Removes every connection ({@code ip_vs_conn_flush}): {@code handler} (if not null) is told of each, for its
     * dest bookkeeping, and cannot keep any. Control path: O(capacity).
     */
    public void flush(ExpiryHandler handler) {
        if (handler != null) {
            for (int c = 0, n = capacity(); c < n; c++) {
                if ((slab.getShort(c, FLAGS) & ConnSlab.F_LIVE) != 0) handler.onExpire(c);
            }
        }
        int cursor = wheel.cursor;
        slab.reset();
        index.clear();
        wheel.reset(cursor);
        size = 0;
        zombies = 0;
        noCport = 0;
    }

    /** {@link #flush(ExpiryHandler)} without a handler. */
    public void flush() { flush(null); }

    /** Frees the native memory. The table must not be used afterwards. */
    @Override
    public void close() { arena.close(); }

    /** The hash key, for tests that check each table draws its own. */
    long hashKey0() { return k0; }
    long hashKey1() { return k1; }
}
