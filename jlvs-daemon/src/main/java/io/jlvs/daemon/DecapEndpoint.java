package io.jlvs.daemon;

import io.jlvs.decap.DecapDrop;
import io.jlvs.decap.Decapsulator;
import io.jlvs.netio.Tun;
import io.jlvs.netio.TunnelSocket;
import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.ErrnoException;
import io.jlvs.netio.sys.Inet;
import io.jlvs.packet.IpProto;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code jlvs decap}: the real server's tunnel endpoint. Tunnelled packets addressed to this host (IPIP 4in4,
 * 6in4, 4in6, 6in6; GRE over IPv4 and IPv6; GUE on the given UDP ports) are received on raw and UDP sockets,
 * decapsulated by {@link Decapsulator} and written to a TUN device, so the local stack receives the client's
 * packet as if it had arrived on that interface; the stack answers the client directly (the VIP on lo, as for
 * any LVS-TUN real server). For kernels without the ipip, ip6_tunnel, gre and fou modules.
 *
 * <p>One platform thread per socket, each with its own receive buffer and {@link Decapsulator}: a blocking
 * receive (woken every {@link #POLL_MS} to see whether to stop), decapsulate in place, write to the TUN device.
 * Nothing is allocated per packet; counters are single-writer {@link AtomicLongArray}s read by {@link #report()}.
 */
final class DecapEndpoint implements AutoCloseable {
    static final int POLL_MS = 250;
    /** The largest IP packet, with room to see (and count) a longer one as cut. */
    static final int BUFFER = 65536;

    /** Counter slots of a receiver: then one per {@link DecapDrop}. */
    static final int RECEIVED = 0, DELIVERED = 1, TUN_ERRORS = 2, RECV_ERRORS = 3, TRUNCATED = 4,
            CHECKSUMS_COMPLETED = 5, DROPS = 6;

    record Options(String dev, List<Integer> guePorts, boolean ipip, boolean gre, boolean ip6) {
        Options {
            guePorts = List.copyOf(guePorts);
            for (int p : guePorts) {
                if (p < 1 || p > 65535) throw new IllegalArgumentException("bad --gue-port " + p + " (expected 1..65535)");
            }
            if (guePorts.size() != guePorts.stream().distinct().count()) {
                throw new IllegalArgumentException("--gue-port given twice for the same port");
            }
            if (!ipip && !gre && guePorts.isEmpty()) {
                throw new IllegalArgumentException("nothing to receive: --no-ipip and --no-gre without any --gue-port");
            }
        }
    }

    /** What one socket receives. */
    record Spec(String what, int family, int protocol, int port, int source) {}

    private final Tun tun;
    private final List<Receiver> receivers = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean closed;

    private DecapEndpoint(Tun tun) {
        this.tun = tun;
    }

    /** The sockets {@code o} asks for, in the order they are reported. */
    static List<Spec> specs(Options o) {
        List<Spec> s = new ArrayList<>();
        if (o.ipip()) {
            s.add(new Spec("ipip 4in4", Inet.AF_INET, IpProto.IPPROTO_IPIP, 0, Decapsulator.IPV4_RAW));
            s.add(new Spec("ipip 6in4", Inet.AF_INET, IpProto.IPPROTO_IPV6, 0, Decapsulator.IPV4_RAW));
        }
        if (o.gre()) s.add(new Spec("gre over IPv4", Inet.AF_INET, IpProto.IPPROTO_GRE, 0, Decapsulator.IPV4_RAW));
        if (o.ip6() && o.ipip()) {
            s.add(new Spec("ipip 4in6", Inet.AF_INET6, IpProto.IPPROTO_IPIP, 0, Decapsulator.IPV6_RAW_IPIP));
            s.add(new Spec("ipip 6in6", Inet.AF_INET6, IpProto.IPPROTO_IPV6, 0, Decapsulator.IPV6_RAW_IPV6));
        }
        if (o.ip6() && o.gre()) s.add(new Spec("gre over IPv6", Inet.AF_INET6, IpProto.IPPROTO_GRE, 0, Decapsulator.IPV6_RAW_GRE));
        for (int port : o.guePorts()) {
            s.add(new Spec("gue over " + (o.ip6() ? "IPv4 and IPv6" : "IPv4"), o.ip6() ? Inet.AF_INET6 : Inet.AF_INET,
                    IpProto.IPPROTO_UDP, port, Decapsulator.GUE));
        }
        return s;
    }

    /**
     * Creates the TUN device (up, rp_filter 0), opens every socket and starts the receivers. On failure nothing
     * is left open, and the exception says what is missing (root, the TUN driver, a port in use).
     */
    static DecapEndpoint start(Options o) throws IOException {
        Tun tun = Tun.open(o.dev());
        DecapEndpoint e = new DecapEndpoint(tun);
        try {
            e.configureInterface(tun.name());
            tun.bringUp();
            for (Spec s : specs(o)) {
                TunnelSocket sock = s.port() != 0
                        ? TunnelSocket.udp(s.port(), s.family() == Inet.AF_INET6, POLL_MS)
                        : TunnelSocket.raw(s.family(), s.protocol(), POLL_MS);
                e.receivers.add(new Receiver(s, sock, tun));
            }
        } catch (IOException | RuntimeException ex) {
            for (Receiver r : e.receivers) r.socket.close();
            tun.close();
            if (ex instanceof ErrnoException en && en.errno() == Errno.EAFNOSUPPORT) {
                throw new IOException(ex.getMessage() + "; IPv6 is unavailable on this host: run with --no-ip6", ex);
            }
            throw ex;
        }
        for (Receiver r : e.receivers) r.thread.start();
        return e;
    }

    /**
     * {@code /proc/sys/net/ipv4/conf/DEV/rp_filter} 0: the client's packets arrive on the TUN device while the
     * route back to the client leaves by another interface, which strict reverse-path filtering drops (the
     * kernel uses the larger of {@code all} and the device's value, so {@code all} = 1 is reported). No IPv6
     * link-local address on the device ({@code addr_gen_mode} 1): nothing is routed to it.
     */
    private void configureInterface(String dev) {
        Path conf4 = Path.of("/proc/sys/net/ipv4/conf");
        write(conf4.resolve(dev).resolve("rp_filter"), "0");
        if ("1".equals(read(conf4.resolve("all").resolve("rp_filter")))) {
            warnings.add("net.ipv4.conf.all.rp_filter is 1 (strict): the kernel drops decapsulated packets whose "
                    + "source is not routed via " + dev + "; set it to 0 or 2 (loose)");
        }
        Path conf6 = Path.of("/proc/sys/net/ipv6/conf").resolve(dev);
        if (Files.isDirectory(conf6)) {
            write(conf6.resolve("addr_gen_mode"), "1");
            if ("1".equals(read(conf6.resolve("disable_ipv6")))) {
                warnings.add("IPv6 is disabled on " + dev + " (net.ipv6.conf." + dev + ".disable_ipv6 = 1): inner IPv6 "
                        + "packets will be dropped by the stack");
            }
        }
    }

    private void write(Path p, String value) {
        try {
            Files.writeString(p, value, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException ex) {
            warnings.add("cannot write " + value + " to " + p + ": " + ex.getMessage());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException ex) {
            return "";
        }
    }

    String deviceName() {
        return tun.name();
    }

    /** Things the operator should know that did not stop the start. */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** What each socket is, e.g. {@code "raw4/4 (ipip 4in4)"}. */
    List<String> listening() {
        List<String> l = new ArrayList<>();
        for (Receiver r : receivers) l.add(r.socket.label() + " (" + r.spec.what() + ")");
        return l;
    }

    /** Waits until {@link #close()}, at most {@code timeoutMs}; true once closed. */
    boolean awaitStop(long timeoutMs) throws InterruptedException {
        return stopped.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Stops the receivers (within {@link #POLL_MS}), closes the sockets and removes the TUN device. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Receiver r : receivers) r.running = false;
        for (Receiver r : receivers) {
            try {
                r.thread.join(10 * POLL_MS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        tun.close();
        stopped.countDown();
    }

    /** The counters: totals, then one line per socket, then drops by reason. */
    String report() {
        long[] total = new long[DROPS + DecapDrop.COUNT];
        StringBuilder lines = new StringBuilder();
        for (Receiver r : receivers) {
            long[] c = r.counters();
            for (int i = 0; i < c.length; i++) total[i] += c[i];
            long dropped = 0;
            for (int i = DROPS; i < c.length; i++) dropped += c[i];
            lines.append(String.format("  %-10s %-22s received %d, delivered %d, dropped %d%n", r.socket.label(),
                    r.spec.what(), c[RECEIVED], c[DELIVERED], dropped + c[TRUNCATED] + c[TUN_ERRORS]));
        }
        return format(tun.name(), total, lines.toString());
    }

    /** The report for counters {@code total} (slots as {@link #RECEIVED}...) and the per-socket {@code lines}. */
    static String format(String dev, long[] total, String lines) {
        long dropped = total[TRUNCATED] + total[TUN_ERRORS];
        for (int i = DROPS; i < total.length; i++) dropped += total[i];
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("jlvs decap on %s: received %d, delivered %d, dropped %d%n", dev, total[RECEIVED],
                total[DELIVERED], dropped));
        sb.append(lines);
        for (DecapDrop d : DecapDrop.values()) {
            long n = total[DROPS + d.code()];
            if (n != 0) sb.append(String.format("  dropped %d %s: %s%n", n, d.name(), d.description()));
        }
        if (total[TRUNCATED] != 0) {
            sb.append(String.format("  dropped %d TRUNCATED_RECEIVE: longer than %d octets%n", total[TRUNCATED], BUFFER));
        }
        if (total[TUN_ERRORS] != 0) {
            sb.append(String.format("  dropped %d TUN_WRITE_FAILED: the TUN device refused the packet%n", total[TUN_ERRORS]));
        }
        if (total[CHECKSUMS_COMPLETED] != 0) {
            sb.append(String.format("  %d inner checksums completed (GUE remote checksum offload, GRO-merged TCP)%n",
                    total[CHECKSUMS_COMPLETED]));
        }
        if (total[RECV_ERRORS] != 0) sb.append(String.format("  %d receive errors%n", total[RECV_ERRORS]));
        return sb.toString();
    }

    /** One socket's thread: receive, decapsulate in place, write the inner packet to the TUN device. */
    static final class Receiver implements Runnable {
        final Spec spec;
        final TunnelSocket socket;
        final Tun tun;
        final Thread thread;
        final AtomicLongArray counters = new AtomicLongArray(DROPS + DecapDrop.COUNT);
        volatile boolean running = true;

        Receiver(Spec spec, TunnelSocket socket, Tun tun) {
            this.spec = spec;
            this.socket = socket;
            this.tun = tun;
            this.thread = Thread.ofPlatform().name("decap-" + socket.label()).daemon(true).unstarted(this);
        }

        long[] counters() {
            long[] c = new long[counters.length()];
            for (int i = 0; i < c.length; i++) c[i] = counters.get(i);
            return c;
        }

        private void count(int slot) {
            counters.setRelease(slot, counters.getPlain(slot) + 1);       // single writer: this thread
        }

        @Override
        public void run() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(BUFFER, 64);
                Decapsulator decap = new Decapsulator();
                int source = spec.source();
                while (running) {
                    int n = socket.receive(buf, 0, BUFFER);
                    if (n < 0) {
                        if (n != -Errno.EAGAIN && n != -Errno.EINTR) {
                            count(RECV_ERRORS);
                            LockSupport.parkNanos(1_000_000);            // never spin on a persistent error
                        }
                        continue;
                    }
                    count(RECEIVED);
                    if (n > BUFFER) {
                        count(TRUNCATED);
                        continue;
                    }
                    int r = decap.decap(source, buf, 0, n);
                    if (r != Decapsulator.DELIVER) {
                        count(DROPS + r);
                        continue;
                    }
                    if (decap.checksumCompleted()) count(CHECKSUMS_COMPLETED);
                    if (tun.write(buf, decap.innerOffset(), decap.innerLength()) < 0) {
                        count(TUN_ERRORS);
                    } else {
                        count(DELIVERED);
                    }
                }
            } finally {
                socket.close();
            }
        }
    }
}
