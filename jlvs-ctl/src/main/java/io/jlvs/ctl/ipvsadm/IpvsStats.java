package io.jlvs.ctl.ipvsadm;

/**
 * The counters {@code ipvsadm -L --stats} and {@code --rate} print for a service or a real server
 * ({@code struct ip_vs_stats64}): totals since the last zeroing and the estimated rates per second. Values are
 * unsigned 64-bit, as the kernel's.
 */
public record IpvsStats(long conns, long inPkts, long outPkts, long inBytes, long outBytes,
                        long cps, long inPps, long outPps, long inBps, long outBps) {
    public static final IpvsStats ZERO = new IpvsStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
