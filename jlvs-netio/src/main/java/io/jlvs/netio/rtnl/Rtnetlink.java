package io.jlvs.netio.rtnl;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import io.jlvs.netio.NetioAvailability;
import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.Netlink;
import io.jlvs.netio.sys.RouteNetlink;
import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A NETLINK_ROUTE request socket: dumps of the links, addresses, routes and neighbours of the network
 * namespace it was opened in (the calling thread's: see {@link io.jlvs.netio.Netns}), and the few changes the
 * data plane makes itself (link up, add/remove an address). Control path; every method is synchronized and
 * blocks at most {@link #timeoutMs()} per answer.
 *
 * <p>A dump is a multi-part answer (NLM_F_MULTI datagrams ended by NLMSG_DONE). Answers are matched by
 * sequence number and port id, so a late answer to an abandoned request is skipped; an answer the kernel marks
 * inconsistent (NLM_F_DUMP_INTR: the table changed meanwhile) or that lost a part is dumped again, up to
 * {@link #MAX_DUMP_ATTEMPTS} times. To follow changes without missing any, open an {@link RtMonitor} first,
 * then dump, then apply the monitor's events.
 */
public final class Rtnetlink implements Closeable {

    public static final int DEFAULT_TIMEOUT_MS = 5_000;
    /** Attempts at a consistent dump; after the last, an interrupted dump is returned as it is. */
    public static final int MAX_DUMP_ATTEMPTS = 5;
    /** Queued datagrams of an abandoned exchange read away before a new request, at most. */
    static final int MAX_STALE_DATAGRAMS = 100_000;

    private static final System.Logger LOG = System.getLogger(Rtnetlink.class.getName());

    private final NlSocket sock;
    private final RtnlParser parser = new RtnlParser();
    private final int timeoutMs;
    private int seq = ThreadLocalRandom.current().nextInt(1, 1 << 30);

    private Rtnetlink(NlSocket sock, int timeoutMs) {
        this.sock = sock;
        this.timeoutMs = timeoutMs;
    }

    /** Opens a request socket in the calling thread's network namespace. */
    public static Rtnetlink open() throws IOException {
        return open(DEFAULT_TIMEOUT_MS);
    }

    /** {@code timeoutMs}: how long to wait for each part of an answer before ETIMEDOUT. */
    public static Rtnetlink open(int timeoutMs) throws IOException {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be positive: " + timeoutMs);
        }
        NetioAvailability.ensureAvailable();
        return new Rtnetlink(NlSocket.open(0, 0, "rtnetlink"), timeoutMs);
    }

    public int timeoutMs() {
        return timeoutMs;
    }

    /** The netlink port id the kernel assigned (nlmsg_pid of our requests' answers). */
    public int portId() {
        return sock.portId;
    }

    public RtnlStats stats() {
        return parser.stats();
    }

    /** Every link of the namespace ({@code ip link show}), by ifindex order of the kernel. */
    public synchronized List<LinkInfo> dumpLinks() throws IOException {
        return dump("RTM_GETLINK dump", RouteNetlink.RTM_GETLINK, RouteNetlink.AF_UNSPEC, RouteNetlink.IFINFOMSG,
                RouteNetlink.RTM_NEWLINK, parser::link);
    }

    /** Every IPv4 and IPv6 address ({@code ip addr show}). */
    public synchronized List<AddrInfo> dumpAddresses() throws IOException {
        return dump("RTM_GETADDR dump", RouteNetlink.RTM_GETADDR, RouteNetlink.AF_UNSPEC, RouteNetlink.IFADDRMSG,
                RouteNetlink.RTM_NEWADDR, parser::addr);
    }

    /** Every IPv4 and IPv6 route of every table ({@code ip route show table all}; {@code ip -6 route ...}). */
    public synchronized List<RouteInfo> dumpRoutes() throws IOException {
        return dump("RTM_GETROUTE dump", RouteNetlink.RTM_GETROUTE, RouteNetlink.AF_UNSPEC, RouteNetlink.RTMSG,
                RouteNetlink.RTM_NEWROUTE, parser::route);
    }

    /** Every ARP and NDP entry ({@code ip neigh show}; {@code ip -6 neigh show}), proxy entries excluded. */
    public synchronized List<NeighInfo> dumpNeighbours() throws IOException {
        List<NeighInfo> all = new ArrayList<>(dump("RTM_GETNEIGH dump inet", RouteNetlink.RTM_GETNEIGH,
                RouteNetlink.AF_INET, RouteNetlink.NDMSG, RouteNetlink.RTM_NEWNEIGH, parser::neigh));
        all.addAll(dump("RTM_GETNEIGH dump inet6", RouteNetlink.RTM_GETNEIGH, RouteNetlink.AF_INET6,
                RouteNetlink.NDMSG, RouteNetlink.RTM_NEWNEIGH, parser::neigh));
        return List.copyOf(all);
    }

    /** {@code ip link set dev IFINDEX up}. */
    public synchronized void setLinkUp(int ifIndex) throws IOException {
        setLinkFlags(ifIndex, true);
    }

    /** {@code ip link set dev IFINDEX down}. */
    public synchronized void setLinkDown(int ifIndex) throws IOException {
        setLinkFlags(ifIndex, false);
    }

    private void setLinkFlags(int ifIndex, boolean up) throws IOException {
        checkIfIndex(ifIndex);
        String what = "RTM_NEWLINK(ifindex " + ifIndex + (up ? " up)" : " down)");
        NlRequest req = request(RouteNetlink.RTM_NEWLINK, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
        long ifi = req.fixed(RouteNetlink.IFINFOMSG);
        req.u8(ifi + RouteNetlink.IFI_FAMILY, RouteNetlink.AF_UNSPEC);
        req.u32(ifi + RouteNetlink.IFI_INDEX, ifIndex);
        req.u32(ifi + RouteNetlink.IFI_FLAGS, up ? RouteNetlink.IFF_UP : 0);
        req.u32(ifi + RouteNetlink.IFI_CHANGE, RouteNetlink.IFF_UP);
        transact(req, what);
    }

    /**
     * {@code ip addr add ADDRESS/PREFIXLEN dev IFINDEX} (with {@code nodad} for IPv6 when {@code noDad}).
     * An address that exists already is EEXIST.
     */
    public synchronized void addAddress(int ifIndex, InetAddress address, int prefixLen, boolean noDad)
            throws IOException {
        String what = "RTM_NEWADDR(" + IpText.format(address) + "/" + prefixLen + " dev " + ifIndex + ")";
        NlRequest req = request(RouteNetlink.RTM_NEWADDR,
                Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL);
        addressBody(req, ifIndex, address, prefixLen, noDad ? RouteNetlink.IFA_F_NODAD : 0);
        transact(req, what);
    }

    /** {@link #addAddress(int, InetAddress, int, boolean)} with duplicate address detection as usual. */
    public void addAddress(int ifIndex, InetAddress address, int prefixLen) throws IOException {
        addAddress(ifIndex, address, prefixLen, false);
    }

    /** {@code ip addr del ADDRESS/PREFIXLEN dev IFINDEX}; an address that is not there is EADDRNOTAVAIL. */
    public synchronized void delAddress(int ifIndex, InetAddress address, int prefixLen) throws IOException {
        String what = "RTM_DELADDR(" + IpText.format(address) + "/" + prefixLen + " dev " + ifIndex + ")";
        NlRequest req = request(RouteNetlink.RTM_DELADDR, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
        addressBody(req, ifIndex, address, prefixLen, 0);
        transact(req, what);
    }

    private static void addressBody(NlRequest req, int ifIndex, InetAddress address, int prefixLen, int flags) {
        checkIfIndex(ifIndex);
        int family = address instanceof Inet4Address ? RouteNetlink.AF_INET : RouteNetlink.AF_INET6;
        byte[] raw = address.getAddress();
        if (prefixLen < 0 || prefixLen > raw.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLen + " out of range for " + address);
        }
        long ifa = req.fixed(RouteNetlink.IFADDRMSG);
        req.u8(ifa + RouteNetlink.IFA_FAMILY, family);
        req.u8(ifa + RouteNetlink.IFA_PREFIXLEN, prefixLen);
        req.u8(ifa + RouteNetlink.IFA_FLAGS_OFFSET, flags & 0xFF);
        req.u8(ifa + RouteNetlink.IFA_SCOPE,
                address.isLoopbackAddress() ? RouteNetlink.RT_SCOPE_HOST : RouteNetlink.RT_SCOPE_UNIVERSE);
        req.u32(ifa + RouteNetlink.IFA_INDEX, ifIndex);
        req.attr(RouteNetlink.IFA_LOCAL, raw);
        req.attr(RouteNetlink.IFA_ADDRESS, raw);
        if (flags != 0) {
            req.attrU32(RouteNetlink.IFA_FLAGS, flags);
        }
    }

    private static void checkIfIndex(int ifIndex) {
        if (ifIndex <= 0) {
            throw new IllegalArgumentException("ifindex must be positive: " + ifIndex);
        }
    }

    @Override
    public synchronized void close() {
        sock.close();
    }

    // ---- the exchanges ----

    @FunctionalInterface
    private interface Decoder<T> {
        T decode(MemorySegment seg, long off, int len);
    }

    /**
     * Starts a request: first reads away whatever is still queued from an abandoned exchange (a dump cut
     * short by a timeout or an exception goes on as it is read, and the kernel refuses a new dump until it
     * ends), then takes the next sequence number.
     */
    private NlRequest request(int type, int flags) throws IOException {
        if (sock.isClosed()) {
            throw new SocketException("rtnetlink: socket closed");
        }
        drainStale();
        seq = seq == Integer.MAX_VALUE ? 1 : seq + 1;
        return new NlRequest(sock.requestBuffer(), type, flags, seq);
    }

    /** Reads (and counts as stale) every datagram already queued; bounded. */
    private void drainStale() throws ErrnoException {
        for (int i = 0; i < MAX_STALE_DATAGRAMS; i++) {
            int n = sock.receive(0, parser);
            if (n == NlSocket.TIMEOUT) {
                return;
            }
            if (n > 0) {
                parser.forEachMessage(sock.buffer(), n, (t, flags, s, pid, off, len) -> {
                    parser.stale.incrementAndGet();
                    return true;
                });
            }
        }
    }

    /** Sends a dump request without reading the answer (what an exchange cut short leaves behind); for tests. */
    void startDumpOnly(int type) throws IOException {
        NlRequest req = request(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
        req.fixed(RouteNetlink.RTMSG);
        sock.send(req.finish(), "test dump");
    }

    /** Sends a request with NLM_F_ACK and waits for its NLMSG_ERROR: error 0 is success, any other throws. */
    private void transact(NlRequest req, String what) throws IOException {
        int mySeq = seq;
        sock.send(req.finish(), what);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        Answer answer = new Answer();
        while (!answer.done) {
            int n = receive(deadline, what);
            if (n == -Errno.ENOBUFS || n == -Errno.EMSGSIZE) {
                continue; // not ours to redo: an ack is small and comes after
            }
            parser.forEachMessage(sock.buffer(), n, (type, flags, s, pid, off, len) -> {
                if (s != mySeq || pid != sock.portId) {
                    parser.stale.incrementAndGet();
                    return true;
                }
                if (type == Netlink.NLMSG_ERROR) {
                    answer.done = true;
                    answer.error = errorOf(off, len, flags);
                    return false;
                }
                return true; // NLMSG_NOOP, or an echo we did not ask for
            });
        }
        if (answer.error != null) {
            throw answer.error.withCall(what);
        }
    }

    private <T> List<T> dump(String what, int type, int family, StructLayout header, int dataType,
            Decoder<T> decoder) throws IOException {
        for (int attempt = 1; ; attempt++) {
            NlRequest req = request(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP);
            long hdr = req.fixed(header);
            req.u8(hdr, family); // ifi_family, ifa_family, rtm_family, ndm_family: all at offset 0
            int mySeq = seq;
            sock.send(req.finish(), what);
            List<T> out = new ArrayList<>();
            Answer answer = new Answer();
            while (!answer.done) {
                int n = receive(System.nanoTime() + timeoutMs * 1_000_000L, what);
                if (n == -Errno.ENOBUFS || n == -Errno.EMSGSIZE) {
                    answer.incomplete = true;
                    continue;
                }
                parser.forEachMessage(sock.buffer(), n, (t, flags, s, pid, off, len) -> {
                    if (s != mySeq || pid != sock.portId) {
                        parser.stale.incrementAndGet();
                        return true;
                    }
                    if ((flags & Netlink.NLM_F_DUMP_INTR) != 0) {
                        answer.interrupted = true;
                    }
                    switch (t) {
                        case Netlink.NLMSG_DONE -> {
                            answer.done = true;
                            int error = len >= 4 ? sock.buffer().get(JAVA_INT_UNALIGNED, off) : 0;
                            if (error < 0) {
                                answer.error = new AckError(-error, null);
                            }
                            return false;
                        }
                        case Netlink.NLMSG_ERROR -> {
                            answer.done = true;
                            answer.error = errorOf(off, len, flags);
                            if (answer.error == null) {
                                answer.error = new AckError(Errno.EIO, "acknowledged, but no dump came");
                            }
                            return false;
                        }
                        case Netlink.NLMSG_OVERRUN -> answer.incomplete = true;
                        default -> {
                            if (t == dataType) {
                                T item = decoder.decode(sock.buffer(), off, len);
                                if (item != null) {
                                    out.add(item);
                                }
                            }
                        }
                    }
                    return true;
                });
            }
            if (answer.error != null) {
                throw answer.error.withCall(what);
            }
            if (!answer.interrupted && !answer.incomplete) {
                return List.copyOf(out);
            }
            if (attempt >= MAX_DUMP_ATTEMPTS) {
                if (answer.incomplete) {
                    throw new ErrnoException(what, Errno.ENOBUFS, "parts of the dump were lost " + attempt
                            + " times in a row");
                }
                LOG.log(System.Logger.Level.WARNING, "{0}: still inconsistent after {1} attempts (the table keeps"
                        + " changing); using the last one", what, attempt);
                return List.copyOf(out);
            }
            parser.redumps.incrementAndGet();
        }
    }

    /** One datagram before {@code deadline}, or ETIMEDOUT naming {@code what}. */
    private int receive(long deadlineNs, String what) throws ErrnoException {
        long leftMs = Math.max(0, (deadlineNs - System.nanoTime()) / 1_000_000L);
        int n = sock.receive((int) Math.min(leftMs, Integer.MAX_VALUE), parser);
        if (n == NlSocket.TIMEOUT) {
            throw new ErrnoException(what, Errno.ETIMEDOUT, "no answer from the kernel within " + timeoutMs + " ms");
        }
        return n;
    }

    /** The exception an NLMSG_ERROR payload says, or null for an ack (error 0). */
    private AckError errorOf(long off, int len, int flags) {
        if (len < 4) {
            parser.countMalformed();
            return new AckError(Errno.EIO, "malformed NLMSG_ERROR");
        }
        int error = sock.buffer().get(JAVA_INT_UNALIGNED, off);
        if (error == 0) {
            return null;
        }
        String ext = parser.extAckMessage(sock.buffer(), off, len, flags);
        return new AckError(-error, ext);
    }

    /** The state of one exchange, written by the message visitor. */
    private static final class Answer {
        boolean done;
        boolean interrupted;
        boolean incomplete;
        AckError error;
    }

    /** An errno from the kernel before we know which call to name. */
    private record AckError(int errno, String detail) {
        ErrnoException withCall(String what) {
            return detail == null ? new ErrnoException(what, errno) : new ErrnoException(what, errno, detail);
        }
    }
}
