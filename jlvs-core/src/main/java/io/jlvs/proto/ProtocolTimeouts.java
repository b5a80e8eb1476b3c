package io.jlvs.proto;

import java.util.Arrays;

/**
 * The per-protocol timeout tables of one director ({@code pd->timeout_table} of each
 * {@code struct ip_vs_proto_data}), with {@code ipvsadm --set tcp tcpfin udp} and {@code ipvsadm -L --timeout}.
 *
 * <p>The data path reads {@link #timeoutNs}; the control path replaces a whole table with a new array (a
 * volatile write, so a reader sees either the old or the new table, never half of each).
 *
 * <p>{@code --set} writes TCP ESTABLISHED, TCP FIN_WAIT and UDP NORMAL; 0 leaves a value unchanged. The
 * kernel ({@code ip_vs_set_timeout}) accepts 0 .. INT_MAX/HZ seconds for each and changes nothing when one is
 * out of range; ipvsadm ({@code parse_timeout}) accepts only 0 .. 31 days.
 */
public final class ProtocolTimeouts {
    /** The kernel tick rate the kernel's bound assumes ({@code CONFIG_HZ=1000}). */
    public static final int HZ = 1000;
    /** Largest value {@code ip_vs_set_timeout} accepts: INT_MAX / HZ seconds. */
    public static final int KERNEL_MAX_SECONDS = Integer.MAX_VALUE / HZ;
    /** Largest value ipvsadm accepts ({@code MAX_TIMEOUT}, 86400 * 31: 31 days). */
    public static final int IPVSADM_MAX_SECONDS = 86400 * 31;

    private static final long NS_PER_SECOND = 1_000_000_000L;

    private final int[][] seconds = new int[Protocols.SLOTS][];
    private volatile long[] tcpNs, udpNs, sctpNs;

    /** All three protocols at their default timeouts. */
    public ProtocolTimeouts() {
        seconds[Protocols.SLOT_TCP] = Protocols.TCP.defaultTimeoutsSeconds();
        seconds[Protocols.SLOT_UDP] = Protocols.UDP.defaultTimeoutsSeconds();
        seconds[Protocols.SLOT_SCTP] = Protocols.SCTP.defaultTimeoutsSeconds();
        publish();
    }

    /** The conn timeout for a protocol's state, in nanoseconds; data path, no allocation. */
    public long timeoutNs(int ipproto, int state) {
        long[] t = switch (ipproto) {
            case TcpProtocol.IPPROTO_TCP -> tcpNs;
            case UdpProtocol.IPPROTO_UDP -> udpNs;
            case SctpProtocol.IPPROTO_SCTP -> sctpNs;
            default -> throw new IllegalArgumentException("no timeouts for protocol " + ipproto);
        };
        return t[state];
    }

    /** A state's timeout in whole seconds (control path). */
    public synchronized int seconds(int ipproto, int state) {
        return table(ipproto)[state];
    }

    /** A copy of a protocol's whole table in seconds, indexed by state. */
    public synchronized int[] table(L4Protocol p) {
        return table(p.protocol()).clone();
    }

    /** {@code ipvsadm -L --timeout}: TCP ESTABLISHED seconds. */
    public int tcpTimeout() { return seconds(TcpProtocol.IPPROTO_TCP, TcpProtocol.S_ESTABLISHED); }
    /** {@code ipvsadm -L --timeout}: TCP FIN_WAIT seconds. */
    public int tcpFinTimeout() { return seconds(TcpProtocol.IPPROTO_TCP, TcpProtocol.S_FIN_WAIT); }
    /** {@code ipvsadm -L --timeout}: UDP seconds. */
    public int udpTimeout() { return seconds(UdpProtocol.IPPROTO_UDP, UdpProtocol.S_NORMAL); }

    /** The line {@code ipvsadm -L --timeout} prints: {@code Timeout (tcp tcpfin udp): 900 120 300}. */
    public synchronized String timeoutLine() {
        return "Timeout (tcp tcpfin udp): " + tcpTimeout() + " " + tcpFinTimeout() + " " + udpTimeout();
    }

    /**
     * {@code ip_vs_set_timeout}: each value in 0 .. {@link #KERNEL_MAX_SECONDS}, 0 = unchanged. When any value is
     * out of range nothing changes and this throws (the kernel's -EINVAL).
     */
    public synchronized void set(int tcp, int tcpFin, int udp) {
        if (tcp < 0 || tcp > KERNEL_MAX_SECONDS || tcpFin < 0 || tcpFin > KERNEL_MAX_SECONDS
                || udp < 0 || udp > KERNEL_MAX_SECONDS) {
            throw new IllegalArgumentException("Invalid argument");
        }
        if (tcp != 0) seconds[Protocols.SLOT_TCP][TcpProtocol.S_ESTABLISHED] = tcp;
        if (tcpFin != 0) seconds[Protocols.SLOT_TCP][TcpProtocol.S_FIN_WAIT] = tcpFin;
        if (udp != 0) seconds[Protocols.SLOT_UDP][UdpProtocol.S_NORMAL] = udp;
        publish();
    }

    /**
     * ipvsadm's {@code --set tcp tcpfin udp} argument check, in its order: fewer than three values, then each
     * value in turn ({@link #parseTimeout}), then a fourth argument. Returns {tcp, tcpfin, udp}.
     */
    public static int[] parseSetArgs(String... args) {
        if (args.length < 3) throw new IllegalArgumentException("--set option requires 3 timeout values");
        int[] v = {parseTimeout(args[0]), parseTimeout(args[1]), parseTimeout(args[2])};
        if (args.length > 3) throw new IllegalArgumentException("unexpected argument " + args[3]);
        return v;
    }

    /**
     * ipvsadm's {@code parse_timeout(buf, 0, MAX_TIMEOUT)}: a base-10 number as {@code strtol} reads it
     * (leading white space and a sign allowed, nothing after the digits) in 0 .. 31 days.
     */
    public static int parseTimeout(String token) {
        long v = strtol10(token);
        if (v < 0 || v > IPVSADM_MAX_SECONDS) {
            throw new IllegalArgumentException("invalid timeout value `" + token + "' specified");
        }
        return (int) v;
    }

    /** strtol(s, &end, 10) accepted only when all of s is used; -1 when not a number or out of long range. */
    private static long strtol10(String s) {
        int i = 0, n = s.length();
        while (i < n && isCSpace(s.charAt(i))) i++;
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) neg = s.charAt(i++) == '-';
        int digits = i;
        long v = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;                    // *end != '\0'
            if (v > (Long.MAX_VALUE - (c - '0')) / 10) return -1; // ERANGE
            v = v * 10 + (c - '0');
        }
        if (i == digits) return -1;                               // end == s: no digits
        return neg ? -v : v;
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private int[] table(int ipproto) {
        int slot = Protocols.slot(ipproto);
        if (slot < 0) throw new IllegalArgumentException("no timeouts for protocol " + ipproto);
        return seconds[slot];
    }

    private void publish() {
        tcpNs = toNs(seconds[Protocols.SLOT_TCP]);
        udpNs = toNs(seconds[Protocols.SLOT_UDP]);
        sctpNs = toNs(seconds[Protocols.SLOT_SCTP]);
    }

    private static long[] toNs(int[] s) {
        return Arrays.stream(s).mapToLong(x -> x * NS_PER_SECOND).toArray();
    }
}
