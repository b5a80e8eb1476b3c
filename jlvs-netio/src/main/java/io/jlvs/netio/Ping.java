package io.jlvs.netio;

import io.jlvs.netio.sys.Errno;
import io.jlvs.netio.sys.IcmpSockets;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One ICMP echo request and the wait for its reply (RFC 792 types 8/0, RFC 4443 types 128/129), for PING_CHECK.
 * Uses an unprivileged ping socket when {@code net.ipv4.ping_group_range} lets us, a raw socket otherwise
 * (root). Blocking, bounded by the timeout, and interruptible: the wait never sits in a native call (which would
 * pin a virtual thread's carrier and ignore interrupts); it reads without blocking and sleeps between looks,
 * 1 ms at first, doubling up to 20 ms.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * </pre>
 */
public final class Ping {

    static final int ECHO_REQUEST_V4 = 8;
    static final int ECHO_REPLY_V4 = 0;
    static final int ECHO_REQUEST_V6 = 128;
    static final int ECHO_REPLY_V6 = 129;
    private static final int HEADER = 8;
    private static final int PAYLOAD = 16;
    /** The longest pause between two looks at the socket: bounds the added latency and the interrupt delay. */
    private static final long MAX_PAUSE_MS = 20;

    private Ping() {}

    /** What one echo came to: a reply (with its round trip), or why not. */
    public record Result(boolean replied, long rttNanos, String detail) {}

    /**
     * Sends one echo request to {@code dst} and waits at most {@code timeoutNanos} for the matching reply.
     *
     * @param bindTo source address, or null for the route's
     * @param fwmark SO_MARK for the request, 0 for none
     * @throws IOException when no socket can be opened or set up (the caller's configuration, not the target)
     */
    public static Result echo(InetAddress dst, InetAddress bindTo, int fwmark, long timeoutNanos)
            throws IOException, InterruptedException {
        NetioAvailability.ensureAvailable();
        boolean v6 = dst instanceof Inet6Address;
        if (bindTo != null && (bindTo instanceof Inet6Address) != v6) {
            throw new IOException("source " + bindTo.getHostAddress() + " and target " + dst.getHostAddress()
                    + " are of different address families");
        }
        IcmpSockets.Opened sock = IcmpSockets.open(dst);
        int fd = sock.fd();
        try {
            if (fwmark != 0) {
                IcmpSockets.setMark(fd, fwmark);
            }
            if (bindTo != null) {
                IcmpSockets.bind(fd, bindTo);
            }
            IcmpSockets.connect(fd, dst);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            int id = rnd.nextInt(1, 0x10000);
            int seq = rnd.nextInt(1, 0x10000);
            long start = System.nanoTime();
            byte[] request = request(v6, id, seq, start);
            IcmpSockets.send(fd, request, dst.getHostAddress());
            long deadline = start + timeoutNanos;
            byte[] buf = new byte[1500];
            long pause = 1;
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("ping " + dst.getHostAddress());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Result(false, 0, "no echo reply within " + timeoutNanos / 1_000_000 + " ms");
                }
                int n = IcmpSockets.recvNow(fd, buf);
                if (n < 0) {
                    return new Result(false, 0, Errno.name(-n) + " (" + Errno.describe(-n) + ")");
                }
                if (n > 0) {
                    if (isReply(buf, n, v6, sock.raw(), id, seq)) {
                        return new Result(true, System.nanoTime() - start, "echo reply");
                    }
                    continue; // someone else's packet: look again at once
                }
                // nothing queued: sleep (a virtual thread unmounts; a native poll would pin its carrier)
                Thread.sleep(Math.max(1, Math.min(pause, left / 1_000_000)));
                pause = Math.min(MAX_PAUSE_MS, pause * 2);
            }
        } finally {
            IcmpSockets.closeQuietly(fd);
        }
    }

    /** The echo request: ICMPv4's checksum is computed (a ping socket recomputes it anyway), ICMPv6's is the kernel's. */
    static byte[] request(boolean v6, int id, int seq, long stamp) {
        byte[] p = new byte[HEADER + PAYLOAD];
        p[0] = (byte) (v6 ? ECHO_REQUEST_V6 : ECHO_REQUEST_V4);
        p[4] = (byte) (id >>> 8);
        p[5] = (byte) id;
        p[6] = (byte) (seq >>> 8);
        p[7] = (byte) seq;
        for (int i = 0; i < 8; i++) {
            p[HEADER + i] = (byte) (stamp >>> (56 - 8 * i));
        }
        byte[] tag = {'j', 'l', 'v', 's', '-', 'p', 'n', 'g'};
        System.arraycopy(tag, 0, p, HEADER + 8, tag.length);
        if (!v6) {
            int sum = checksum(p, 0, p.length);
            p[2] = (byte) (sum >>> 8);
            p[3] = (byte) sum;
        }
        return p;
    }

    /**
     * Whether {@code buf[0..n)} is the reply to our request. A raw IPv4 read starts with the IP header; a raw
     * socket also sees other echoes (and, on loopback, our own request), so type, identifier and sequence are
     * all checked; a ping socket's identifier is the kernel's choice, so only type and sequence are.
     */
    static boolean isReply(byte[] buf, int n, boolean v6, boolean raw, int id, int seq) {
        int off = 0;
        if (raw && !v6) {
            if (n < 20) {
                return false;
            }
            off = (buf[0] & 0x0F) * 4;
        }
        if (n - off < HEADER) {
            return false;
        }
        int type = buf[off] & 0xFF;
        if (type != (v6 ? ECHO_REPLY_V6 : ECHO_REPLY_V4)) {
            return false;
        }
        int gotId = ((buf[off + 4] & 0xFF) << 8) | (buf[off + 5] & 0xFF);
        int gotSeq = ((buf[off + 6] & 0xFF) << 8) | (buf[off + 7] & 0xFF);
        return gotSeq == seq && (!raw || gotId == id);
    }

    /** RFC 1071 one's complement sum over {@code b[off..off+len)}. */
    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        int i = off;
        for (; i + 1 < off + len; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < off + len) {
            sum += (b[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
